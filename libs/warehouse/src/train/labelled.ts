import { joinSql, qualified, sql, type Sql } from "../sql/builder.js";
import { predictionWindow } from "../eval/queries.js";

/** Labelled predictions of a prediction-time window [fromMs, toMs), epoch ms. */
export interface LabelledWindow {
  readonly database: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** One impression with its labels, as `labelledPredictions` returns it (UInt64 as strings). */
export interface LabelledRow {
  readonly request_id: string;
  readonly item_id: string;
  readonly user_id: string;
  /** Prediction time, epoch ms (the earliest copy's). */
  readonly pred_ts: string;
  readonly position: number | null;
  readonly click: number;
  readonly cart: number;
  readonly purchase: number;
}

/**
 * Training rows: the labelled predictions (`outcomes` FINAL) of the window, the same rows and
 * labels evaluation reads (ctr's label is click), one per impression. A slate that several
 * models (or versions, or a shadow) scored was shown once, so rows are grouped by
 * (request_id, item_id); labelling matches by request and user + item + time, so the copies
 * carry the same labels.
 */
export function labelledPredictions(w: LabelledWindow): Sql {
  return sql`SELECT request_id, item_id, any(user_id) AS user_id, min(ts) AS pred_ts, any(position) AS position,
  max(click) AS click, max(cart) AS cart, max(purchase) AS purchase
FROM ${qualified(w.database, "outcomes")} FINAL
WHERE ${joinSql(predictionWindow(w.fromMs, w.toMs), " AND ")}
GROUP BY request_id, item_id`;
}

/** Count of `labelledPredictions`' rows, their clicks and users: whether there is enough to train on. */
export function labelledCount(w: LabelledWindow): Sql {
  return sql`SELECT count() AS rows, sum(click) AS clicked, uniqExact(user_id) AS users FROM (${labelledPredictions(w)})`;
}

/** The users of `labelledPredictions`, as a subquery for `user_id IN (...)`. */
export function labelledUsers(w: LabelledWindow): Sql {
  return sql`SELECT DISTINCT user_id FROM ${qualified(w.database, "outcomes")} FINAL
WHERE ${joinSql(predictionWindow(w.fromMs, w.toMs), " AND ")}`;
}
