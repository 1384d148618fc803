import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { Partitioners } from "kafkajs";
import type { Kafka, Producer } from "kafkajs";
import type { GeneratedEvent } from "@seqlane/generator";
import { retrySend, type SendRetryOptions } from "./retry.js";

/** Where generated events go: a JSON-lines file or a Kafka topic. */
export interface Sink {
  write(batch: readonly GeneratedEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** JSON lines, one event per line, `p_click` kept on exposures (the scorer never reads files). */
export function fileSink(path: string): Sink {
  const out = path === "-" ? process.stdout : createWriteStream(path);
  return {
    async write(batch) {
      let s = "";
      for (const e of batch) s += JSON.stringify(e) + "\n";
      if (!out.write(s)) await once(out, "drain");
    },
    async close() {
      if (out === process.stdout) return;
      await new Promise<void>((resolve, reject) =>
        (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
    },
  };
}

/**
 * Kafka messages keyed by user_id. `truth` keeps `p_click` in the JSON (off by default). Connect
 * and every send wait out a broker outage (`retry`); a batch is sent again until acknowledged,
 * so none is skipped, and one whose acknowledgement was lost may be in the topic twice.
 */
export async function kafkaSink(
  kafka: Kafka,
  topic: string,
  truth: boolean,
  retry: SendRetryOptions = {},
): Promise<Sink> {
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await retrySend(() => producer.connect(), retry);
  return {
    async write(batch) {
      const messages = batch.map((e) => {
        let value: GeneratedEvent = e;
        if (!truth && e.p_click !== undefined) {
          const { p_click: _p, ...rest } = e;
          value = rest;
        }
        return { key: e.user_id, value: JSON.stringify(value) };
      });
      await retrySend(() => producer.send({ topic, acks: -1, messages }), retry);
    },
    close: () => producer.disconnect(),
  };
}
