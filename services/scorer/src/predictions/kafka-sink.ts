import type { Producer } from "kafkajs";
import type { PredictionRow, PredictionSink } from "./log.js";

/** Predictions to a Kafka topic, key = user_id (same partitioning as behaviour events). */
export function kafkaPredictionSink(producer: Producer, topic: string): PredictionSink {
  return {
    async send(rows: readonly PredictionRow[]) {
      await producer.send({
        topic,
        messages: rows.map(({ trace, ...row }) => ({
          key: row.user_id,
          value: JSON.stringify(row),
          ...(trace === undefined ? {} : { headers: { ...trace } }),
        })),
      });
    },
  };
}
