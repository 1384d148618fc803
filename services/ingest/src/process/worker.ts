/**
 * Processing thread: parse, apply and Redis for the batches the Kafka thread hands over, so
 * that kafkajs's decoding and the consumer's own work use two cores instead of adding up on one.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Redis } from "ioredis";
import { createRedisStore } from "@seqlane/sequences";
import { isRetriable } from "../errors.js";
import { createProcessor } from "./processor.js";
import { unpackBatch } from "./worker-protocol.js";
import type { FromWorker, ToWorker, WorkerInit } from "./worker-protocol.js";

const init = workerData as WorkerInit;
const port = parentPort!;
const redis = new Redis(init.redisUrl, { maxRetriesPerRequest: 1 });
redis.on("error", () => {}); // surfaced per command and retried by the processor
let stopping = false;
const post = (m: FromWorker): void => port.postMessage(m);
const processor = createProcessor({
  store: createRedisStore({
    redis,
    keyPrefix: init.keyPrefix,
    ...(init.ttlSeconds !== undefined && { ttlSeconds: init.ttlSeconds }),
  }),
  spec: init.spec,
  apply: init.apply,
  validate: init.validate,
  cacheUsers: init.cacheUsers,
  ...(init.retry !== undefined && { retry: init.retry }),
  shouldStop: () => stopping,
  onRetry: (e, attempt, waitMs) => post({ kind: "retrying", attempt, waitMs, error: String(e) }),
});

port.on("message", (m: ToWorker) => {
  if (m.kind === "forget") processor.forget();
  else if (m.kind === "stop") stopping = true;
  else {
    processor.process(m.topic, m.partition, unpackBatch(m.data, m.ends, m.nulls, m.timestamps)).then(
      (result) => post({ kind: "done", id: m.id, result }),
      (e: unknown) =>
        post({
          kind: "failed",
          id: m.id,
          message: e instanceof Error ? e.message : String(e),
          retriable: isRetriable(e),
        }),
    );
  }
});
