#!/usr/bin/env node
/** services/scorer entry point: the service skeleton (libs/service) around createScorer. */
import { Partitioners, type Producer } from "kafkajs";
import {
  clickhouse as clickhouseSpec,
  kafka as kafkaSpec,
  redis as redisSpec,
  scorer as scorerSpec,
} from "@seqlane/config";
import { createRedisStore } from "@seqlane/sequences";
import { createKafka, runService } from "@seqlane/service";
import { kafkaLogCreator } from "@seqlane/telemetry";
import { createWarehouse } from "@seqlane/warehouse";
import { ItemCatalog } from "./catalog/catalog.js";
import { loadCatalogFromClickHouse } from "./catalog/clickhouse-catalog.js";
import { followItemsTopic } from "./catalog/kafka-catalog.js";
import { createScorer } from "./create-scorer.js";
import { redisStoreCheck } from "./routes/health.js";
import { kafkaPredictionSink } from "./predictions/kafka-sink.js";
import { connectScorerRedis } from "./store/redis.js";

void runService({
  name: "seqlane-scorer",
  config: { kafka: kafkaSpec, redis: redisSpec, scorer: scorerSpec, clickhouse: clickhouseSpec },
  async start({ cfg, logger }) {
    const s = cfg.scorer;
    const redis = connectScorerRedis(cfg.redis.url, { commandTimeoutMs: s.redisTimeoutMs, logger });
    const kafka = createKafka({
      clientId: `${cfg.kafka.clientId}-scorer`,
      brokers: cfg.kafka.brokers,
      connectTimeoutMs: cfg.kafka.connectTimeoutMs,
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
      const ch = cfg.clickhouse;
      const wh = createWarehouse({ url: ch.url, database: ch.database, username: ch.user, password: ch.password });
      await loadCatalogFromClickHouse(wh, catalog)
        .then(
          (n) => logger.info("catalog loaded from ClickHouse", { items: n }),
          (e: unknown) =>
            logger.error("catalog load from ClickHouse failed", { error: e instanceof Error ? e.message : String(e) }),
        )
        .finally(() => wh.close());
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
      maxInflightBytes: s.maxInflightBytes,
      bodyTimeoutMs: s.bodyTimeoutMs,
      requestTimeoutMs: s.requestTimeoutMs,
      authToken: s.authToken,
      trafficSplit: s.trafficSplit,
      shadowMaxRows: s.shadowMaxRows,
      store: createRedisStore({ redis, keyPrefix: cfg.redis.keyPrefix }),
      storeCheck: redisStoreCheck(redis, s.redisTimeoutMs),
      catalog,
      ...(producer ? { predictionSink: kafkaPredictionSink(producer, cfg.kafka.predictionsTopic) } : {}),
      predictionBufferRows: s.predictionBufferRows,
      predictionFlushMs: s.predictionFlushMs,
      releaseGraceMs: s.releaseGraceMs,
      logger,
    });
    await scorer.start();
    return {
      async stop() {
        try {
          await scorer.close();
          clearTimeout(catalogTimer);
          await items?.stop();
          await producer?.disconnect();
        } finally {
          redis.disconnect();
        }
      },
    };
  },
});
