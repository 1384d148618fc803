import { ident, lit, joinSql, qualified, sql, trusted, type Sql } from "../sql/builder.js";
import { epochMs, modelName } from "../sql/inputs.js";
import { LOGLOSS_EPS } from "./metrics.js";

/** ctr: score ctr, label click, over all labelled predictions. cvr: score cvr, label purchase, over clicked predictions with a cvr. */
export type Task = "ctr" | "cvr";
export const TASKS: readonly Task[] = ["ctr", "cvr"];

export interface EvalFilter {
  readonly database: string;
  readonly task: Task;
  /** Prediction time window [fromMs, toMs), epoch ms. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Only this model (validated name); all models when absent. */
  readonly model?: string;
  readonly version?: string;
  /** One row per UTC day (default) or one row for the whole window (`day` = its first day). */
  readonly perDay?: boolean;
  /** Reliability bins over [0, 1). Default 10. */
  readonly bins?: number;
}

/** A row of the evaluation query (and of `model_eval` without computed_at). */
export interface EvalRow {
  readonly model: string;
  readonly version: string;
  readonly task: Task;
  readonly day: string;
  readonly samples: number;
  readonly positives: number;
  readonly auc: number | null;
  readonly gauc: number | null;
  readonly gauc_users: number;
  readonly logloss: number | null;
  readonly ne: number | null;
  readonly calibration: number | null;
  readonly mean_predicted: number;
  readonly observed_rate: number;
  /** Indexes of the non-empty bins, ascending; the arrays below align with it. */
  readonly bin_index: readonly number[];
  readonly bin_count: readonly number[];
  readonly bin_predicted: readonly number[];
  readonly bin_observed: readonly number[];
}

/**
 * The prediction-time window [fromMs, toMs) over `outcomes` (or `predictions`): the conditions
 * evaluation and training select labelled predictions by.
 */
export function predictionWindow(fromMs: number, toMs: number): Sql[] {
  const from = epochMs(fromMs, "fromMs");
  const to = epochMs(toMs, "toMs");
  return [
    sql`ts >= ${lit(from)}`,
    sql`ts < ${lit(to)}`,
    // Lets ClickHouse skip partitions and granules by the sort key's pred_date.
    sql`pred_date >= toDate(toDateTime(${lit(Math.floor(from / 1000))}, 'UTC'))`,
    sql`pred_date <= toDate(toDateTime(${lit(Math.floor(to / 1000))}, 'UTC'))`,
  ];
}

/** (model, version, day, user_id, score, label) rows of one task, deduplicated (FINAL). */
function base(f: EvalFilter): Sql {
  const from = epochMs(f.fromMs, "fromMs");
  const where = predictionWindow(f.fromMs, f.toMs);
  if (f.model !== undefined) where.push(sql`model = ${lit(modelName(f.model))}`);
  if (f.version !== undefined) where.push(sql`version = ${lit(modelName(f.version, "version"))}`);
  const day =
    f.perDay === false ? sql`toDate(toDateTime(${lit(Math.floor(from / 1000))}, 'UTC'))` : trusted("pred_date");
  const [score, label] =
    f.task === "ctr" ? [trusted("ctr"), trusted("click")] : [trusted("assumeNotNull(cvr)"), trusted("purchase")];
  if (f.task === "cvr") where.push(trusted("click = 1"), trusted("isNotNull(cvr)"));
  return sql`SELECT model, version, ${day} AS day, user_id, toFloat64(${score}) AS score, toUInt64(${label}) AS label
FROM ${qualified(f.database, "outcomes")} FINAL
WHERE ${joinSql(where, " AND ")}`;
}

/**
 * AUC by rank sum with tie-averaged ranks, without window functions (18.16 has none): per
 * group and distinct score count positives and negatives, sort by score inside an array, and
 * with cumulative negatives below each score: AUC = sum(pos * (neg_below + neg_tied / 2)) / (P * N).
 * `keys` are the grouping columns besides score. NULL when a class is absent.
 */
function aucBy(source: Sql, keys: readonly string[]): Sql {
  const k = joinSql(
    keys.map((c) => ident(c)),
    ", ",
  );
  return sql`SELECT ${k},
  arraySort(t_ -> t_.1, groupArray((score, pos, neg))) AS sorted_,
  arrayMap(t_ -> t_.2, sorted_) AS pos_,
  arrayMap(t_ -> t_.3, sorted_) AS neg_,
  arraySum(pos_) AS p_total,
  arraySum(neg_) AS n_total,
  if(p_total = 0 OR n_total = 0, NULL,
     arraySum(arrayMap((p_, n_, c_) -> p_ * ((c_ - n_) + 0.5 * n_), pos_, neg_, arrayCumSum(neg_))) / (p_total * n_total)) AS auc_
FROM (SELECT ${k}, score, sum(label) AS pos, count() - sum(label) AS neg FROM (${source}) GROUP BY ${k}, score)
GROUP BY ${k}`;
}

/**
 * The same AUC for many small groups (per-user AUC of GAUC) without a (group, score)
 * aggregation, whose hash table grows with rows when users are many: each group's
 * (score, label) pairs are sorted twice, ties ordered positives-first and then
 * negatives-first. Summed over positives, negatives before them count `neg_below` in the first
 * order and `neg_below + neg_tied` in the second; their mean is the tie-averaged rank sum.
 */
