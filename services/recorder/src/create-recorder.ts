import { metrics } from "@opentelemetry/api";
import { Redis } from "ioredis";
import { Kafka, logLevel, type Consumer, type EachBatchPayload } from "kafkajs";
import { toEventRow, toPredictionRow, type KafkaCoordinates, type Mapped } from "@seqlane/warehouse";
import { METRICS } from "@seqlane/telemetry";
import { TopicBuffer, type Batch } from "./buffer.js";
import { Jobs } from "./jobs.js";
import { compile, type RecorderOptions } from "./options.js";
import { Parking } from "./parking.js";
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
      rows: meter.createCounter(METRICS.recorderRows, { description: "Rows inserted into ClickHouse" }),
      rejected: meter.createCounter("seqlane.recorder.rejected", { description: "Messages recorded as rejected" }),
      parked: meter.createCounter("seqlane.recorder.parked_rows", { description: "Rows parked in the retry queue" }),
      failures: meter.createCounter(METRICS.recorderFailures, { description: "Failed ClickHouse inserts" }),
      insertMs: meter.createHistogram("seqlane.recorder.insert_ms", {
        unit: "ms",
        description: "ClickHouse insert time",
      }),
      batchRows: meter.createHistogram("seqlane.recorder.batch_rows", { description: "Rows per insert" }),
    },
  );
  // Consumer lag per partition, as of the last fetched batch: high watermark - next offset.
  const lag = new Map<string, { topic: string; partition: number; value: number }>();
  meter
    .createObservableGauge("seqlane.recorder.lag", { description: "Messages behind the partition's high watermark" })
    .addCallback((r) => {
      for (const l of lag.values()) r.observe(l.value, { topic: l.topic, partition: l.partition });
    });
  const mappers = new Map<string, Mapper>([
    // The same parseEvent, with the same limits, as ingest: both accept and reject alike.
    [o.topics.events, (value, at) => toEventRow(value, at, o.events)],
    [o.topics.predictions, toPredictionRow],
  ]);
  const buffers = new Map([...mappers.keys()].map((t) => [t, new TopicBuffer<object>(t)]));
  const pending = new Map([...mappers.keys()].map((t) => [t, [] as Promise<void>[]]));
  let broken = false;
  const kafka = new Kafka({
    brokers: [...o.kafka.brokers],
    clientId: `${o.kafka.clientId ?? "seqlane"}-recorder`,
    connectionTimeout: o.kafka.connectTimeoutMs ?? 5000,
    logLevel: logLevel.WARN,
  });
  let consumer: Consumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let messages = 0;
  let commits = 0;

  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  /**
   * Writes a taken batch until durable (or we stop), then commits its offsets. Batches of a
   * topic run one after another, so commits only move forward; once a batch could not be made
   * durable nothing later commits either, and Kafka redelivers from there.
   */
  async function writeAndCommit(topic: string, batch: Batch<object>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await sink.write(batch);
        break;
      } catch (e) {
        // Both ClickHouse and Redis refused: hold the batch (and its offsets) and try again.
        o.log("error", "batch neither inserted nor parked; retrying", { topic, error: String(e), attempt });
        if (stopping && attempt >= 3) {
          broken = true;
          throw e;
        }
        await sleep(Math.min(10_000, 250 * 2 ** attempt));
      }
    }
    if (broken) return;
    const offsets = [...batch.commits].map(([partition, offset]) => ({ topic, partition, offset }));
    try {
      await consumer?.commitOffsets(offsets);
      commits += 1;
    } catch (e) {
      // A rebalance moved the partition: the new owner re-reads from the last commit, and the
      // tables deduplicate what it writes again.
      o.log("warn", "offset commit failed", { topic, error: String(e) });
    }
  }

  /** Takes the topic's buffer now and queues its write behind the topic's earlier batches. */
  function flush(topic: string): Promise<void> {
    const buf = buffers.get(topic);
    const queue = pending.get(topic);
    if (buf === undefined || queue === undefined || !buf.pending) return Promise.all(queue ?? []).then(() => undefined);
    const batch = buf.take();
    const next = (queue[queue.length - 1] ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => writeAndCommit(topic, batch));
    queue.push(next);
    const done = (): void => void queue.splice(queue.indexOf(next), 1);
    next.then(done, done);
    return next;
  }

  /**
   * Backpressure: one batch may be written while the next one fills, which overlaps Kafka
   * decoding with the insert; beyond that the consumer waits.
   */
  async function whileBacklogged(topic: string): Promise<void> {
    const queue = pending.get(topic) ?? [];
    while (queue.length > 1) await queue[0]?.catch(() => undefined);
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
        await whileBacklogged(batch.topic);
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
    stats: () => ({ ...sink.stats, messages, commits, drained }),
    backlog: () => parking.backlog(),
  };
}
