#!/usr/bin/env node
/**
 * seqlane-recorder: reads configuration (SEQLANE_* variables, see libs/config), starts
 * telemetry and the recorder, and stops cleanly on SIGINT/SIGTERM (buffered rows are written
 * and committed before exit).
 */
import {
  clickhouse,
  dependenciesFromEnv,
  explainStartupError,
  ingest as ingestSpec,
  kafka,
  load,
  recorder as recorderSpec,
  redis,
} from "@seqlane/config";
import { startTelemetry } from "@seqlane/telemetry";
import { createWarehouse } from "@seqlane/warehouse";
import { createRecorder } from "./create-recorder.js";

async function main(): Promise<void> {
  const cfg = load(recorderSpec);
  const ing = load(ingestSpec);
  const k = load(kafka);
  const ch = load(clickhouse);
  const r = load(redis);
  const telemetry = startTelemetry({ serviceName: "seqlane-recorder" });
  const conn = { url: ch.url, database: ch.database, username: ch.user, password: ch.password };
  // Inserts fail fast (then park); labelling and evaluation queries may scan for minutes.
  const warehouse = createWarehouse({ ...conn, requestTimeoutMs: 30_000 });
  const jobsWarehouse = createWarehouse({ ...conn, requestTimeoutMs: 600_000 });
  const rec = createRecorder({
    kafka: { brokers: k.brokers, clientId: k.clientId, connectTimeoutMs: k.connectTimeoutMs },
    topics: { events: k.eventsTopic, predictions: k.predictionsTopic },
    groupId: cfg.groupId,
    // Ingest's limits, so that both services accept and reject the same events.
    events: { maxBytes: ing.maxEventBytes, maxFutureSkewMs: ing.maxFutureSkewMs },
    fromBeginning: cfg.fromBeginning,
    warehouse,
    redis: { url: r.url, keyPrefix: r.keyPrefix },
    batchRows: cfg.batchRows,
    batchMaxMs: cfg.batchMaxMs,
    insertRetry: { attempts: cfg.insertAttempts, baseMs: cfg.insertBackoffMs },
    parkedBackoff: { maxMs: cfg.parkedBackoffMaxMs },
    jobs: {
      labelEveryMs: cfg.labelEveryMs,
      evalEveryMs: cfg.evalEveryMs,
      windows: { clickMs: cfg.clickWindowMs, cartMs: cfg.cartWindowMs, purchaseMs: cfg.purchaseWindowMs },
      graceMs: cfg.labelGraceMs,
      overlapMs: cfg.labelOverlapMs,
      evalLookbackMs: cfg.evalLookbackMs,
      warehouse: jobsWarehouse,
    },
    log: (level, msg, fields) => process.stderr.write(JSON.stringify({ level, msg, ...fields }) + "\n"),
  });
  await rec.start();
  process.stderr.write(JSON.stringify({ level: "info", msg: "recorder started", group: cfg.groupId }) + "\n");
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(JSON.stringify({ level: "info", msg: "stopping", signal, ...rec.stats() }) + "\n");
    await rec.stop();
    await warehouse.close();
    await jobsWarehouse.close();
    await telemetry.shutdown();
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e: unknown) => {
  const why = explainStartupError(e, dependenciesFromEnv());
  process.stderr.write(`seqlane-recorder: ${why ?? (e instanceof Error ? e.message : String(e))}\n`);
  process.exit(1);
});
