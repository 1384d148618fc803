import type { Warehouse } from "../client/warehouse.js";
import type { DECISION_COLUMNS } from "./queries.js";
import type { ArmComparison, CanaryRule } from "./rule.js";

/** Every action model_decisions records: the rule's three, and starting a canary or a shadow by hand. */
export type DecisionAction = "wait" | "promote" | "rollback" | "canary" | "shadow";

/** A row of `model_decisions` (infra/clickhouse/0007_model_decisions.sql), as inserted. */
export type DecisionRow = {
  readonly [K in (typeof DECISION_COLUMNS)[number]]: K extends "action"
    ? DecisionAction
    : K extends "model" | "reason" | "serving_version" | "canary_version" | "ci_method" | "rule" | "decided_by"
      ? string
      : K extends `${string}_auc` | `${string}_logloss` | `${string}_calibration` | `auc_diff${string}`
        ? number | null
        : number;
};

export interface DecisionInput {
  readonly model: string;
  readonly action: DecisionAction;
  readonly reason: string;
  readonly serving: string;
  /** The canary the decision is about ("" when none). */
  readonly canary: string;
  readonly share: number;
  /** The canary window [fromMs, toMs) the figures cover (0, 0 without figures). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly figures?: ArmComparison;
  readonly rule: CanaryRule;
  /** `job`, or `cli:<user>`. */
  readonly by: string;
  /** Whether routing.json was changed by this decision. */
  readonly applied: boolean;
  readonly now: number;
}

/** The model_decisions row of a decision, figures NULL where there are none. */
export function decisionRow(d: DecisionInput): DecisionRow {
  const f = d.figures;
  return {
    model: d.model,
    action: d.action,
    reason: d.reason,
    serving_version: d.serving,
    canary_version: d.canary,
    canary_share: d.share,
    window_from_ms: d.fromMs,
    window_to_ms: d.toMs,
    serving_samples: f?.serving.samples ?? 0,
    serving_positives: f?.serving.positives ?? 0,
    serving_auc: f?.serving.auc ?? null,
    serving_logloss: f?.serving.logloss ?? null,
    serving_calibration: f?.serving.calibration ?? null,
    serving_ci_rows: f?.serving.ciRows ?? 0,
    canary_samples: f?.canary.samples ?? 0,
    canary_positives: f?.canary.positives ?? 0,
    canary_auc: f?.canary.auc ?? null,
    canary_logloss: f?.canary.logloss ?? null,
    canary_calibration: f?.canary.calibration ?? null,
    canary_ci_rows: f?.canary.ciRows ?? 0,
    auc_diff: f?.diff ?? null,
    auc_diff_low: f?.low ?? null,
    auc_diff_high: f?.high ?? null,
    ci_method: f?.ciMethod ?? "",
    rule: JSON.stringify(d.rule),
    decided_by: d.by,
    applied: d.applied ? 1 : 0,
    decided_ms: d.now,
  };
}

/** Inserts one decision into model_decisions. */
export async function recordDecision(wh: Warehouse, row: DecisionRow): Promise<void> {
  await wh.insert("model_decisions", [row]);
}