function aucPerGroupArray(source: Sql, keys: readonly string[]): Sql {
  const k = joinSql(
    keys.map((c) => ident(c)),
    ", ",
  );
  return sql`SELECT ${k},
  groupArray((score, toUInt8(label))) AS pairs_,
  toUInt64(arraySum(arrayMap(t_ -> t_.2, pairs_))) AS p_total,
  toUInt64(length(pairs_)) - p_total AS n_total,
  arrayMap(t_ -> toUInt64(t_.2), arraySort(arrayMap(t_ -> (t_.1, toUInt8(1 - t_.2)), pairs_))) AS neg_pos_first_,
  arrayMap(t_ -> toUInt64(1 - t_.2), arraySort(pairs_)) AS neg_neg_first_,
  if(p_total = 0 OR n_total = 0, NULL,
     (arraySum(arrayMap((n_, c_) -> (1 - n_) * c_, neg_pos_first_, arrayCumSum(neg_pos_first_)))
      + arraySum(arrayMap((n_, c_) -> (1 - n_) * c_, neg_neg_first_, arrayCumSum(neg_neg_first_))))
     / 2 / (p_total * n_total)) AS auc_
FROM (${source})
GROUP BY ${k}`;
}

/** The evaluation query: one row per model, version (and day) with every metric of `EvalRow`. */
export function evalQuery(f: EvalFilter): Sql {
  const bins = f.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1 || bins > 100) throw new RangeError("bins must be an integer in 1..100");
  const src = base(f);
  const eps = lit(LOGLOSS_EPS);
  const g = ["model", "version", "day"];
  const binExpr = sql`toUInt8(least(greatest(floor(score * ${lit(bins)}), 0), ${lit(bins - 1)}))`;
  const summary = sql`SELECT model, version, day,
  count() AS samples, sum(label) AS positives, avg(score) AS mean_predicted, avg(label) AS observed_rate,
  -avg(if(label = 1, log(greatest(score, ${eps})), log(greatest(1 - score, ${eps})))) AS ll_,
  if(positives = 0, NULL, sum(score) / positives) AS calibration
FROM (${src}) GROUP BY model, version, day`;
  // Reliability bins: only non-empty bins, sorted by index (no lambda captures: 18.16 loses
  // captured columns in subqueries, so each array is mapped from a sorted tuple array).
  const reliability = sql`SELECT model, version, day,
  arraySort(t_ -> t_.1, groupArray((bin_, n_, p_, y_))) AS bins_,
  arrayMap(t_ -> t_.1, bins_) AS bin_index,
  arrayMap(t_ -> t_.2, bins_) AS bin_count,
  arrayMap(t_ -> t_.3, bins_) AS bin_predicted,
  arrayMap(t_ -> t_.4, bins_) AS bin_observed
FROM (SELECT model, version, day, ${binExpr} AS bin_, count() AS n_, avg(score) AS p_, avg(label) AS y_
      FROM (${src}) GROUP BY model, version, day, bin_)
GROUP BY model, version, day`;
  const gauc = sql`SELECT model, version, day,
  countIf(auc_ IS NOT NULL) AS gauc_users,
  if(gauc_users = 0, NULL, sumIf((p_total + n_total) * assumeNotNull(auc_), auc_ IS NOT NULL) / sumIf(p_total + n_total, auc_ IS NOT NULL)) AS gauc
FROM (${aucPerGroupArray(src, [...g, "user_id"])}) GROUP BY model, version, day`;
  const auc = sql`SELECT model, version, day, auc_ AS auc FROM (${aucBy(src, g)})`;
  // Joined subqueries are named (AS ..._q): current ClickHouse refuses unnamed ones, 18.16 takes both.
  return sql`SELECT model, version, ${lit(f.task)} AS task, day, samples, positives, auc, gauc, gauc_users,
  if(samples = 0, NULL, ll_) AS logloss,
  if(observed_rate <= 0 OR observed_rate >= 1, NULL,
     ll_ / -(observed_rate * log(observed_rate) + (1 - observed_rate) * log(1 - observed_rate))) AS ne,
  calibration, mean_predicted, observed_rate, bin_index, bin_count, bin_predicted, bin_observed
FROM (${summary}) AS summary_q
ANY LEFT JOIN (SELECT * FROM (${auc}) AS auc_q
  ANY LEFT JOIN (SELECT * FROM (${gauc}) AS gauc_q ANY LEFT JOIN (${reliability}) AS bins_q USING (model, version, day)) AS gauc_bins_q
  USING (model, version, day)) AS metrics_q USING (model, version, day)
ORDER BY model, version, day`;
}

/** INSERT ... SELECT of `evalQuery` into `model_eval`; rerunning replaces the rows (FINAL). */
export function evalInsert(f: EvalFilter): Sql {
  return sql`INSERT INTO ${qualified(f.database, "model_eval")}
(model, version, task, day, samples, positives, auc, gauc, gauc_users, logloss, ne, calibration,
 mean_predicted, observed_rate, bin_index, bin_count, bin_predicted, bin_observed, computed_at)
SELECT model, version, task, day, samples, positives, auc, gauc, gauc_users, logloss, ne, calibration,
 mean_predicted, observed_rate, bin_index, bin_count, bin_predicted, bin_observed, now()
FROM (${evalQuery(f)})`;
}
