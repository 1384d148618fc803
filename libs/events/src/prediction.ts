/**
 * One logged prediction on Kafka `predictions` (key = user_id): the CONTRACT between the scorer,
 * which writes it, and the recorder, which maps it to a ClickHouse row. Defined once in
 * libs/contracts (schemas/prediction.v1.schema.json); re-exported here for the event-side API.
 */
export type { PredictionMessage } from "@seqlane/contracts";
