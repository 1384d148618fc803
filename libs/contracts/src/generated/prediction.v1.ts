/* Generated from schemas/prediction.v1.schema.json by scripts/gen-types.mjs (npm run gen -w @seqlane/contracts). Do not edit. */

export type Id = string | number;
/**
 * A model name or version: a string, or a non-negative integer canonicalised to its decimal string.
 */
export type Name = string | number;

/**
 * One logged prediction: one JSON object per message on Kafka `predictions` (key = user_id), written by the scorer and recorded by the recorder into ClickHouse `predictions`. Trace context travels in Kafka headers, not here. Unknown fields are ignored.
 */
export interface PredictionMessage {
  /**
   * Prediction message version; absent means 1.
   */
  readonly schema?: 1;
  /**
   * The scoring request; outcomes join on (request_id, item_id).
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
   * Scoring time, epoch milliseconds.
   */
  readonly ts: number;
  /**
   * 0-based rank of the item in the scored slate, when the caller showed it.
   */
  readonly position?: number | null;
}
