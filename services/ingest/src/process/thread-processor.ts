import { Worker } from "node:worker_threads";
import { IngestError } from "../errors.js";
import type { BatchResult, InputMessage } from "./processor.js";
import type { FromWorker, ToWorker, WorkerInit } from "./worker-protocol.js";

/** The Processor interface, served by a worker thread (see worker.ts). */
export interface ThreadProcessor {
  process(topic: string, partition: number, messages: readonly InputMessage[]): Promise<BatchResult>;
  forget(): void;
  /** Makes a batch stuck on Redis give up (after the caller's stop timeout). */
  giveUp(): void;
  close(): Promise<void>;
}

const toBuffer = (b: Uint8Array | null): Buffer | null =>
  b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export function createThreadProcessor(
  init: WorkerInit,
  onRetry?: (attempt: number, waitMs: number, error: string) => void,
): ThreadProcessor {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: init });
  worker.unref();
  let next = 0;
  const pending = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  let dead: Error | undefined;
  worker.on("message", (m: FromWorker) => {
    if (m.kind === "retrying") return onRetry?.(m.attempt, m.waitMs, m.error);
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.kind === "done") {
      const r = m.result;
      p.resolve({ ...r, dlq: r.dlq.map((d) => ({ ...d, key: toBuffer(d.key), value: toBuffer(d.value) })) });
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
        pending.set(id, { resolve, reject });
        send({
          kind: "batch",
          id,
          topic,
          partition,
          messages: messages.map((m) => ({ key: m.key, value: m.value, offset: m.offset })),
        });
      });
    },
    forget: () => send({ kind: "forget" }),
    giveUp: () => send({ kind: "stop" }),
    async close() {
      await worker.terminate();
    },
  };
}
