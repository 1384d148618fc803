#!/usr/bin/env node
/** services/scorer entry point: config from the environment, telemetry, Redis, Kafka, signals. */
import { Redis } from "ioredis";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import {
  clickhouse as clickhouseSpec,
  ConfigErrors,
  dependenciesFromEnv,
  explainStartupError,
  kafka as kafkaSpec,
  load,
  redis as redisSpec,
  scorer as scorerSpec,
} from "@seqlane/config";
import { consoleLogger } from "@seqlane/models";
import { createRedisStore } from "@seqlane/sequences";
import { kafkaLogCreator, startTelemetry } from "@seqlane/telemetry";
import { ItemCatalog } from "./catalog/catalog.js";
import { loadCatalogFromClickHouse } from "./catalog/clickhouse-catalog.js";
import { followItemsTopic } from "./catalog/kafka-catalog.js";
import { createScorer } from "./create-scorer.js";
import { kafkaPredictionSink } from "./predictions/kafka-sink.js";

async function main(): Promise<number> {
  let cfg;
  try {
    cfg = {
      kafka: load(kafkaSpec),
      redis: load(redisSpec),
      scorer: load(scorerSpec),
      clickhouse: load(clickhouseSpec),
    };
  } catch (e) {
    if (e instanceof ConfigErrors) {
      process.stderr.write(e.message + "\n");
      return 2;
    }
    throw e;
  }
  const s = cfg.scorer;
  const logger = consoleLogger;
  const telemetry = startTelemetry({ serviceName: "seqlane-scorer" });
  const redis = new Redis(cfg.redis.url, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
  redis.on("error", (e: Error) => logger.warn("redis", { error: e.message }));
  const kafka = new Kafka({
    clientId: `${cfg.kafka.clientId}-scorer`,
    brokers: [...cfg.kafka.brokers],
    connectionTimeout: cfg.kafka.connectTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator("seqlane-scorer"),
  });
  let producer: Producer | undefined;
  if (s.predictionLog) {
    producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  }
  const catalog = new ItemCatalog();
  // The catalog only fills in attributes: scoring starts without it and it retries in the background.
  let items: Awaited<ReturnType<typeof followItemsTopic>> | undefined;
  let catalogTimer: NodeJS.Timeout | undefined;
  const startCatalog = async (): Promise<void> => {
    try {
      items = await followItemsTopic(kafka, cfg.kafka.itemsTopic, catalog, logger);
      logger.info("following items topic", { topic: cfg.kafka.itemsTopic });
    } catch (e) {
      logger.error("items topic unavailable; scoring without catalog, retrying in 30 s", {
        topic: cfg.kafka.itemsTopic,
        error: e instanceof Error ? e.message : String(e),
      });
      catalogTimer = setTimeout(() => void startCatalog(), 30_000);
      catalogTimer.unref();
    }
  };
  if (s.itemCatalogFromClickHouse) {
    // Warm start from the warehouse; the items topic (applied after) wins where both know an item.
    await loadCatalogFromClickHouse(cfg.clickhouse, catalog).then(
      (n) => logger.info("catalog loaded from ClickHouse", { items: n }),
      (e: unknown) =>
        logger.error("catalog load from ClickHouse failed", { error: e instanceof Error ? e.message : String(e) }),
    );
  }
  if (s.itemCatalog) await startCatalog();
  const scorer = createScorer({
    host: s.host,
    port: s.port,
    registryDir: s.registryDir,
    registryPollMs: s.registryPollMs,
    defaultModel: s.defaultModel,
    session: {
      executionProviders: s.executionProviders,
      intraOpThreads: s.intraOpThreads,
      interOpThreads: s.interOpThreads,
      worker: s.inferenceWorker,
    },
    batching: {
      maxRows: s.maxBatchRows,
      maxWaitMs: s.maxBatchWaitMs,
      enabled: s.microBatching,
      tune: s.tuneBatchRows,
    },
    maxQueuedRows: s.maxQueuedRows,
    maxCandidates: s.maxCandidates,
    maxBodyBytes: s.maxBodyBytes,
    requestTimeoutMs: s.requestTimeoutMs,
    authToken: s.authToken,
    trafficSplit: s.trafficSplit,
    store: createRedisStore({ redis, keyPrefix: cfg.redis.keyPrefix }),
    catalog,
    ...(producer ? { predictionSink: kafkaPredictionSink(producer, cfg.kafka.predictionsTopic) } : {}),
    predictionBufferRows: s.predictionBufferRows,
    predictionFlushMs: s.predictionFlushMs,
    releaseGraceMs: s.releaseGraceMs,
    logger,
  });
  let exiting = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (exiting) return;
    exiting = true;
    logger.info("stopping", { signal });
    try {
      await scorer.close();
      clearTimeout(catalogTimer);
      await items?.stop();
      await producer?.disconnect();
    } finally {
      redis.disconnect();
      await telemetry.shutdown();
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await scorer.start();
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e: unknown) => {
    const why = explainStartupError(e, dependenciesFromEnv());
    if (why !== undefined) consoleLogger.error(why, {});
    else consoleLogger.error("fatal", { error: e instanceof Error ? e.stack : String(e) });
    process.exit(1);
  },
);
