import { DEFAULT_WINDOWS, type AttributionWindows, type Warehouse } from "@seqlane/warehouse";
import type { ValidateOptions } from "@seqlane/events";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

/** Options of `createRecorder`; defaults as in libs/config's `recorder` section. */
export interface RecorderOptions {
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly clientId?: string;
    readonly connectTimeoutMs?: number;
  };
  /** Default `behavior-events` and `predictions`. */
  readonly topics?: { readonly events?: string; readonly predictions?: string };
  /** Limits of the event contract; give ingest's (SEQLANE_MAX_EVENT_BYTES, SEQLANE_MAX_FUTURE_SKEW_MS) so both decide alike. Default: the contract's. */
  readonly events?: ValidateOptions;
  /** One group for both topics. Default `seqlane-recorder`. */
  readonly groupId?: string;
  /** Where a new group starts. Default true (earliest). */
  readonly fromBeginning?: boolean;
  readonly warehouse: Warehouse;
  /** Redis of the BullMQ queues. `keyPrefix` default `sl:` (queues live under `<prefix>bull`). */
  readonly redis: { readonly url: string; readonly keyPrefix?: string };
  /** Rows per insert. Default 10 000. */
  readonly batchRows?: number;
  /** Longest a row waits for its insert (ms). Default 1000. */
  readonly batchMaxMs?: number;
  /** Insert retries before parking. Default 3 attempts from 200 ms. */
  readonly insertRetry?: Partial<RetryPolicy>;
  /** After a failed insert, batches go straight to the retry queue for this long (ms). Default 5000. */
  readonly breakerMs?: number;
  /** Retry delays of parked batches: doubled from baseMs up to maxMs. Default 500 and 10 000. */
  readonly parkedBackoff?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Scheduled labelling and evaluation; `false` runs none (tests, benchmarks). */
  readonly jobs?:
    | false
    | {
        readonly labelEveryMs?: number;
        readonly evalEveryMs?: number;
        readonly windows?: AttributionWindows;
        readonly graceMs?: number;
        readonly overlapMs?: number;
        readonly evalLookbackMs?: number;
        /** Connection for the jobs' long queries (a longer timeout than inserts). Default: `warehouse`. */
        readonly warehouse?: Warehouse;
      };
  /** Structured log line sink. Default: JSON lines on stderr for warn and error. */
  readonly log?: (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

export type CompiledOptions = ReturnType<typeof compile>;

export function compile(o: RecorderOptions) {
  const positive = (v: number, name: string): number => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
    return v;
  };
  const jobs = o.jobs === false ? undefined : (o.jobs ?? {});
  return {
    ...o,
    topics: { events: o.topics?.events ?? "behavior-events", predictions: o.topics?.predictions ?? "predictions" },
    events: o.events ?? {},
    groupId: o.groupId ?? "seqlane-recorder",
    fromBeginning: o.fromBeginning ?? true,
    keyPrefix: o.redis.keyPrefix ?? "sl:",
    batchRows: positive(o.batchRows ?? 10_000, "batchRows"),
    batchMaxMs: positive(o.batchMaxMs ?? 1000, "batchMaxMs"),
    insertRetry: { ...DEFAULT_RETRY, ...o.insertRetry },
    breakerMs: o.breakerMs ?? 5000,
    parkedBackoff: { baseMs: o.parkedBackoff?.baseMs ?? 500, maxMs: o.parkedBackoff?.maxMs ?? 10_000 },
    jobs:
      jobs === undefined
        ? undefined
        : {
            labelEveryMs: jobs.labelEveryMs ?? 60_000,
            evalEveryMs: jobs.evalEveryMs ?? 3_600_000,
            windows: jobs.windows ?? DEFAULT_WINDOWS,
            graceMs: jobs.graceMs ?? 300_000,
            overlapMs: jobs.overlapMs ?? 3_600_000,
            evalLookbackMs: jobs.evalLookbackMs ?? 2 * 86_400_000,
            warehouse: jobs.warehouse ?? o.warehouse,
          },
    log:
      o.log ??
      ((level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => {
        if (level !== "info") process.stderr.write(JSON.stringify({ level, msg, ...fields }) + "\n");
      }),
  };
}
