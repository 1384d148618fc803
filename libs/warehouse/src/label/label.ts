import { defaults, recorder } from "@seqlane/config";
import { lit, qualified, sql, type Sql } from "../sql/builder.js";
import { epochMs } from "../sql/inputs.js";

/** Attribution windows (ms after the prediction). */
export interface AttributionWindows {
  readonly clickMs: number;
  readonly cartMs: number;
  readonly purchaseMs: number;
}

const d = defaults(recorder);
/** The defaults of SEQLANE_CLICK_WINDOW_MS, SEQLANE_CART_WINDOW_MS and SEQLANE_PURCHASE_WINDOW_MS (libs/config). */
export const DEFAULT_WINDOWS: AttributionWindows = {
  clickMs: d.clickWindowMs,
  cartMs: d.cartWindowMs,
  purchaseMs: d.purchaseWindowMs,
};

export interface LabelRange {
  readonly database: string;
  /** Predictions with fromMs <= ts < toMs are labelled. Their windows should be closed. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly windows?: AttributionWindows;
}

/**
 * INSERT ... SELECT writing one `outcomes` row per prediction in the range. An event is
 * attributed to a prediction of the same user and item when it carries the prediction's
 * request_id and happened before the window closed, or carries no request_id and happened
 * inside [ts, ts + window]. Events carrying some other request_id are not attributed.
 * Deterministic given the tables: rerunning writes the same labels (a newer labelled_at),
 * which `outcomes FINAL` collapses, so the job is idempotent.
 */
export function labelInsert(r: LabelRange): Sql {
  const w = r.windows ?? DEFAULT_WINDOWS;
  const from = epochMs(r.fromMs, "fromMs");
  const to = epochMs(r.toMs, "toMs");
  const maxWin = Math.max(w.clickMs, w.cartMs, w.purchaseMs);
  const fromSec = lit(Math.floor(from / 1000));
  const toSec = lit(Math.floor(to / 1000));
  const predictions = sql`SELECT model, version, pred_date, request_id, item_id, user_id, ts, ctr, cvr, position
    FROM ${qualified(r.database, "predictions")} FINAL
    WHERE ts >= ${lit(from)} AND ts < ${lit(to)}
      AND pred_date >= toDate(toDateTime(${fromSec}, 'UTC')) AND pred_date <= toDate(toDateTime(${toSec}, 'UTC'))`;
  // Duplicated events do not need FINAL: labels are max/min over matches.
  const events = sql`SELECT user_id, item_id, toString(type) AS e_type, ts AS e_ts, request_id AS e_req
    FROM ${qualified(r.database, "events")}
    WHERE ts < ${lit(to + maxWin)} AND event_date <= toDate(toDateTime(${lit(Math.floor((to + maxWin) / 1000))}, 'UTC'))
      AND ts >= ${lit(Math.max(0, from - maxWin))}
      AND event_date >= toDate(toDateTime(${lit(Math.floor(Math.max(0, from - maxWin) / 1000))}, 'UTC'))
      AND type IN ('click', 'cart', 'purchase', 'exposure')
      AND (user_id, item_id) IN (SELECT user_id, item_id FROM ${qualified(r.database, "predictions")}
                                 WHERE ts >= ${lit(from)} AND ts < ${lit(to)})`;
  const match = (type: string, windowMs: number): Sql =>
    sql`(e_type = ${lit(type)} AND ((e_req != '' AND e_req = request_id AND e_ts <= ts + ${lit(windowMs)})
      OR (e_req = '' AND e_ts >= ts AND e_ts <= ts + ${lit(windowMs)})))`;
  const click = match("click", w.clickMs);
  const cart = match("cart", w.cartMs);
  const purchase = match("purchase", w.purchaseMs);
  const exposure = match("exposure", w.clickMs);
  const delay = sql`toUInt64(if(e_ts > ts, e_ts - ts, 0))`;
  // Joined subqueries are named (AS ..._q): current ClickHouse refuses unnamed ones, 18.16 takes both.
  return sql`INSERT INTO ${qualified(r.database, "outcomes")}
(model, version, pred_date, request_id, item_id, user_id, ts, ctr, cvr, position, exposed, click, cart, purchase,
 click_delay_ms, cart_delay_ms, purchase_delay_ms, matched_by, labelled_at)
SELECT model, version, pred_date, request_id, item_id, any(user_id), any(ts), any(ctr), any(cvr), any(position),
  max(${exposure}) AS exposed_, max(${click}) AS click_, max(${cart}) AS cart_, max(${purchase}) AS purchase_,
  if(click_ = 1, minIf(${delay}, ${click}), NULL),
  if(cart_ = 1, minIf(${delay}, ${cart}), NULL),
  if(purchase_ = 1, minIf(${delay}, ${purchase}), NULL),
  if(max(e_req != '' AND e_req = request_id AND e_type IN ('click', 'cart', 'purchase')) = 1, 'request',
     if(click_ + cart_ + purchase_ > 0, 'time', 'none')),
  now()
FROM (${predictions}) AS predictions_q
ALL LEFT JOIN (${events}) AS events_q USING (user_id, item_id)
GROUP BY model, version, pred_date, request_id, item_id`;
}
