import type { RoutingState } from "@seqlane/contracts";
import {
  RoutingConflictError,
  promote,
  readRouting,
  rollback,
  routingPath,
  writeRouting,
  type RoutingRead,
} from "@seqlane/models";
import {
  compareArms,
  decisionRow,
  judge,
  recordDecision,
  type ArmComparison,
  type CanaryAction,
  type CanaryRule,
  type DecisionRow,
  type Warehouse,
} from "@seqlane/warehouse";

/** What a decision needs besides the model. */
export interface DecideBase {
  readonly warehouse: Warehouse;
  /** The model registry (SEQLANE_MODEL_REGISTRY): `<registry>/<model>/routing.json` is read and replaced. */
  readonly registry: string;
  readonly rule: CanaryRule;
  /** Most rows read per arm for the AUC interval (SEQLANE_CANARY_MAX_ROWS). */
  readonly maxRows: number;
  /** Who decides: `job`, or `cli:<user>`. */
  readonly by: string;
}

export interface DecideOptions extends DecideBase {
  readonly model: string;
  /** Default Date.now(). */
  readonly now?: number;
}

/** What the rule says about a model's canary now, from ClickHouse, changing nothing. */
export interface Assessment {
  readonly model: string;
  readonly read: RoutingRead;
  /** undefined: the model has no canary (nothing to decide). */
  readonly figures?: ArmComparison;
  readonly action: CanaryAction | undefined;
  readonly reason: string;
  readonly fromMs: number;
  readonly toMs: number;
}

export interface Decision extends Assessment {
  /** The routing state written (promote, rollback); undefined for wait or without a canary. */
  readonly routing?: RoutingState;
  /** The model_decisions row recorded; undefined without a canary. */
  readonly row?: DecisionRow;
}

/** Compares the canary's arm with the serving one over the canary's window and applies the rule. */
export async function assess(o: DecideOptions): Promise<Assessment> {
  const now = o.now ?? Date.now();
  const read = await readRouting(o.registry, o.model);
  const canary = read.state?.canary;
  if (read.state === undefined || canary == null)
    return { model: o.model, read, action: undefined, reason: "no canary", fromMs: 0, toMs: 0 };
  const fromMs = canary.started_at;
  const figures = await compareArms(o.warehouse, {
    model: o.model,
    serving: read.state.serving,
    canary: canary.version,
    fromMs,
    toMs: now,
    maxRows: o.maxRows,
  });
  return { model: o.model, read, figures, ...judge(figures, o.rule), fromMs, toMs: now };
}

/**
 * decide(model): the canary's arm against the serving one from ClickHouse (labelled impressions
 * since the canary started: AUC with a 95% interval clustered by user, logloss, calibration), the
 * declared rule's verdict, the decision recorded in model_decisions (wait included), and on
 * promote or rollback routing.json replaced atomically (temp file + rename). The row is inserted
 * before the file is replaced, so a ClickHouse failure changes nothing (the job retries it);
 * routing.json changed by someone else while the figures were computed is refused
 * (RoutingConflictError) before anything is recorded, and checked again at the rename.
 */
export async function decide(o: DecideOptions): Promise<Decision> {
  const a = await assess(o);
  const state = a.read.state;
  if (a.action === undefined || state === undefined || state.canary == null) return a;
  const stamp = { now: a.toMs, by: o.by };
  const next =
    a.action === "promote"
      ? promote(state, state.canary.version, stamp)
      : a.action === "rollback"
        ? rollback(state, stamp)
        : undefined;
  if (next !== undefined) {
    // Refuse early (nothing recorded) when the file changed while the figures were computed.
    const again = await readRouting(o.registry, o.model);
    if (again.text !== a.read.text) throw new RoutingConflictError(routingPath(o.registry, o.model));
  }
  const row = decisionRow({
    model: o.model,
    action: a.action,
    reason: a.reason,
    serving: state.serving,
    canary: state.canary.version,
    share: state.canary.share,
    fromMs: a.fromMs,
    toMs: a.toMs,
    ...(a.figures === undefined ? {} : { figures: a.figures }),
    rule: o.rule,
    by: o.by,
    applied: next !== undefined,
    now: a.toMs,
  });
  await recordDecision(o.warehouse, row);
  if (next !== undefined) await writeRouting(o.registry, o.model, next, a.read);
  return { ...a, row, ...(next === undefined ? {} : { routing: next }) };
}
