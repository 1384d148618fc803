/**
 * The recorder against the real local stack: a stream of events and predictions (with some
 * invalid messages), ClickHouse paused (SIGSTOP) for 30 s in the middle, then resumed.
 * Afterwards every event and prediction is in ClickHouse exactly once (FINAL), every invalid
 * message is in events_rejected, and consumption went on during the outage.
 */
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecorder, type Recorder } from "@seqlane/recorder";
import { createWarehouse, ident, migrate, sql, type Warehouse } from "@seqlane/warehouse";

const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const BROKERS = (process.env.SEQLANE_KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "http://127.0.0.1:6379".replace("http", "redis");
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const OUTAGE_MS = Number(process.env.SEQLANE_TEST_OUTAGE_MS ?? 30_000);

const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
const topics = { events: `rec-ev-${tag}`, predictions: `rec-pr-${tag}` };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The stack's clickhouse-server process, found by its config path in /proc (the pid file under
 * .stack may name the wrapper shell that started it, which SIGSTOP would not pause).
 */
function clickhousePid(): number {
  const config = `${ROOT}.stack/clickhouse/config.xml`;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue;
    }
    const argv = cmd.split("\0");
    if (argv[0]?.endsWith("clickhouse-server") && argv.some((a) => a.includes(config))) return Number(entry);
  }
  throw new Error(`no clickhouse-server running with ${config}; run npm run stack:up`);
}

describe("recorder through a ClickHouse outage", () => {
  const kafka = new Kafka({ brokers: BROKERS, clientId: `t-${tag}`, logLevel: logLevel.NOTHING });
  let producer: Producer;
  let wh: Warehouse;
  let rec: Recorder;
  let paused = false;

  beforeAll(async () => {
    wh = createWarehouse({ url: CH_URL, database: `t_rec_${tag}`, requestTimeoutMs: 2000 });
    await migrate(wh, { dir: `${ROOT}/infra/clickhouse` });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: topics.events, numPartitions: 3 },
        { topic: topics.predictions, numPartitions: 3 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    rec = createRecorder({
      kafka: { brokers: BROKERS },
      topics,
      groupId: `t-rec-${tag}`,
      warehouse: wh,
      redis: { url: REDIS_URL, keyPrefix: `t:${tag}:` },
      batchRows: 500,
      batchMaxMs: 200,
      insertRetry: { attempts: 2, baseMs: 100 },
      breakerMs: 2000,
      parkedBackoff: { baseMs: 500, maxMs: 2000 },
      jobs: false,
      log: (level, msg, fields) => {
        if (process.env.REC_DEBUG) console.error(level, msg, JSON.stringify(fields));
      },
    });
    await rec.start();
  });

  afterAll(async () => {
    if (paused) process.kill(clickhousePid(), "SIGCONT");
    await rec?.stop();
    // The retry queue's keys of this test's prefix.
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`t:${tag}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await producer?.disconnect();
    await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`).catch(() => undefined);
    await wh?.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  });

  it("records every event and prediction exactly once", async () => {
    const T0 = Date.UTC(2026, 10, 20, 12);
    let events = 0;
    let predictions = 0;
    let invalid = 0;
    const sendRound = async (round: number): Promise<void> => {
      const ev = [];
      const pr = [];
      for (let i = 0; i < 200; i++) {
        const n = round * 200 + i;
        const user = `u${n % 97}`;
        ev.push({
          key: user,
          value: JSON.stringify({
            event_id: `e${n}`,
            user_id: user,
            item_id: n % 500,
            category_id: 3,
            type: "click",
            ts: T0 + n,
            source: "server",
            schema: 1,
          }),
        });
        pr.push({
          key: user,
          value: JSON.stringify({
            request_id: `r${n}`,
            user_id: user,
            item_id: n % 500,
            model: "din",
            version: "1",
            ctr: (n % 10) / 10,
            cvr: null,
            ts: T0 + n,
          }),
        });
      }
      ev.push({ key: "bad", value: `{"event_id": "bad${round}", "type": "view"}` });
      invalid += 1;
      events += 200;
      predictions += 200;
      await producer.send({ topic: topics.events, messages: ev });
      await producer.send({ topic: topics.predictions, messages: pr });
    };

    let round = 0;
    for (; round < 10; round++) await sendRound(round); // before the outage
    await sleep(2000);
    const pid = clickhousePid();
    process.kill(pid, "SIGSTOP");
    paused = true;
    const pausedAt = Date.now();
    const before = rec.stats();
    try {
      while (Date.now() - pausedAt < OUTAGE_MS) {
        await sendRound(round++);
        await sleep(1000);
      }
      const during = rec.stats();
      // Consumption went on: messages read and batches parked while ClickHouse was away.
      expect(during.messages).toBeGreaterThan(before.messages);
      expect(during.batchesParked).toBeGreaterThan(0);
      expect(await rec.backlog()).toBeGreaterThan(0);
    } finally {
      process.kill(pid, "SIGCONT");
      paused = false;
    }
    for (let i = 0; i < 5; i++) await sendRound(round++); // after

    const deadline = Date.now() + 90_000;
    for (;;) {
      const [e, p, bad] = await Promise.all([
        wh.query<{ n: string }>(sql`SELECT count() AS n FROM events FINAL`),
        wh.query<{ n: string }>(sql`SELECT count() AS n FROM predictions FINAL`),
        wh.query<{ n: string }>(sql`SELECT count() AS n FROM events_rejected FINAL`),
      ]).catch(() => [[], [], []] as { n: string }[][]);
      const done = Number(e[0]?.n) === events && Number(p[0]?.n) === predictions && Number(bad[0]?.n) === invalid;
      if ((done && (await rec.backlog()) === 0) || Date.now() > deadline) break;
      await sleep(1000);
    }
    const [e] = await wh.query<{ n: string; u: string }>(
      sql`SELECT count() AS n, uniqExact(event_id) AS u FROM events FINAL`,
    );
    const [p] = await wh.query<{ n: string; u: string }>(
      sql`SELECT count() AS n, uniqExact(request_id, item_id) AS u FROM predictions FINAL`,
    );
    const [bad] = await wh.query<{ n: string; f: string }>(
      sql`SELECT count() AS n, any(field) AS f FROM events_rejected FINAL`,
    );
    expect({ events: Number(e?.n), unique: Number(e?.u) }).toEqual({ events, unique: events });
    expect({ predictions: Number(p?.n), unique: Number(p?.u) }).toEqual({ predictions, unique: predictions });
    expect(Number(bad?.n)).toBe(invalid);
    expect(bad?.f).toBe("schema"); // the bad message has an event_id but no schema (checked first, as by ingest)
    expect(await rec.backlog()).toBe(0);
    const s = rec.stats();
    expect(s.drained).toBeGreaterThan(0);
    console.log(JSON.stringify({ events, predictions, invalid, stats: s }));
  }, 240_000);
});
