import { defaults, kafka, recorder, redis } from "@seqlane/config";
import { DEFAULT_WINDOWS, type AttributionWindows, type Warehouse } from "@seqlane/warehouse";
import type { ValidateOptions } from "@seqlane/events";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

/**
 * Options of `createRecorder`. An option left out takes the default of its variable in
 * libs/config (`recorder`, `kafka` and `redis` sections), the one place defaults are written.
 */
export interface RecorderOptions {
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly clientId?: string;
    readonly connectTimeoutMs?: number;
  };
  /** Default: SEQLANE_TOPIC_EVENTS's and SEQLANE_TOPIC_PREDICTIONS's. */
  readonly topics?: { readonly events?: string; readonly predictions?: string };
  /** Limits of the event contract; give ingest's (SEQLANE_MAX_EVENT_BYTES, SEQLANE_MAX_FUTURE_SKEW_MS) so both decide alike. Default: the contract's. */
  readonly events?: ValidateOptions;
  /** One group for both topics. Default: SEQLANE_RECORDER_GROUP's. */
  readonly groupId?: string;
  /** Where a new group starts (true: earliest). Default: SEQLANE_RECORDER_FROM_BEGINNING's. */
  readonly fromBeginning?: boolean;
  readonly warehouse: Warehouse;
  /** Redis of the BullMQ queues (under `<keyPrefix>bull`). `keyPrefix` default: SEQLANE_REDIS_PREFIX's. */
  readonly redis: { readonly url: string; readonly keyPrefix?: string };
  /** Rows per insert. Default: SEQLANE_RECORDER_BATCH_ROWS's. */
  readonly batchRows?: number;
  /** Longest a row waits for its insert (ms). Default: SEQLANE_RECORDER_BATCH_MS's. */
  readonly batchMaxMs?: number;
  /** Insert retries before parking. Default: `DEFAULT_RETRY` (SEQLANE_RECORDER_INSERT_ATTEMPTS and _BACKOFF_MS's). */
  readonly insertRetry?: Partial<RetryPolicy>;
  /** After a failed insert, batches go straight to the retry queue for this long (ms). Default 5000. */
  readonly breakerMs?: number;
  /** Retry delays of parked batches: doubled from baseMs up to maxMs. Default 500 and SEQLANE_RECORDER_PARKED_BACKOFF_MAX_MS's. */
  readonly parkedBackoff?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Scheduled labelling and evaluation (defaults: the SEQLANE_LABEL_*, _EVAL_* and _*_WINDOW_MS variables'); `false` runs none (tests, benchmarks). */
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
  /** Called once when the consumer crashed for good (kafkajs will not restart it): exit and let the orchestrator restart. */
  readonly onFatal?: (e: Error) => void;
  /** Structured log line sink. Default: JSON lines on stderr for warn and error. */
  readonly log?: (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

export type CompiledOptions = ReturnType<typeof compile>;

const D = { ...defaults(recorder), ...defaults(kafka), ...defaults(redis) };

export function compile(o: RecorderOptions) {
  const positive = (v: number, name: string): number => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
    return v;
  };
  const jobs = o.jobs === false ? undefined : (o.jobs ?? {});
  return {
    ...o,
    topics: { events: o.topics?.events ?? D.eventsTopic, predictions: o.topics?.predictions ?? D.predictionsTopic },
    events: o.events ?? {},
    groupId: o.groupId ?? D.groupId,
    fromBeginning: o.fromBeginning ?? D.fromBeginning,
    keyPrefix: o.redis.keyPrefix ?? D.keyPrefix,
    batchRows: positive(o.batchRows ?? D.batchRows, "batchRows"),
    batchMaxMs: positive(o.batchMaxMs ?? D.batchMaxMs, "batchMaxMs"),
    insertRetry: { ...DEFAULT_RETRY, ...o.insertRetry },
    breakerMs: o.breakerMs ?? 5000,
    parkedBackoff: { baseMs: o.parkedBackoff?.baseMs ?? 500, maxMs: o.parkedBackoff?.maxMs ?? D.parkedBackoffMaxMs },
    jobs:
      jobs === undefined
        ? undefined
        : {
            labelEveryMs: jobs.labelEveryMs ?? D.labelEveryMs,
            evalEveryMs: jobs.evalEveryMs ?? D.evalEveryMs,
            windows: jobs.windows ?? DEFAULT_WINDOWS,
            graceMs: jobs.graceMs ?? D.labelGraceMs,
            overlapMs: jobs.overlapMs ?? D.labelOverlapMs,
            evalLookbackMs: jobs.evalLookbackMs ?? D.evalLookbackMs,
            warehouse: jobs.warehouse ?? o.warehouse,
          },
    log:
      o.log ??
      ((level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => {
        if (level !== "info") process.stderr.write(JSON.stringify({ level, msg, ...fields }) + "\n");
      }),
  };
}
