/**
 * `npm run bench` (services/ingest): prints, asserts nothing. Needs the local stack.
 * BENCH_EVENTS (default 1000000), BENCH_PARTITIONS (3), BENCH_USERS (20000), BENCH_BATCH_BYTES
 * (kafkajs maxBytesPerPartition, default 1 MiB), BENCH_MODES (inline,thread: processing on the
 * Kafka thread and/or in a worker thread, each end to end over the same topic).
 */
import { Kafka, logLevel } from "kafkajs";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { parseEvent } from "@seqlane/events";
import { createGenerator } from "@seqlane/generator";
import type { GeneratedEvent } from "@seqlane/generator";
import {
  DEFAULT_SPEC,
  apply,
  createRedisStore,
  createReplayer,
  createState,
  prepareEvent,
  readableUser,
  recordCount,
} from "@seqlane/sequences";
import { createIngest } from "../create-ingest.js";
import { createProcessor } from "../process/processor.js";

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 3);
const USERS = Number(process.env.BENCH_USERS ?? 20_000);
const brokers = (process.env.SEQLANE_KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const redisUrl = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
/** kafkajs maxBytesPerPartition of both the raw and the ingest consumer (ingest's default). */
const BATCH_BYTES = Number(process.env.BENCH_BATCH_BYTES ?? 1_048_576);
/** Processing modes to run end to end, in order: inline (Kafka thread) and/or thread (worker). */
const MODES = (process.env.BENCH_MODES ?? "inline,thread").split(",").map((m) => {
  if (m !== "inline" && m !== "thread") throw new Error(`BENCH_MODES: ${m} is not inline or thread`);
  return m;
});
const tag = randomBytes(4).toString("hex");

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  console.log(
    `seqlane ingest bench: ${fmt(N)} events, ${PARTITIONS} partitions, ${fmt(USERS)} users, fetch ${fmt(BATCH_BYTES)} B per partition, node ${process.version}`,
  );
  // Nothing of the stream stays on the heap while Kafka stages run: a service does not hold a
  // million events, and a large old generation would slow every garbage collection it does.
  const { applyNs, pushNs, users } = measureApply();
  console.log(
    `apply():                    ${applyNs.toFixed(0)} ns/event (prepareEvent + apply: ${pushNs.toFixed(0)} ns/event)`,
  );

  const kafka = new Kafka({ clientId: `bench-${tag}`, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `bench-events-${tag}`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: PARTITIONS },
      { topic: `${topic}.dlq`, numPartitions: 1 },
    ],
  });
  const producer = kafka.producer();
  await producer.connect();
  const t = process.hrtime.bigint();
  for (const chunk of chunks(5000)) {
    await producer.send({ topic, acks: 1, messages: chunk.map((m) => ({ key: m.key, value: m.value })) });
  }
  const prodS = Number(process.hrtime.bigint() - t) / 1e9;
  await producer.disconnect();
  console.log(`produce (setup):            ${fmt(N / prodS)} events/s`);

  // raw kafkajs consume of the same topic: no parsing, no Redis
  {
    // the same fetch size as the consumer under test: the ratio then measures our work alone
    const c = kafka.consumer({ groupId: `bench-raw-${tag}`, maxBytesPerPartition: BATCH_BYTES });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    let n = 0;
    let first = 0;
    let bytes = 0;
    const done = new Promise<void>((resolve) => {
      void c.run({
        eachBatch: async ({ batch }) => {
          if (first === 0) first = performance.now();
          for (const m of batch.messages) bytes += m.value?.length ?? 0;
          n += batch.messages.length;
          if (n >= N) resolve();
        },
      });
    });
    await done;
    const s = (performance.now() - first) / 1000;
    await c.disconnect();
    rawRate = N / s;
    console.log(`raw kafkajs consume:        ${fmt(rawRate)} events/s (${(bytes / N).toFixed(0)} B/message)`);
  }

  // end to end: Kafka -> validate -> apply -> Redis (CAS Lua) -> commit, once per processing mode
  const redis = new Redis(redisUrl);
  const prefix = `bench-${tag}:`;
  let lat: number[] = []; // batch times of the last mode run: its average batch size sizes the processor-only run
  for (const mode of MODES) {
    const times: number[] = [];
    let first = 0;
    let last = 0;
    const ing = createIngest({
      kafka,
      // inline: processing on the Kafka thread (main.ts's default); thread: in a worker thread
      ...(mode === "thread" ? { redisUrl } : { redis }),
      topic,
      dlqTopic: `${topic}.dlq`,
      groupId: `bench-ingest-${mode}-${tag}`,
      keyPrefix: `${prefix}${mode}:`,
      spec: DEFAULT_SPEC,
      maxBatchBytes: BATCH_BYTES,
      onBatch: (b) => {
        const now = performance.now();
        if (first === 0) first = now - b.durationMs;
        last = now;
        times.push(b.durationMs);
      },
    });
    await ing.start();
    while (ing.stats.messages < N) await new Promise((r) => setTimeout(r, 100));
    await ing.stop();
    const e2e = N / ((last - first) / 1000);
    const label = mode === "thread" ? "worker thread" : "Kafka thread";
    console.log(
      `end to end Kafka -> Redis:  ${fmt(e2e)} events/s = ${((100 * e2e) / rawRate).toFixed(0)}% of raw consume (processing on the ${label})`,
    );
    console.log(
      `  batch latency:            p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms over ${times.length} batches (avg ${fmt(N / times.length)} events)`,
    );
    console.log(
      `  outcomes:                 applied ${fmt(ing.stats.applied)}, duplicate ${fmt(ing.stats.duplicate)}, late ${fmt(ing.stats.late)}, dlq ${ing.stats.dlq}, CAS conflicts ${ing.stats.conflicts}`,
    );
    lat = times;
  }

  // the consumer's own work without Kafka (validate, apply, CAS saves to Redis), same batch size
  {
    const avg = Math.max(1, Math.round(N / lat.length));
    const proc = createProcessor({ store: createRedisStore({ redis, keyPrefix: `${prefix}p:` }), spec: DEFAULT_SPEC });
    let ms = 0;
    let offset = 0;
    for (const chunk of chunks(avg)) {
      const msgs = chunk.map((m) => ({ key: null, value: m.value, offset: String(offset++) }));
      const t0 = performance.now();
      await proc.process(topic, 0, msgs);
      ms += performance.now() - t0;
    }
    console.log(`processor only (no Kafka):  ${fmt(N / (ms / 1000))} events/s in batches of ${fmt(avg)}`);
    // The floor of any JSON consumer: parse + validate each message, nothing else. Added to the
    // raw consume cost on one thread it bounds the end-to-end ratio from above.
    let parseMs = 0;
    for (const chunk of chunks(avg)) {
      const t0 = performance.now();
      for (const m of chunk) parseEvent(m.value);
      parseMs += performance.now() - t0;
    }
    const parseRate = N / (parseMs / 1000);
    const bound = 1 / (1 / rawRate + 1 / parseRate);
    console.log(
      `parse + validate only:      ${fmt(parseRate)} events/s (${((1e6 * parseMs) / 1000 / N).toFixed(2)} us/event); raw consume + parsing alone on one thread: ${fmt(bound)} events/s = ${((100 * bound) / rawRate).toFixed(0)}% of raw consume, the ceiling of any single-threaded JSON consumer here`,
    );
  }

  // storage: packed bytes vs JSON of the same sequences
  const store = createRedisStore({ redis, keyPrefix: `${prefix}${MODES[0]}:` });
  let packed = 0;
  let records = 0;
  let json = 0;
  for (let i = 0; i < users.length; i += 500) {
    const chunk = users.slice(i, i + 500);
    const loaded = await store.load(chunk);
    const p = redis.pipeline();
    for (const u of chunk) p.strlen(store.keyOf(u));
    const lens = (await p.exec())!.map(([, v]) => Number(v));
    loaded.forEach((s, k) => {
      packed += lens[k]!;
      records += recordCount(s);
      json += Buffer.byteLength(JSON.stringify(readableUser(chunk[k]!, s).sequences));
    });
  }
  const sample = users.slice(0, 200);
  let mem = 0;
  for (const u of sample) mem += Number(await redis.call("MEMORY", "USAGE", store.keyOf(u)));
  let sampleRecords = 0;
  for (const s of await store.load(sample)) sampleRecords += recordCount(s);
  console.log(
    `Redis bytes per stored event: ${(packed / records).toFixed(1)} packed (value bytes incl. dedup set and header; ${fmt(records)} records, ${fmt(users.length)} users), JSON of the same sequences ${(json / records).toFixed(1)}; MEMORY USAGE incl. key and allocator overhead ${(mem / sampleRecords).toFixed(1)}`,
  );

  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 5000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  redis.disconnect();
  await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] });
  await admin.disconnect();
}

