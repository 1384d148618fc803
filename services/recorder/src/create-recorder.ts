import { metrics } from "@opentelemetry/api";
import { Redis } from "ioredis";
import type { Consumer, EachBatchPayload } from "kafkajs";
import { toEventRow, toPredictionRow, type KafkaCoordinates, type Mapped } from "@seqlane/warehouse";
import { createInstrument } from "@seqlane/telemetry";
import { TopicBuffer } from "./buffer.js";
import { Jobs } from "./jobs.js";
import { compile, type RecorderOptions } from "./options.js";
import { Parking } from "./parking.js";
import { ConsumerHealth, createKafka, type HealthReport } from "@seqlane/service";
import { CommitQueue } from "./commit-queue.js";
import { Sink, type SinkStats } from "./sink.js";
import { producerContext } from "./trace.js";

export interface RecorderStats extends SinkStats {
  readonly messages: number;
  readonly commits: number;
  readonly drained: number;
}

export interface Recorder {
  /** Connects, subscribes to both topics and starts consuming (and the queues' workers). */
  start(): Promise<void>;
  /** Stops consuming, writes what is buffered, commits, closes connections. */
  stop(): Promise<void>;
  /** Writes every buffered row now and commits. */
  flush(): Promise<void>;
  stats(): RecorderStats;
  /** Parked batches waiting for ClickHouse. */
  backlog(): Promise<number>;
  /** What /healthz reports: consuming, restarting, crashed or stopping (ClickHouse outages park rows and stay healthy). */
  health(): HealthReport;
  /** The labelling/evaluation jobs, when enabled (to run one now: `jobs.run("label")`). */
  readonly jobs: Jobs | undefined;
}

type Mapper = (value: Buffer | null, at: KafkaCoordinates) => Mapped<object>;

