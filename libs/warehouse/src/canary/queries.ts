import { joinSql, lit, qualified, sql, trusted, type Sql } from "../sql/builder.js";
import { modelName } from "../sql/inputs.js";
import { predictionWindow } from "../eval/queries.js";

/** Users are sampled by hash into this many slots; a query keeps slots [0, keepSlots). */
export const SAMPLE_SLOTS = 10_000;

export interface ArmRowsFilter {
  readonly database: string;
  readonly model: string;
  readonly version: string;
  /** Prediction time window [fromMs, toMs), epoch ms. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Keep users whose hash slot is below this (of SAMPLE_SLOTS); SAMPLE_SLOTS or more: every user. */
  readonly keepSlots: number;
  /** Hard bound of rows returned. */
  readonly limit: number;
}

function userSample(keepSlots: number): Sql[] {
  if (!Number.isInteger(keepSlots) || keepSlots < 1) throw new RangeError("keepSlots must be a positive integer");
  return keepSlots >= SAMPLE_SLOTS ? [] : [sql`cityHash64(user_id) % ${lit(SAMPLE_SLOTS)} < ${lit(keepSlots)}`];
}

function bounded(limit: number): Sql {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  return lit(limit);
}

/**
 * (user_id, score, label) of one served version's labelled impressions (outcomes FINAL, ctr
 * against click, as `evalQuery` reads them), users sampled by hash: the rows an AUC interval is
 * computed from in TypeScript.
 */
export function armRows(f: ArmRowsFilter): Sql {
  const where = [
    ...predictionWindow(f.fromMs, f.toMs),
    sql`model = ${lit(modelName(f.model))}`,
    sql`version = ${lit(modelName(f.version, "version"))}`,
    ...userSample(f.keepSlots),
  ];
  return sql`SELECT user_id, toFloat64(ctr) AS score, toUInt8(click) AS label
FROM ${qualified(f.database, "outcomes")} FINAL
WHERE ${joinSql(where, " AND ")}
LIMIT ${bounded(f.limit)}`;
}

export interface ShadowFilter {
  readonly database: string;
  readonly model: string;
  /** The shadow version. */
  readonly shadow: string;
  /** Only impressions served by this version; any served version when absent. */
  readonly served?: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly keepSlots: number;
  readonly limit: number;
}

/** Shadow predictions of a version in the window (the count that sizes the sample of `shadowPairs`). */
export function shadowCount(f: Omit<ShadowFilter, "keepSlots" | "limit" | "served">): Sql {
  return sql`SELECT count() AS n FROM ${qualified(f.database, "predictions_shadow")} FINAL
WHERE ${joinSql(
    [
      ...predictionWindow(f.fromMs, f.toMs),
      sql`model = ${lit(modelName(f.model))}`,
      sql`version = ${lit(modelName(f.shadow, "version"))}`,
    ],
    " AND ",
  )}`;
}

/**
 * Labelled impressions scored by both the served version and a shadow one: (user_id, served,
 * shadow, label), joined on (request_id, item_id); the label is the served impression's (the
 * shadow's score was never shown). A paired comparison: the same impressions, scored twice.
 */
export function shadowPairs(f: ShadowFilter): Sql {
  const served = [
    ...predictionWindow(f.fromMs, f.toMs),
    sql`model = ${lit(modelName(f.model))}`,
    ...(f.served === undefined ? [] : [sql`version = ${lit(modelName(f.served, "version"))}`]),
    ...userSample(f.keepSlots),
  ];
  const shadow = [
    ...predictionWindow(f.fromMs, f.toMs),
    sql`model = ${lit(modelName(f.model))}`,
    sql`version = ${lit(modelName(f.shadow, "version"))}`,
    ...userSample(f.keepSlots),
  ];
  // Joined subqueries are named (AS ..._q): current ClickHouse refuses unnamed ones, 18.16 takes both.
  return sql`SELECT user_id, served, shadow_score AS shadow, label
FROM (SELECT request_id, item_id, user_id, toFloat64(ctr) AS served, toUInt8(click) AS label
      FROM ${qualified(f.database, "outcomes")} FINAL WHERE ${joinSql(served, " AND ")}) AS served_q
ALL INNER JOIN (SELECT request_id, item_id, toFloat64(ctr) AS shadow_score
      FROM ${qualified(f.database, "predictions_shadow")} FINAL WHERE ${joinSql(shadow, " AND ")}) AS shadow_q
USING (request_id, item_id)
LIMIT ${bounded(f.limit)}`;
}

/** The most recent decisions of a model (model_decisions), newest first. */
export function latestDecisions(o: { database: string; model: string; limit?: number }): Sql {
  return sql`SELECT ${trusted(DECISION_COLUMNS.join(", "))}, toString(decided_at) AS decided_at
FROM ${qualified(o.database, "model_decisions")}
WHERE model = ${lit(modelName(o.model))}
ORDER BY decided_ms DESC
LIMIT ${bounded(o.limit ?? 1)}`;
}

/** The columns of model_decisions that a DecisionRow carries (infra/clickhouse/0007_model_decisions.sql). */
export const DECISION_COLUMNS = [
  "model",
  "action",
  "reason",
  "serving_version",
  "canary_version",
  "canary_share",
  "window_from_ms",
  "window_to_ms",
  "serving_samples",
  "serving_positives",
  "serving_auc",
  "serving_logloss",
  "serving_calibration",
  "serving_ci_rows",
  "canary_samples",
  "canary_positives",
  "canary_auc",
  "canary_logloss",
  "canary_calibration",
  "canary_ci_rows",
  "auc_diff",
  "auc_diff_low",
  "auc_diff_high",
  "ci_method",
  "rule",
  "decided_by",
  "applied",
  "decided_ms",
] as const;
