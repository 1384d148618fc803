/**
 * One logged prediction: one JSON object per message on Kafka `predictions` (key = user_id).
 * CONTRACT between the scorer, which writes it, and the recorder, which maps it to a
 * ClickHouse row (libs/warehouse rows/prediction.ts validates every field on the way in).
 */
export interface PredictionMessage {
  /** The scoring request; outcomes join on (request_id, item_id). */
  readonly request_id: string;
  readonly user_id: string;
  readonly item_id: string;
  readonly model: string;
  readonly version: string;
  /** Predicted click probability, in [0, 1]. */
  readonly ctr: number;
  /** Predicted conversion probability given a click, or null when the model has no CVR task. */
  readonly cvr: number | null;
  /** Scoring time, epoch milliseconds. */
  readonly ts: number;
  /** 0-based rank of the item in the scored slate, when the caller showed it. */
  readonly position?: number;
}