let rawRate = 0;

/** The benchmark stream (seed 1), `size` messages at a time, as producers send it. */
function* chunks(size: number): Generator<{ key: string; value: Buffer }[]> {
  const gen = createGenerator({ seed: 1, users: USERS, startTs: Date.UTC(2026, 0, 1) });
  for (let at = 0; at < N; at += size) {
    const out: { key: string; value: Buffer }[] = [];
    for (let i = at; i < Math.min(N, at + size); i++) {
      const { p_click: _p, ...e } = gen.next();
      out.push({ key: e.user_id, value: Buffer.from(JSON.stringify(e)) });
    }
    yield out;
  }
}

/** apply() in memory over the whole stream, twice (the second with a warm JIT), then replay's push. */
function measureApply(): { applyNs: number; pushNs: number; users: string[] } {
  const gen = createGenerator({ seed: 1, users: USERS, startTs: Date.UTC(2026, 0, 1) });
  const events: GeneratedEvent[] = Array.from({ length: N }, () => gen.next());
  const prepared = events.map(prepareEvent);
  let applyNs = 0;
  let states = new Map<string, ReturnType<typeof createState>>();
  for (let pass = 0; pass < 2; pass++) {
    states = new Map();
    for (const e of events) if (!states.has(e.user_id)) states.set(e.user_id, createState());
    const userOf = events.map((e) => states.get(e.user_id)!);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) apply(userOf[i]!, prepared[i]!, DEFAULT_SPEC);
    applyNs = Number(process.hrtime.bigint() - t0) / N;
  }
  const rep = createReplayer(DEFAULT_SPEC);
  const t = process.hrtime.bigint();
  for (const e of events) rep.push(e);
  const pushNs = Number(process.hrtime.bigint() - t) / N;
  return { applyNs, pushNs, users: [...states.keys()] };
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
