import type { ApplyOptions, SequenceSpec } from "@seqlane/sequences";
import type { RetryOptions } from "../retry.js";
import type { BatchResult, InputMessage } from "./processor.js";

/** What the processing thread needs to build its own Redis client and processor (structured-clonable). */
export interface WorkerInit {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly ttlSeconds?: number;
  readonly spec: SequenceSpec;
  readonly apply: ApplyOptions;
  readonly validate: { readonly maxBytes: number; readonly maxFutureSkewMs: number };
  readonly cacheUsers: number;
  readonly retry?: RetryOptions;
}

export type ToWorker =
  | {
      readonly kind: "batch";
      readonly id: number;
      readonly topic: string;
      readonly partition: number;
      /** Every message value back to back; transferred, not copied. */
      readonly data: ArrayBuffer;
      /** End of message i's value in `data` (its start is the previous end). */
      readonly ends: Uint32Array;
      /** 1 where message i has no value (a tombstone): it is rejected like any bad message. */
      readonly nulls: Uint8Array;
      /** Kafka timestamp of message i (epoch ms). */
      readonly timestamps: Float64Array;
    }
  | { readonly kind: "forget" }
  | { readonly kind: "stop" };

export type FromWorker =
  | { readonly kind: "done"; readonly id: number; readonly result: BatchResult }
  | { readonly kind: "failed"; readonly id: number; readonly message: string; readonly retriable: boolean }
  | { readonly kind: "retrying"; readonly attempt: number; readonly waitMs: number; readonly error: string };

/**
 * One batch as one transferable buffer: the values back to back plus their ends. One copy and a
 * zero-copy transfer, instead of structured-cloning every message's Buffer (each a view into
 * kafkajs's fetch response) into the worker.
 */
export function packBatch(messages: readonly InputMessage[]): {
  data: ArrayBuffer;
  ends: Uint32Array;
  nulls: Uint8Array;
  timestamps: Float64Array;
} {
  let total = 0;
  for (const m of messages) total += m.value?.byteLength ?? 0;
  const data = new ArrayBuffer(total);
  const bytes = new Uint8Array(data);
  const ends = new Uint32Array(messages.length);
  const nulls = new Uint8Array(messages.length);
  const timestamps = new Float64Array(messages.length);
  let at = 0;
  messages.forEach((m, i) => {
    timestamps[i] = m.timestamp === undefined ? NaN : Number(m.timestamp);
    if (m.value === null) nulls[i] = 1;
    else {
      bytes.set(m.value, at);
      at += m.value.byteLength;
    }
    ends[i] = at;
  });
  return { data, ends, nulls, timestamps };
}

/** The worker's side of packBatch: messages whose offsets are their indices in the batch. */
export function unpackBatch(
  data: ArrayBuffer,
  ends: Uint32Array,
  nulls: Uint8Array,
  timestamps: Float64Array,
): InputMessage[] {
  const out: InputMessage[] = new Array(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    const value = nulls[i] === 1 ? null : Buffer.from(data, start, end - start);
    const ts = timestamps[i]!;
    out[i] = { key: null, value, offset: String(i), ...(Number.isNaN(ts) ? {} : { timestamp: String(ts) }) };
    start = end;
  }
  return out;
}
