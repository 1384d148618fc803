/* Generated from schemas/prediction.v2.schema.json by scripts/gen-types.mjs (npm run gen -w @seqlane/contracts). Do not edit. */

export type Id = string | number;
/**
 * A model name or version: a string, or a non-negative integer canonicalised to its decimal string.
 */
export type Name = string | number;

/**
 * One logged prediction, version 2: version 1 plus `shadow`. The scorer writes version 2 only for shadow predictions (a version scored but not served, see routing.v1) and keeps writing version 1 for served ones, so a reader that knows only version 1 files shadow predictions as rejected (`schema` must be 1) instead of counting them as served. Readers of version 2 read both. One JSON object per message on Kafka `predictions` (key = user_id). Unknown fields are ignored.
 */
export interface PredictionMessageV2 {
  /**
   * Prediction message version.
   */
  readonly schema: 2;
  /**
   * The scoring request; outcomes join on (request_id, item_id). A shadow prediction carries the request id of the served one it shadows.
   */
  readonly request_id: string | number;
  readonly user_id: Id;
  readonly item_id: Id;
  readonly model: Name;
  readonly version: Name;
  /**
   * Predicted click probability.
   */
  readonly ctr: number;
  /**
   * Predicted conversion probability given a click, or null when the model has no CVR task.
   */
  readonly cvr?: number | null;
  /**
   * Scoring time, epoch milliseconds (a shadow prediction has its served prediction's).
   */
  readonly ts: number;
  /**
   * 0-based rank of the item in the scored slate, when the caller showed it.
   */
  readonly position?: number | null;
  /**
   * True when this version was scored in shadow: its score was logged, not returned to the caller. Absent means false. Recorded in ClickHouse `predictions_shadow`, never in `predictions`, so served metrics leave it out.
   */
  readonly shadow?: boolean;
}
