#!/usr/bin/env node
/** services/ingest entry point: the service skeleton (libs/service) around createIngest. */
import { Redis } from "ioredis";
import { ingest as ingestSpec, kafka as kafkaSpec, redis as redisSpec } from "@seqlane/config";
import { loadSpec } from "@seqlane/sequences";
import { createKafka, runService, startHealthServer } from "@seqlane/service";
import { kafkaLogCreator } from "@seqlane/telemetry";
import { createIngest } from "./create-ingest.js";

void runService({
  name: "seqlane-ingest",
  config: { kafka: kafkaSpec, redis: redisSpec, ingest: ingestSpec },
  async start({ cfg, logger, fatal }) {
    const spec = loadSpec(cfg.ingest.sequenceSpecPath);
    const kafka = createKafka({
      clientId: `${cfg.kafka.clientId}-ingest`,
      brokers: cfg.kafka.brokers,
      connectTimeoutMs: cfg.kafka.connectTimeoutMs,
      logCreator: kafkaLogCreator("seqlane-ingest"),
    });
    let redis: Redis | undefined;
    if (!cfg.ingest.processingThread) {
      redis = new Redis(cfg.redis.url, { maxRetriesPerRequest: 1 });
      redis.on("error", (e: Error) => logger.warn("redis", { error: e.message }));
    }
    const ingest = createIngest({
      kafka,
      // On the Kafka thread by default: on the 2-core reference machine a worker thread measured no
      // gain (cores are shared with the broker and Redis); SEQLANE_INGEST_THREAD=true where cores are spare.
      ...(redis === undefined ? { redisUrl: cfg.redis.url } : { redis }),
      topic: cfg.kafka.eventsTopic,
      dlqTopic: cfg.kafka.dlqTopic,
      groupId: cfg.ingest.groupId,
      keyPrefix: cfg.redis.keyPrefix,
      ttlSeconds: cfg.ingest.stateTtlSeconds,
      spec,
      allowedLatenessMs: cfg.ingest.allowedLatenessMs,
      maxFutureSkewMs: cfg.ingest.maxFutureSkewMs,
      maxEventBytes: cfg.ingest.maxEventBytes,
      fromBeginning: cfg.ingest.fromBeginning,
      maxBatchBytes: cfg.ingest.maxBatchBytes,
      partitionsConcurrently: cfg.ingest.partitionsConcurrently,
      cacheUsers: cfg.ingest.cacheUsers,
      stopTimeoutMs: cfg.ingest.stopTimeoutMs,
      log: (level, message, fields) => logger[level](message, fields),
      // kafkajs gave up on the consumer: exit, so that the orchestrator restarts the process.
      onFatal: fatal,
    });
    await ingest.start();
    const health =
      cfg.ingest.metricsPort > 0
        ? await startHealthServer({
            port: cfg.ingest.metricsPort,
            host: cfg.telemetry.healthHost,
            health: () => ({ ...ingest.health(), ...ingest.stats }),
            counters: () => ({ ...ingest.stats }),
            prefix: "seqlane_ingest",
          })
        : undefined;
    logger.info("consuming", { topic: cfg.kafka.eventsTopic, group: cfg.ingest.groupId });
    return {
      async stop() {
        try {
          await ingest.stop();
        } finally {
          health?.close();
          redis?.disconnect();
          logger.info("final counts", { ...ingest.stats });
        }
      },
    };
  },
});
