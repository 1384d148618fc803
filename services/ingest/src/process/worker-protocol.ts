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
      readonly messages: readonly InputMessage[];
    }
  | { readonly kind: "forget" }
  | { readonly kind: "stop" };

export type FromWorker =
  | { readonly kind: "done"; readonly id: number; readonly result: BatchResult }
  | { readonly kind: "failed"; readonly id: number; readonly message: string; readonly retriable: boolean }
  | { readonly kind: "retrying"; readonly attempt: number; readonly waitMs: number; readonly error: string };
