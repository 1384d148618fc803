import { Partitioners } from "kafkajs";
import type { Consumer, Kafka, Producer } from "kafkajs";
import type { Redis } from "ioredis";
import { SpanStatusCode } from "@opentelemetry/api";
import type { Attributes } from "@opentelemetry/api";
import { createRedisStore } from "@seqlane/sequences";
import type { SequenceSpec, SequenceStore } from "@seqlane/sequences";
import { BatchAbortedError } from "./errors.js";
import { createProcessor } from "./process/processor.js";
import { createThreadProcessor } from "./process/thread-processor.js";
import type { RetryOptions } from "./retry.js";
import { createInstruments } from "./telemetry.js";

/** Everything the ingest service needs, already validated (see libs/config `ingest`). */
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
  /** TTL of a user's state (s). Default 400 days. */
  readonly ttlSeconds?: number;
  readonly spec: SequenceSpec;
  /** Default 3600000. */
  readonly allowedLatenessMs?: number;
  /** Default 300000. */
  readonly maxFutureSkewMs?: number;
  /** Default 16384. */
  readonly maxEventBytes?: number;
  /** A new group starts at the earliest offset. Default true. */
  readonly fromBeginning?: boolean;
  /** kafkajs maxBytesPerPartition. Default 1 MiB. */
  readonly maxBatchBytes?: number;
  /** kafkajs partitionsConsumedConcurrently. Default 3. */
  readonly partitionsConcurrently?: number;
  /** Default 20000. */
  readonly cacheUsers?: number;
  /** How long stop() lets the current batch retry Redis before giving up uncommitted. Default 30000. */
  readonly stopTimeoutMs?: number;
  readonly retry?: RetryOptions;
  readonly log?: (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;
  /** Called after each committed batch (tests, benchmark). */
  readonly onBatch?: (info: BatchInfo) => void;
}

export interface BatchInfo {
  readonly topic: string;
  readonly partition: number;
  readonly messages: number;
  readonly applied: number;
  readonly duplicate: number;
  readonly late: number;
  readonly dlq: number;
  readonly durationMs: number;
  /** Next offset to consume (the one committed). */
  readonly committed: string;
}

export interface IngestStats {
  batches: number;
  messages: number;
  applied: number;
  duplicate: number;
  late: number;
  dlq: number;
  conflicts: number;
}

