#!/usr/bin/env node
/**
 * Prints (asserts nothing):
 *  1. recorder rows/s for N predictions Kafka -> ClickHouse, next to a bare @clickhouse/client
 *     insert of the same rows in the same batches, in the same run;
 *  2. evaluation query time (AUC, GAUC and the rest) over M labelled predictions.
 * Usage: npm run bench -- [--rows N (1000000)] [--eval-rows M (10000000)] [--batch B (10000)]
 *        [--skip-recorder] [--skip-eval]. Connections from SEQLANE_* variables (libs/config).
 */
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { Kafka, logLevel, CompressionTypes } from "kafkajs";
import { clickhouse, kafka as kafkaSpec, load, redis as redisSpec } from "@seqlane/config";
import { createWarehouse, evalQuery, ident, lit, migrate, sql, type Warehouse } from "@seqlane/warehouse";
import { fileURLToPath } from "node:url";
import { createRecorder } from "../create-recorder.js";

const a = parseArgs({
  options: {
    rows: { type: "string" },
    "eval-rows": { type: "string" },
    batch: { type: "string" },
    "skip-recorder": { type: "boolean" },
    "skip-eval": { type: "boolean" },
  },
}).values;
const N = Number(a.rows ?? 1_000_000);
const M = Number(a["eval-rows"] ?? 10_000_000);
const BATCH = Number(a.batch ?? 10_000);
const ch = load(clickhouse);
const k = load(kafkaSpec);
const r = load(redisSpec);
const tag = `${Date.now().toString(36)}`;
const MIGRATIONS = fileURLToPath(new URL("../../../../infra/clickhouse", import.meta.url));
const T0 = Date.UTC(2026, 10, 1);
const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));
const rate = (rows: number, ms: number): string => `${Math.round(rows / (ms / 1000)).toLocaleString("en-US")} rows/s`;

function prediction(i: number): Record<string, unknown> {
  return {
    request_id: `r${i}`,
    user_id: `u${i % 100_000}`,
    item_id: `i${i % 50_000}`,
    model: "bench",
    version: "1",
    ctr: (i % 997) / 997,
    cvr: null,
    ts: T0 + i,
    position: i % 50,
  };
}

async function fresh(name: string): Promise<Warehouse> {
  const wh = createWarehouse({
    url: ch.url,
    database: `bench_${name}_${tag}`,
    requestTimeoutMs: 900_000,
    username: ch.user,
    password: ch.password,
  });
  await migrate(wh, { dir: MIGRATIONS });
  return wh;
}

