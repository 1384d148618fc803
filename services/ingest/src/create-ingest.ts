import { Partitioners } from "kafkajs";
import type { Consumer, Kafka, Producer } from "kafkajs";
import type { Redis } from "ioredis";
import type { Attributes } from "@opentelemetry/api";
import { defaults, ingest as ingestSpec } from "@seqlane/config";
import { EVENT_FUTURE_SKEW_MS, EVENT_MAX_BYTES } from "@seqlane/events";
import { createRedisStore } from "@seqlane/sequences";
import type { SequenceSpec, SequenceStore } from "@seqlane/sequences";
import { createBatchHandler, type BatchInfo, type IngestStats } from "./batch-handler.js";
import { ConsumerHealth, type HealthReport } from "@seqlane/service";
import { createDlqSender } from "./dlq.js";
import { createProcessor } from "./process/processor.js";
import { createThreadProcessor } from "./process/thread-processor.js";
import type { RetryOptions } from "./retry.js";
import { createInstruments } from "./telemetry.js";

/**
 * Everything the ingest service needs, already validated. An option left out takes the default
 * of its variable in libs/config's `ingest` section, the one place defaults are written.
 */
export interface IngestOptions {
  readonly kafka: Kafka;
  /**
   * Redis URL: batches are then processed (parse, apply, Redis) in a worker thread with its own
   * connection, so kafkajs's decoding and the consumer's work run on two cores. Used unless
   * `store` or `redis` is given.
   */
  readonly redisUrl?: string;
  /** Connected ioredis client, owned by the caller: processing on the calling thread. */
  readonly redis?: Redis;
  /** A store to write to instead of Redis (tests). */
  readonly store?: SequenceStore;
  readonly topic: string;
  readonly dlqTopic: string;
  readonly groupId: string;
  /** Redis key prefix, e.g. "sl:". */
  readonly keyPrefix: string;
  /** TTL of a user's state (s). Default: SEQLANE_STATE_TTL_SECONDS's. */
  readonly ttlSeconds?: number;
  readonly spec: SequenceSpec;
  /** Default: SEQLANE_ALLOWED_LATENESS_MS's. */
  readonly allowedLatenessMs?: number;
  /** Default: the event contract's (libs/contracts). */
  readonly maxFutureSkewMs?: number;
  /** Default: the event contract's (libs/contracts). */
  readonly maxEventBytes?: number;
  /** A new group starts at the earliest offset. Default: SEQLANE_INGEST_FROM_BEGINNING's. */
  readonly fromBeginning?: boolean;
  /** kafkajs maxBytesPerPartition. Default: SEQLANE_INGEST_MAX_BATCH_BYTES's. */
  readonly maxBatchBytes?: number;
  /** kafkajs partitionsConsumedConcurrently. Default: SEQLANE_INGEST_CONCURRENCY's. */
  readonly partitionsConcurrently?: number;
  /** Default: SEQLANE_INGEST_CACHE_USERS's. */
  readonly cacheUsers?: number;
  /** How long stop() lets the current batch retry Redis before giving up uncommitted. Default: SEQLANE_INGEST_STOP_TIMEOUT_MS's. */
  readonly stopTimeoutMs?: number;
  readonly retry?: RetryOptions;
  readonly log?: (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;
  /** Called after each committed batch (tests, benchmark). */
  readonly onBatch?: (info: BatchInfo) => void;
  /** Called once when the consumer crashed for good (kafkajs will not restart it): exit and let the orchestrator restart. */
  readonly onFatal?: (e: Error) => void;
  /** How long a batch may retry a down dependency before /healthz calls the consumer blocked. Default 30000. */
  readonly blockedAfterMs?: number;
}

export interface Ingest {
  /** Connects, joins the group and starts consuming (resolves once running). */
  start(): Promise<void>;
  /** Finishes the current batch, commits, leaves the group and disconnects. Idempotent. */
  stop(): Promise<void>;
  readonly stats: Readonly<IngestStats>;
  /** What /healthz reports: consuming, retrying, blocked, crashed or stopped. */
  health(): HealthReport;
}

export type { BatchInfo, IngestStats };

const D = defaults(ingestSpec);

/**
 * The Kafka -> Redis sequence consumer: eachBatch per partition, one load and one save round trip
 * per batch, DLQ for invalid input, offsets committed only after Redis (and the DLQ) acknowledged.
 */
export function createIngest(o: IngestOptions): Ingest {
  const log = o.log ?? (() => {});
  const stats: IngestStats = { batches: 0, messages: 0, applied: 0, duplicate: 0, late: 0, dlq: 0, conflicts: 0 };
  const lag = new Map<number, number>();
  const inst = createInstruments(function* (): Iterable<[Attributes, number]> {
    for (const [partition, v] of lag) yield [{ topic: o.topic, partition }, v];
  });
  let stopRequestedAt = 0;
  const applyOpts = { allowedLatenessMs: o.allowedLatenessMs ?? D.allowedLatenessMs };
  const validate = {
    maxBytes: o.maxEventBytes ?? EVENT_MAX_BYTES,
    maxFutureSkewMs: o.maxFutureSkewMs ?? EVENT_FUTURE_SKEW_MS,
  };
  const health = new ConsumerHealth(o.blockedAfterMs ?? 30_000);
  const onRetry = (attempt: number, waitMs: number, error: string): void => {
    health.set("retrying", `redis unavailable: ${error}`);
    log("warn", "redis unavailable, retrying batch", { attempt, waitMs, error });
  };
  // What both processors take; the worker thread builds its own Redis client from the URL.
  const storeOpts = { keyPrefix: o.keyPrefix, ...(o.ttlSeconds !== undefined && { ttlSeconds: o.ttlSeconds }) };
  const shared = {
    spec: o.spec,
    apply: applyOpts,
    validate,
    cacheUsers: o.cacheUsers ?? D.cacheUsers,
    ...(o.retry !== undefined && { retry: o.retry }),
  };
  const threaded = o.store === undefined && o.redis === undefined;
  const thread = threaded
    ? createThreadProcessor(
        { redisUrl: o.redisUrl ?? missing("redisUrl, redis or store"), ...storeOpts, ...shared },
        onRetry,
      )
    : undefined;
  const processor =
    thread ??
    createProcessor({
      store: o.store ?? createRedisStore({ redis: o.redis!, ...storeOpts }),
      ...shared,
      shouldStop: () => stopRequestedAt > 0 && Date.now() - stopRequestedAt > (o.stopTimeoutMs ?? D.stopTimeoutMs),
      onRetry: (e, attempt, waitMs) => onRetry(attempt, waitMs, String(e)),
    });
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let stopping: Promise<void> | undefined;

  async function start(): Promise<void> {
    producer = o.kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    consumer = o.kafka.consumer({
      groupId: o.groupId,
      maxBytesPerPartition: o.maxBatchBytes ?? D.maxBatchBytes,
      allowAutoTopicCreation: false,
    });
    const c = consumer;
    const p = producer;
    c.on(c.events.GROUP_JOIN, () => {
      processor.forget();
      health.set("consuming");
    });
    c.on(c.events.CRASH, (e) => {
      const error = e.payload.error;
      log("error", "consumer crashed", { error: String(error), restart: e.payload.restart });
      if (e.payload.restart) return health.set("restarting", String(error));
      health.set("crashed", String(error));
      o.onFatal?.(error instanceof Error ? error : new Error(String(error)));
    });
    c.on(c.events.STOP, () => health.set("stopped"));
    await p.connect();
    await c.connect();
    await c.subscribe({ topic: o.topic, fromBeginning: o.fromBeginning ?? D.fromBeginning });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: o.partitionsConcurrently ?? D.partitionsConcurrently,
      eachBatch: createBatchHandler({
        processor,
        sendDlq: createDlqSender(() => p, o.dlqTopic),
        commit: (topic, partition, offset) => c.commitOffsets([{ topic, partition, offset }]),
        instruments: inst,
        stats,
        lag,
        onCommitted: (info) => {
          health.batchDone();
          o.onBatch?.(info);
        },
      }),
    });
  }

  function stop(): Promise<void> {
    stopping ??= (async () => {
      stopRequestedAt = Date.now();
      health.set("stopping");
      const giveUp = thread ? setTimeout(() => thread.giveUp(), o.stopTimeoutMs ?? D.stopTimeoutMs) : undefined;
      // disconnect() waits for the running batch (which commits), then leaves the group.
      await consumer?.disconnect();
      await producer?.disconnect();
      clearTimeout(giveUp);
      await thread?.close();
      health.set("stopped");
    })();
    return stopping;
  }

  return { start, stop, stats, health: () => health.report() };
}

function missing(what: string): never {
  throw new TypeError(`createIngest: ${what} is required`);
}