/**
 * Kafka -> ClickHouse recorder: one consumer group over `behavior-events` and `predictions`
 * (one consumer, because kafkajs's assigner hands every topic of a group to every member),
 * rows buffered per topic and inserted by size or age, offsets committed only after
 * ClickHouse (or, when it is down, the Redis retry queue) holds the rows.
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const o = compile(options);
  const meter = metrics.getMeter("seqlane-recorder");
  const redis = new Redis(o.redis.url, { maxRetriesPerRequest: null });
  // ioredis reconnects by itself; without a listener its errors would go to stderr unformatted.
  let lastRedisError = 0;
  redis.on("error", (e: unknown) => {
    if (Date.now() - lastRedisError < 5000) return;
    lastRedisError = Date.now();
    o.log("warn", "redis unavailable", { error: String(e) });
  });
  const prefix = `${o.keyPrefix}bull`;
  let drained = 0;
  const parking = new Parking(o.warehouse, {
    connection: redis,
    prefix,
    queueName: "recorder-retry",
    backoffBaseMs: o.parkedBackoff.baseMs,
    backoffMaxMs: o.parkedBackoff.maxMs,
    onDrained: (b) => {
      drained += b.rows.length;
      o.log("info", "parked batch inserted", { table: b.table, rows: b.rows.length });
    },
  });
  const jobs =
    o.jobs === undefined
      ? undefined
      : new Jobs(o.jobs.warehouse, { connection: redis, prefix, queueName: "recorder-jobs", ...o.jobs });
  const sink = new Sink(
    o.warehouse,
    parking,
    { [o.topics.events]: "events", [o.topics.predictions]: "predictions" },
    o.insertRetry,
    o.breakerMs,
    {
      rows: createInstrument(meter, "recorderRows"),
      rejected: createInstrument(meter, "recorderRejected"),
      parked: createInstrument(meter, "recorderParkedRows"),
      failures: createInstrument(meter, "recorderFailures"),
      insertDuration: createInstrument(meter, "recorderInsertDuration"),
      batchRows: createInstrument(meter, "recorderBatchRows"),
    },
  );
  sink.onRefusedRejected = (rows) =>
    o.log("error", "ClickHouse refused rows of events_rejected", { rows: rows.length, reason: rows[0]?.reason });
  // Consumer lag per partition, as of the last fetched batch: high watermark - next offset.
  const lag = new Map<string, { topic: string; partition: number; value: number }>();
  createInstrument(meter, "recorderLag").addCallback((r) => {
    for (const l of lag.values()) r.observe(l.value, { topic: l.topic, partition: l.partition });
  });
  const mappers = new Map<string, Mapper>([
    // The same parseEvent, with the same limits, as ingest: both accept and reject alike.
    [o.topics.events, (value, at) => toEventRow(value, at, o.events)],
    [o.topics.predictions, toPredictionRow],
  ]);
  const buffers = new Map([...mappers.keys()].map((t) => [t, new TopicBuffer<object>(t)]));
  const queues = new Map(
    [...mappers.keys()].map((topic) => [
      topic,
      new CommitQueue({
        topic,
        write: (batch) => sink.write(batch),
        commit: async (offsets) => {
          await consumer?.commitOffsets(offsets);
        },
        log: o.log,
        stopping: () => stopping,
      }),
    ]),
  );
  const kafka = createKafka({
    brokers: o.kafka.brokers,
    clientId: `${o.kafka.clientId ?? "seqlane"}-recorder`,
    ...(o.kafka.connectTimeoutMs !== undefined && { connectTimeoutMs: o.kafka.connectTimeoutMs }),
  });
  let consumer: Consumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let messages = 0;
  const health = new ConsumerHealth();

  /** Takes the topic's buffer now and queues its write behind the topic's earlier batches. */
  function flush(topic: string): Promise<void> {
    const buf = buffers.get(topic);
    const queue = queues.get(topic);
    if (buf === undefined || queue === undefined) return Promise.resolve();
    if (!buf.pending) return queue.drain();
    return queue.enqueue(buf.take());
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const buf = buffers.get(batch.topic);
    const map = mappers.get(batch.topic);
    if (buf === undefined || map === undefined) return;
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) break;
      const at = {
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        timestamp: m.timestamp,
        key: m.key,
      };
      buf.add(map(m.value, at), batch.partition, m.offset, producerContext(m.headers), Date.now());
      // Advances kafkajs's fetch position only; committing is ours, after the insert.
      resolveOffset(m.offset);
      messages += 1;
      if (buf.size >= o.batchRows) {
        flush(batch.topic).catch(() => undefined);
        await queues.get(batch.topic)?.whileBacklogged();
      }
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last !== undefined) {
      lag.set(`${batch.topic}:${batch.partition}`, {
        topic: batch.topic,
        partition: batch.partition,
        value: Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n)),
      });
    }
    await heartbeat();
  }

  const flushAll = async (): Promise<void> => {
    await Promise.all([...buffers.keys()].map((t) => flush(t)));
  };

  return {
    jobs,
    async start() {
      await parking.queue.waitUntilReady();
      parking.start();
      await jobs?.start();
      consumer = kafka.consumer({ groupId: o.groupId, allowAutoTopicCreation: false });
      const c = consumer;
      c.on(c.events.GROUP_JOIN, () => health.set("consuming"));
      c.on(c.events.CRASH, (e) => {
        const error = e.payload.error;
        o.log("error", "consumer crashed", { error: String(error), restart: e.payload.restart });
        health.set(e.payload.restart ? "restarting" : "crashed", String(error));
        if (!e.payload.restart) o.onFatal?.(error instanceof Error ? error : new Error(String(error)));
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [...mappers.keys()], fromBeginning: o.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 2,
        eachBatch,
      });
      const tick = Math.max(20, Math.min(250, Math.floor(o.batchMaxMs / 2)));
      timer = setInterval(() => {
        const now = Date.now();
        for (const [topic, buf] of buffers) {
          if (buf.pending && now - buf.firstAt >= o.batchMaxMs) {
            flush(topic).catch((e: unknown) => o.log("error", "flush failed", { topic, error: String(e) }));
          }
        }
      }, tick);
    },
    async stop() {
      stopping = true;
      health.set("stopping");
      if (timer !== undefined) clearInterval(timer);
      await consumer?.stop();
      await flushAll().catch((e: unknown) =>
        o.log("error", "final flush failed; Kafka will redeliver", { error: String(e) }),
      );
      await consumer?.disconnect();
      await jobs?.close();
      await parking.close();
      redis.disconnect();
    },
    flush: flushAll,
    stats: () => ({
      ...sink.stats,
      messages,
      commits: [...queues.values()].reduce((a, q) => a + q.commits, 0),
      drained,
    }),
    backlog: () => parking.backlog(),
    health: () => health.report(),
  };
}
