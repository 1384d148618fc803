/**
 * A row ClickHouse refuses never holds its batch hostage (real ClickHouse 18.16 and Redis):
 * the recorder's sink bisects the refused insert, stores every good row, and files the refused
 * row in events_rejected with ClickHouse's own reason, instead of retrying the batch forever.
 */
import { metrics } from "@opentelemetry/api";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Parking, Sink, insertIsolating } from "@seqlane/recorder";
import { createInstrument } from "@seqlane/telemetry";
import { createWarehouse, ident, migrate, qualified, sql, type Warehouse } from "@seqlane/warehouse";

const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
const ROOT = new URL("../..", import.meta.url).pathname;
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;

const row = (i: number, type = "click") => ({
  event_id: `e${i}`,
  user_id: `u${i % 7}`,
  item_id: `i${i}`,
  category_id: "c",
  brand_id: "",
  shop_id: "",
  price: null,
  type,
  ts: Date.UTC(2026, 10, 1) + i,
  source: "server",
  request_id: "",
  position: null,
  schema_version: 1,
  kafka_partition: 0,
  kafka_offset: String(i),
});

describe("recorder: rows ClickHouse refuses are isolated", () => {
  let wh: Warehouse;
  let redis: Redis;
  let parking: Parking;
  beforeAll(async () => {
    wh = createWarehouse({ url: CH_URL, database: `t_iso_${tag}` });
    await migrate(wh, { dir: `${ROOT}infra/clickhouse` });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    parking = new Parking(wh, {
      connection: redis,
      prefix: `t:${tag}:bull`,
      queueName: "iso",
      backoffBaseMs: 100,
      backoffMaxMs: 500,
    });
  });
  afterAll(async () => {
    await parking?.close();
    const keys = await redis.keys(`t:${tag}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`).catch(() => undefined);
    await wh?.close();
  });

  const count = async (table: string) =>
    Number(
      (await wh.query<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${qualified(wh.database, table)}`))[0]?.n,
    );

  it("bisects to the refused rows and inserts the others", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => row(i, i === 17 || i === 250 ? "bogus" : "click"));
    const refused = await insertIsolating(wh, "events", rows);
    expect(refused.map((r) => (r.row as { event_id: string }).event_id)).toEqual(["e17", "e250"]);
    expect(refused[0]!.reason).toMatch(/bogus|Enum|Unknown element/i);
    expect(await count("events")).toBe(298);
  });

  it("the sink files a refused row in events_rejected with ClickHouse's reason and parks nothing", async () => {
    const meter = metrics.getMeter("t");
    const sink = new Sink(wh, parking, { "behavior-events": "events" }, { attempts: 2, baseMs: 10, maxMs: 50 }, 1000, {
      rows: createInstrument(meter, "recorderRows"),
      rejected: createInstrument(meter, "recorderRejected"),
      parked: createInstrument(meter, "recorderParkedRows"),
      failures: createInstrument(meter, "recorderFailures"),
      insertDuration: createInstrument(meter, "recorderInsertDuration"),
      batchRows: createInstrument(meter, "recorderBatchRows"),
    });
    const before = await count("events");
    const rows = Array.from({ length: 1000 }, (_, i) => row(1000 + i, i === 500 ? "bogus" : "click"));
    await sink.write({ topic: "behavior-events", rows, rejected: [], commits: new Map([[0, "2000"]]), links: [] });
    expect(await count("events")).toBe(before + 999);
    const rejected = await wh.query<{ kafka_offset: string; field: string; reason: string }>(
      sql`SELECT toString(kafka_offset) AS kafka_offset, field, reason FROM ${qualified(wh.database, "events_rejected")}`,
    );
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ kafka_offset: "1500", field: "$" });
    expect(rejected[0]!.reason).toMatch(/^clickhouse_refused: /);
    expect(sink.stats).toMatchObject({ rowsRefused: 1, batchesParked: 0 });
    expect(await parking.backlog()).toBe(0);
  });
});
