import type { Warehouse } from "../client/warehouse.js";
import { aucWithVariance, normalInterval, pairedAucDifference } from "../eval/delong.js";
import { calibration, logloss } from "../eval/metrics.js";
import { evalQuery, type EvalRow } from "../eval/queries.js";
import type { ArmComparison, ArmFigures } from "./rule.js";
import { SAMPLE_SLOTS, armRows, shadowCount, shadowPairs } from "./queries.js";

/** How AUC intervals are computed here: DeLong's variance clustered by user (Obuchowski 1997). */
export const CI_METHOD = "delong-clustered-by-user";

export interface ArmsWindow {
  readonly model: string;
  readonly serving: string;
  readonly canary: string;
  /** Prediction time window [fromMs, toMs): from the canary's start to now. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Most rows read per arm for the interval; above it users are sampled by hash (SEQLANE_CANARY_MAX_ROWS). */
  readonly maxRows: number;
}

/**
 * Slots of SAMPLE_SLOTS to keep so that about 90% of `maxRows` of `rows` remain (every user when
 * they fit): the headroom keeps the query's LIMIT, the hard bound, from cutting a user's rows.
 */
const keepSlotsFor = (rows: number, maxRows: number): number =>
  rows <= maxRows ? SAMPLE_SLOTS : Math.max(1, Math.floor((SAMPLE_SLOTS * 0.9 * maxRows) / rows));

/** Rows as typed arrays, users numbered 0..K-1 for the clustered variance. */
function columns<R extends { user_id: string }>(rows: readonly R[], pick: readonly ((r: R) => number)[]) {
  const users = new Map<string, number>();
  const cluster = new Uint32Array(rows.length);
  const cols = pick.map(() => new Float64Array(rows.length));
  rows.forEach((r, i) => {
    let u = users.get(r.user_id);
    if (u === undefined) users.set(r.user_id, (u = users.size));
    cluster[i] = u;
    pick.forEach((p, c) => ((cols[c] as Float64Array)[i] = p(r)));
  });
  return { cluster, cols, users: users.size };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The serving and canary arms over the window, from ClickHouse: samples, clicks, AUC, logloss and
 * calibration of every labelled impression (`evalQuery`, as `seqlane eval`), and the difference
 * of the AUCs, canary minus serving, with a 95% interval (DeLong clustered by user, computed here
 * from at most `maxRows` rows per arm).
 */
export async function compareArms(wh: Warehouse, w: ArmsWindow): Promise<ArmComparison> {
  const summary = await wh.query<EvalRow>(
    evalQuery({ database: wh.database, task: "ctr", model: w.model, fromMs: w.fromMs, toMs: w.toMs, perDay: false }),
  );
  const arm = async (version: string) => {
    const row = summary.find((r) => r.version === version);
    const samples = Number(row?.samples ?? 0);
    const rows =
      samples === 0
        ? []
        : await wh.query<{ user_id: string; score: number; label: number }>(
            armRows({
              database: wh.database,
              model: w.model,
              version,
              fromMs: w.fromMs,
              toMs: w.toMs,
              keepSlots: keepSlotsFor(samples, w.maxRows),
              limit: w.maxRows,
            }),
          );
    const { cluster, cols, users } = columns(rows, [(r) => Number(r.score), (r) => Number(r.label)]);
    const est = aucWithVariance(cols[0]!, cols[1]!, cluster);
    const figures: ArmFigures = {
      version,
      samples,
      positives: Number(row?.positives ?? 0),
      auc: row?.auc ?? null,
      logloss: row?.logloss ?? null,
      calibration: row?.calibration ?? null,
      ciRows: rows.length,
      ciUsers: users,
    };
    return { figures, est };
  };
  const s = await arm(w.serving);
  const c = await arm(w.canary);
  const diff = c.est.auc - s.est.auc;
  const { low, high } = normalInterval(diff, c.est.variance + s.est.variance);
  return {
    serving: s.figures,
    canary: c.figures,
    diff: finite(diff),
    low: finite(low),
    high: finite(high),
    ciMethod: CI_METHOD,
  };
}

/** A shadow version against the served scores of the same impressions. */
export interface ShadowComparison {
  readonly shadow: string;
  readonly served: string | undefined;
  /** Labelled impressions that both scored (users sampled by hash above maxRows), their clicks and users. */
  readonly pairs: number;
  readonly positives: number;
  readonly users: number;
  readonly servedFigures: { auc: number | null; logloss: number | null; calibration: number | null };
  readonly shadowFigures: { auc: number | null; logloss: number | null; calibration: number | null };
  /** AUC(shadow) - AUC(served) on the same impressions, with a paired 95% interval (clustered by user). */
  readonly diff: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly ciMethod: string;
}

/** Compares a shadow version with the served scores of the impressions it shadowed (paired DeLong). */
export async function compareShadow(
  wh: Warehouse,
  w: { model: string; shadow: string; served?: string; fromMs: number; toMs: number; maxRows: number },
): Promise<ShadowComparison> {
  const [count] = await wh.query<{ n: string }>(
    shadowCount({ database: wh.database, model: w.model, shadow: w.shadow, fromMs: w.fromMs, toMs: w.toMs }),
  );
  const n = Number(count?.n ?? 0);
  const rows =
    n === 0
      ? []
      : await wh.query<{ user_id: string; served: number; shadow: number; label: number }>(
          shadowPairs({
            database: wh.database,
            model: w.model,
            shadow: w.shadow,
            ...(w.served === undefined ? {} : { served: w.served }),
            fromMs: w.fromMs,
            toMs: w.toMs,
            keepSlots: keepSlotsFor(n, w.maxRows),
            limit: w.maxRows,
          }),
        );
  const { cluster, cols, users } = columns(rows, [
    (r) => Number(r.shadow),
    (r) => Number(r.served),
    (r) => Number(r.label),
  ]);
  const [shadow, served, label] = cols as [Float64Array, Float64Array, Float64Array];
  const p = pairedAucDifference(shadow, served, label, cluster);
  const { low, high } = normalInterval(p.diff, p.variance);
  const figures = (scores: Float64Array, auc: number) => ({
    auc: finite(auc),
    logloss: rows.length === 0 ? null : finite(logloss(scores, label)),
    calibration: finite(calibration(scores, label)),
  });
  return {
    shadow: w.shadow,
    served: w.served,
    pairs: rows.length,
    positives: p.a.positives,
    users,
    servedFigures: figures(served, p.b.auc),
    shadowFigures: figures(shadow, p.a.auc),
    diff: finite(p.diff),
    low: finite(low),
    high: finite(high),
    ciMethod: `paired-${CI_METHOD}`,
  };
}
