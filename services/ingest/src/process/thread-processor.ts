import { Worker } from "node:worker_threads";
import { IngestError } from "../errors.js";
import type { BatchResult, InputMessage } from "./processor.js";
import { packBatch } from "./worker-protocol.js";
import type { FromWorker, ToWorker, WorkerInit } from "./worker-protocol.js";

/** The Processor interface, served by a worker thread (see worker.ts). */
export interface ThreadProcessor {
  process(topic: string, partition: number, messages: readonly InputMessage[]): Promise<BatchResult>;
  forget(): void;
  /** Makes a batch stuck on Redis give up (after the caller's stop timeout). */
  giveUp(): void;
  close(): Promise<void>;
}

export function createThreadProcessor(
  init: WorkerInit,
  onRetry?: (attempt: number, waitMs: number, error: string) => void,
): ThreadProcessor {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: init });
  worker.unref();
  let next = 0;
  const pending = new Map<
    number,
    { resolve: (r: BatchResult) => void; reject: (e: Error) => void; messages: readonly InputMessage[] }
  >();
  let dead: Error | undefined;
  worker.on("message", (m: FromWorker) => {
    if (m.kind === "retrying") return onRetry?.(m.attempt, m.waitMs, m.error);
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.kind === "done") {
      const r = m.result;
      // The worker saw indices as offsets and no keys: the DLQ gets the original message back.
      const dlq = r.dlq.map((d) => {
        const original = p.messages[Number(d.headers["dlq.offset"])]!;
        return { key: original.key, value: original.value, headers: { ...d.headers, "dlq.offset": original.offset } };
      });
      p.resolve({ ...r, dlq });
    } else p.reject(new IngestError(m.message, { retriable: m.retriable }));
  });
  const fail = (e: Error): void => {
    dead = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on("error", (e) => fail(new IngestError(`processing thread failed: ${e.message}`, { cause: e })));
  worker.on("exit", (code) => fail(new IngestError(`processing thread exited (${code})`)));
  const send = (m: ToWorker): void => worker.postMessage(m);
  return {
    process(topic, partition, messages) {
      if (dead) return Promise.reject(dead);
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, messages });
        const packed = packBatch(messages);
        worker.postMessage({ kind: "batch", id, topic, partition, ...packed } satisfies ToWorker, [packed.data]);
      });
    },
    forget: () => send({ kind: "forget" }),
    giveUp: () => send({ kind: "stop" }),
    async close() {
      await worker.terminate();
    },
  };
}