async function drop(wh: Warehouse): Promise<void> {
  await wh.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`);
  await wh.close();
}

async function benchRecorder(): Promise<void> {
  const topic = `bench-predictions-${tag}`;
  const kafka = new Kafka({ brokers: [...k.brokers], clientId: "seqlane-bench", logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 4 },
      { topic: `${topic}-ev`, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
  const producer = kafka.producer();
  await producer.connect();
  let t = performance.now();
  for (let i = 0; i < N; i += 5000) {
    const messages = [];
    for (let j = i; j < Math.min(N, i + 5000); j++)
      messages.push({ key: `u${j % 100_000}`, value: JSON.stringify(prediction(j)) });
    await producer.send({ topic, messages, compression: CompressionTypes.None });
  }
  await producer.disconnect();
  console.log(
    `produced ${N.toLocaleString("en-US")} predictions to Kafka in ${((performance.now() - t) / 1000).toFixed(1)} s (setup, not measured)`,
  );

  // Bare client: the same rows, as objects in JSONEachRow, in batches of BATCH, one at a time.
  const bare = await fresh("bare");
  t = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(N, i + BATCH); j++)
      rows.push({ ...prediction(j), kafka_partition: 0, kafka_offset: String(j) });
    await bare.client.insert({ table: "predictions", values: rows, format: "JSONEachRow" });
  }
  const bareMs = performance.now() - t;
  await drop(bare);

  const wh = await fresh("rec");
  const rec = createRecorder({
    kafka: { brokers: k.brokers },
    topics: { events: `${topic}-ev`, predictions: topic },
    groupId: `bench-${tag}`,
    warehouse: wh,
    redis: { url: r.url, keyPrefix: `bench:${tag}:` },
    batchRows: BATCH,
    batchMaxMs: 1000,
    jobs: false,
  });
  t = performance.now();
  await rec.start();
  let first = 0;
  while (rec.stats().rowsWritten + rec.stats().rowsParked < N) {
    if (first === 0 && rec.stats().rowsWritten > 0) first = performance.now();
    await sleep(20);
  }
  const recMs = performance.now() - t;
  const steadyMs = performance.now() - first;
  const s = rec.stats();
  await rec.stop();
  const redis = new Redis(r.url);
  const keys = await redis.keys(`bench:${tag}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  const [check] = await wh.query<{ n: string }>(sql`SELECT count() AS n FROM predictions FINAL`);
  await drop(wh);
  await admin.deleteTopics({ topics: [topic, `${topic}-ev`] }).catch(() => undefined);
  await admin.disconnect();
  console.log(`rows=${N} batch=${BATCH}`);
  console.log(`  bare @clickhouse/client insert   ${rate(N, bareMs).padStart(18)}  (${(bareMs / 1000).toFixed(1)} s)`);
  console.log(
    `  recorder Kafka -> ClickHouse     ${rate(N, recMs).padStart(18)}  (${(recMs / 1000).toFixed(1)} s incl. group join; ${((bareMs / recMs) * 100).toFixed(0)}% of bare)`,
  );
  console.log(
    `  recorder after first insert      ${rate(N - BATCH, steadyMs).padStart(18)}  (${((bareMs / N / (steadyMs / (N - BATCH))) * 100).toFixed(0)}% of bare)`,
  );
  console.log(`  recorder stats: written ${s.rowsWritten}, parked ${s.rowsParked}, in ClickHouse (FINAL) ${check?.n}`);
}

async function benchEval(): Promise<void> {
  const wh = await fresh("eval");
  const t0 = performance.now();
  // Server-side generation: 2 versions, 200k users, 1000 distinct scores (ties), clicks ~ ctr/2.
  await wh.command(sql`INSERT INTO outcomes (model, version, pred_date, request_id, item_id, user_id, ts, ctr, cvr, position,
      exposed, click, cart, purchase, click_delay_ms, cart_delay_ms, purchase_delay_ms, matched_by, labelled_at)
    SELECT 'bench', toString(number % 2), toDate(toDateTime(intDiv(${lit(T0)} + number * 10, 1000), 'UTC')), toString(number),
      toString(number % 50000), toString(number % 200000), ${lit(T0)} + number * 10, (cityHash64(number) % 1000) / 1000 AS s, NULL, NULL,
      1, toUInt8((cityHash64(number, 1) % 1000) / 1000 < s / 2), 0, 0, NULL, NULL, NULL, 'none', now()
    FROM system.numbers LIMIT ${lit(M)}`);
  console.log(
    `generated ${M.toLocaleString("en-US")} labelled predictions in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup)`,
  );
  const toMs = T0 + M * 10 + 1;
  for (const perDay of [false, true]) {
    const t = performance.now();
    const rows = await wh.query<{ auc: number; gauc: number }>(
      evalQuery({ database: wh.database, task: "ctr", model: "bench", fromMs: T0, toMs, perDay }),
    );
    const ms = performance.now() - t;
    console.log(
      `  eval (AUC+GAUC+logloss+NE+calibration+bins) over ${M.toLocaleString("en-US")} predictions, ${perDay ? "per day" : "whole window"}: ${(ms / 1000).toFixed(2)} s, ${rows.length} rows, auc ${rows[0]?.auc.toFixed(4)}, gauc ${rows[0]?.gauc.toFixed(4)}`,
    );
  }
  await drop(wh);
}

if (!a["skip-recorder"]) await benchRecorder();
if (!a["skip-eval"]) await benchEval();
