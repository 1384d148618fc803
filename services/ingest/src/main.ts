#!/usr/bin/env node
/** services/ingest entry point: config from the environment, telemetry, signals. */
import { Kafka, logLevel } from "kafkajs";
import { Redis } from "ioredis";
import {
  ConfigErrors,
  dependenciesFromEnv,
  explainStartupError,
  ingest as ingestSpec,
  kafka as kafkaSpec,
  load,
  redis as redisSpec,
} from "@seqlane/config";
import type { ConfigError, Spec, Values } from "@seqlane/config";
import { loadSpec } from "@seqlane/sequences";
import { kafkaLogCreator, startTelemetry } from "@seqlane/telemetry";
import { createIngest } from "./create-ingest.js";
import { startHealthServer } from "./health.js";

function log(level: string, message: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(
    JSON.stringify({ t: new Date().toISOString(), level, service: "seqlane-ingest", message, ...fields }) + "\n",
  );
}

let redis: Redis | undefined;
function redisClient(url: string): Redis {
  redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on("error", (e: Error) => log("warn", "redis", { error: e.message }));
  return redis;
}

async function main(): Promise<number> {
  // Every section is read before failing, so one start-up names every bad variable.
  const problems: ConfigError[] = [];
  const section = <S extends Spec>(spec: S): Values<S> => {
    try {
      return load(spec);
    } catch (e) {
      if (!(e instanceof ConfigErrors)) throw e;
      problems.push(...e.errors);
      return undefined as unknown as Values<S>;
    }
  };
  const cfg = { kafka: section(kafkaSpec), redis: section(redisSpec), ingest: section(ingestSpec) };
  if (problems.length > 0) {
    process.stderr.write(new ConfigErrors(problems).message + "\n");
    return 2;
  }
  const spec = loadSpec(cfg.ingest.sequenceSpecPath);
  const telemetry = startTelemetry({ serviceName: "seqlane-ingest" });
  const kafka = new Kafka({
    clientId: `${cfg.kafka.clientId}-ingest`,
    brokers: [...cfg.kafka.brokers],
    connectionTimeout: cfg.kafka.connectTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator("seqlane-ingest"),
  });
  const ingest = createIngest({
    kafka,
    // On the Kafka thread by default: on the 2-core reference machine a worker thread measured no
    // gain (cores are shared with the broker and Redis); SEQLANE_INGEST_THREAD=true where cores are spare.
    ...(cfg.ingest.processingThread ? { redisUrl: cfg.redis.url } : { redis: redisClient(cfg.redis.url) }),
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
    log,
  });
  let exiting = false;
  const health =
    cfg.ingest.metricsPort > 0
      ? startHealthServer(
          cfg.ingest.metricsPort,
          () => ingest.stats,
          () => !exiting,
        )
      : undefined;
  const shutdown = async (signal: string): Promise<void> => {
    if (exiting) return;
    exiting = true;
    log("info", "stopping", { signal });
    try {
      await ingest.stop();
    } finally {
      health?.close();
      redis?.disconnect();
      await telemetry.shutdown();
      log("info", "stopped", { ...ingest.stats });
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await ingest.start();
  log("info", "consuming", { topic: cfg.kafka.eventsTopic, group: cfg.ingest.groupId });
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e: unknown) => {
    const why = explainStartupError(e, dependenciesFromEnv());
    if (why !== undefined) log("error", why);
    else log("error", "fatal", { error: e instanceof Error ? e.stack : String(e) });
    process.exit(1);
  },
);
