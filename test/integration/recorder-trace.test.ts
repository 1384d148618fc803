/**
 * The recorder links its ClickHouse insert span to the producer's trace carried in the Kafka
 * message's W3C `traceparent` header.
 */
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecorder, type Recorder } from "@seqlane/recorder";
import { startTelemetry, type Telemetry } from "@seqlane/telemetry";
import { createWarehouse, ident, migrate, sql, type Warehouse } from "@seqlane/warehouse";

const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const BROKERS = (process.env.SEQLANE_KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
const topics = { events: `rec-tev-${tag}`, predictions: `rec-tpr-${tag}` };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("recorder trace propagation", () => {
  const kafka = new Kafka({ brokers: BROKERS, clientId: `t-${tag}`, logLevel: logLevel.NOTHING });
  let telemetry: Telemetry;
  let wh: Warehouse;
  let rec: Recorder;

  beforeAll(async () => {
    telemetry = startTelemetry({ serviceName: "seqlane-recorder-test", memory: true, env: {} });
    wh = createWarehouse({ url: CH_URL, database: `t_trace_${tag}` });
    await migrate(wh, { dir: `${ROOT}/infra/clickhouse` });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    rec = createRecorder({
      kafka: { brokers: BROKERS },
      topics,
      groupId: `t-trace-${tag}`,
      warehouse: wh,
      redis: { url: REDIS_URL, keyPrefix: `t:${tag}:` },
      batchRows: 1000,
      batchMaxMs: 100,
      jobs: false,
      log: () => undefined,
    });
    await rec.start();
  });

  afterAll(async () => {
    await rec?.stop();
    // The retry queue's keys of this test's prefix.
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`t:${tag}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`).catch(() => undefined);
    await wh?.close();
    await telemetry?.shutdown();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  });

  it("links the insert span to the producer's span context", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const spanId = "00f067aa0ba902b7";
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topics.predictions,
      messages: [
        {
          key: "u1",
          value: JSON.stringify({
            request_id: "r1",
            user_id: "u1",
            item_id: "i1",
            model: "din",
            version: "1",
            ctr: 0.3,
            cvr: null,
            ts: Date.now(),
          }),
          headers: { traceparent: `00-${traceId}-${spanId}-01` },
        },
      ],
    });
    await producer.disconnect();
    const deadline = Date.now() + 30_000;
    while (rec.stats().rowsWritten < 1 && Date.now() < deadline) await sleep(100);
    await telemetry.flush();
    const span = telemetry.spans?.getFinishedSpans().find((s) => s.name === "insert predictions");
    expect(span).toBeDefined();
    expect(span?.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([[traceId, spanId]]);
    expect(span?.attributes["seqlane.rows"]).toBe(1);
  });
});
