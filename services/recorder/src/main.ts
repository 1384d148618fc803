#!/usr/bin/env node
/**
 * seqlane-recorder: the service skeleton (libs/service) around createRecorder; on SIGINT or
 * SIGTERM buffered rows are written and committed before exit.
 */
import { clickhouse, ingest as ingestSpec, kafka, recorder as recorderSpec, redis } from "@seqlane/config";
import { runService, startHealthServer } from "@seqlane/service";
import { createWarehouse } from "@seqlane/warehouse";
import { createRecorder } from "./create-recorder.js";

void runService({
  name: "seqlane-recorder",
  // The ingest section for its event limits, so that both services accept and reject alike.
  config: { recorder: recorderSpec, ingest: ingestSpec, kafka, clickhouse, redis },
  async start({ cfg, logger, fatal }) {
    const k = cfg.kafka;
    const ch = cfg.clickhouse;
    const conn = { url: ch.url, database: ch.database, username: ch.user, password: ch.password };
    // Inserts fail fast (then park); labelling and evaluation queries may scan for minutes.
    const warehouse = createWarehouse({ ...conn, requestTimeoutMs: 30_000 });
    const jobsWarehouse = createWarehouse({ ...conn, requestTimeoutMs: 600_000 });
    const r = cfg.recorder;
    const rec = createRecorder({
      kafka: { brokers: k.brokers, clientId: k.clientId, connectTimeoutMs: k.connectTimeoutMs },
      topics: { events: k.eventsTopic, predictions: k.predictionsTopic },
      groupId: r.groupId,
      fromBeginning: r.fromBeginning,
      events: { maxBytes: cfg.ingest.maxEventBytes, maxFutureSkewMs: cfg.ingest.maxFutureSkewMs },
      warehouse,
      redis: { url: cfg.redis.url, keyPrefix: cfg.redis.keyPrefix },
      batchRows: r.batchRows,
      batchMaxMs: r.batchMaxMs,
      insertRetry: { attempts: r.insertAttempts, baseMs: r.insertBackoffMs },
      parkedBackoff: { maxMs: r.parkedBackoffMaxMs },
      jobs: {
        labelEveryMs: r.labelEveryMs,
        evalEveryMs: r.evalEveryMs,
        windows: { clickMs: r.clickWindowMs, cartMs: r.cartWindowMs, purchaseMs: r.purchaseWindowMs },
        graceMs: r.labelGraceMs,
        overlapMs: r.labelOverlapMs,
        evalLookbackMs: r.evalLookbackMs,
        warehouse: jobsWarehouse,
      },
      log: (level, msg, fields) => logger[level](msg, fields),
      onFatal: fatal,
    });
    await rec.start();
    logger.info("recorder started", { group: r.groupId });
    const health =
      r.healthPort > 0
        ? await startHealthServer({
            port: r.healthPort,
            host: cfg.telemetry.healthHost,
            health: () => ({ ...rec.health(), ...rec.stats() }),
            counters: () => ({ ...rec.stats() }),
            prefix: "seqlane_recorder",
          })
        : undefined;
    return {
      async stop() {
        try {
          await rec.stop();
        } finally {
          health?.close();
          logger.info("final counts", { ...rec.stats() });
          await warehouse.close();
          await jobsWarehouse.close();
        }
      },
    };
  },
});