export interface Ingest {
  /** Connects, joins the group and starts consuming (resolves once running). */
  start(): Promise<void>;
  /** Finishes the current batch, commits, leaves the group and disconnects. Idempotent. */
  stop(): Promise<void>;
  readonly stats: Readonly<IngestStats>;
}

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
  const applyOpts = { allowedLatenessMs: o.allowedLatenessMs ?? 3_600_000 };
  const validate = { maxBytes: o.maxEventBytes ?? 16_384, maxFutureSkewMs: o.maxFutureSkewMs ?? 300_000 };
  const onRetry = (attempt: number, waitMs: number, error: string): void =>
    log("warn", "redis unavailable, retrying batch", { attempt, waitMs, error });
  // What both processors take; the worker thread builds its own Redis client from the URL.
  const storeOpts = { keyPrefix: o.keyPrefix, ...(o.ttlSeconds !== undefined && { ttlSeconds: o.ttlSeconds }) };
  const shared = {
    spec: o.spec,
    apply: applyOpts,
    validate,
    cacheUsers: o.cacheUsers ?? 20_000,
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
      shouldStop: () => stopRequestedAt > 0 && Date.now() - stopRequestedAt > (o.stopTimeoutMs ?? 30_000),
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
      maxBytesPerPartition: o.maxBatchBytes ?? 1_048_576,
      allowAutoTopicCreation: false,
    });
    const c = consumer;
    const p = producer;
    c.on(c.events.GROUP_JOIN, () => processor.forget());
    c.on(c.events.CRASH, (e) =>
      log("error", "consumer crashed", { error: String(e.payload.error), restart: e.payload.restart }),
    );
    await p.connect();
    await c.connect();
    await c.subscribe({ topic: o.topic, fromBeginning: o.fromBeginning ?? true });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: o.partitionsConcurrently ?? 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isStale }) => {
        if (batch.messages.length === 0) return;
        const t0 = performance.now();
        const first = batch.messages[0]!.offset;
        const last = batch.messages[batch.messages.length - 1]!.offset;
        const span = inst.tracer.startSpan("ingest.batch", {
          attributes: {
            "messaging.destination.name": batch.topic,
            "messaging.destination.partition.id": String(batch.partition),
            "messaging.batch.message_count": batch.messages.length,
          },
        });
        try {
          let r;
          try {
            r = await processor.process(batch.topic, batch.partition, batch.messages);
          } catch (e) {
            throw new BatchAbortedError(batch.topic, batch.partition, first, e);
          }
          // In requests well under Kafka's 1 MB default limit: thousands of small bad messages in
          // one batch would otherwise make one produce request the broker refuses.
          for (const chunk of chunkByBytes(r.dlq, DLQ_REQUEST_BYTES)) {
            await p.send({
              topic: o.dlqTopic,
              acks: -1,
              messages: chunk.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
            });
          }
          // A revoked partition is not ours to commit; its new owner redoes the batch (dedup).
          if (isStale()) return;
          const next = (BigInt(last) + 1n).toString();
          await c.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          resolveOffset(last);
          await heartbeat();
          const durationMs = performance.now() - t0;
          Object.assign(stats, {
            batches: stats.batches + 1,
            messages: stats.messages + r.messages,
            applied: stats.applied + r.applied,
            duplicate: stats.duplicate + r.duplicate,
            late: stats.late + r.late,
            dlq: stats.dlq + r.dlq.length,
            conflicts: stats.conflicts + r.conflicts,
          });
          lag.set(batch.partition, Math.max(0, Number(batch.highWatermark) - Number(next)));
          inst.events.add(r.applied, { outcome: "applied" });
          inst.events.add(r.duplicate, { outcome: "duplicate" });
          inst.events.add(r.late, { outcome: "late" });
          inst.events.add(r.dlq.length, { outcome: "dlq" });
          inst.late.add(r.late);
          for (const [reason, n] of Object.entries(r.rejected)) inst.dlq.add(n, { reason });
          inst.batch.record(durationMs / 1000);
          span.setAttributes({ "seqlane.applied": r.applied, "seqlane.dlq": r.dlq.length, "seqlane.users": r.users });
          o.onBatch?.({
            topic: batch.topic,
            partition: batch.partition,
            messages: r.messages,
            applied: r.applied,
            duplicate: r.duplicate,
            late: r.late,
            dlq: r.dlq.length,
            durationMs,
            committed: next,
          });
        } catch (e) {
          span.recordException(e as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw e;
        } finally {
          span.end();
        }
      },
    });
  }

  function stop(): Promise<void> {
    stopping ??= (async () => {
      stopRequestedAt = Date.now();
      const giveUp = thread ? setTimeout(() => thread.giveUp(), o.stopTimeoutMs ?? 30_000) : undefined;
      // disconnect() waits for the running batch (which commits), then leaves the group.
      await consumer?.disconnect();
      await producer?.disconnect();
      clearTimeout(giveUp);
      await thread?.close();
    })();
    return stopping;
  }

  return { start, stop, stats };
}

/** Bytes of dead letters per produce request (Kafka's default max.request.size is 1 MiB). */
const DLQ_REQUEST_BYTES = 256 * 1024;

/** Splits messages into runs whose key, value and header bytes add up to at most `limit` (at least one each). */
export function chunkByBytes<M extends { key: Buffer | null; value: Buffer | null; headers: Record<string, string> }>(
  messages: readonly M[],
  limit: number,
): M[][] {
  const out: M[][] = [];
  let cur: M[] = [];
  let bytes = 0;
  for (const m of messages) {
    let size = 64 + (m.key?.byteLength ?? 0) + (m.value?.byteLength ?? 0);
    for (const [k, v] of Object.entries(m.headers)) size += 8 + Buffer.byteLength(k) + Buffer.byteLength(v);
    if (cur.length > 0 && bytes + size > limit) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(m);
    bytes += size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function missing(what: string): never {
  throw new TypeError(`createIngest: ${what} is required`);
}
