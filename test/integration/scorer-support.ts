/** Shared set-up of the scorer integration suites: random topics, key prefix and registry dir. */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";
import { Redis } from "ioredis";
import { silentLogger, writeFixtureModels, type FixtureSet } from "@seqlane/models";
import { createRedisStore, type SequenceStore } from "@seqlane/sequences";
import { createScorer, kafkaPredictionSink, type Scorer, type ScorerOptions } from "@seqlane/scorer";
import { deleteByPrefix } from "./redis-cleanup.js";

export const BROKERS = (process.env.SEQLANE_KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
export const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
export const rand = (prefix: string): string => `${prefix}-${randomBytes(5).toString("hex")}`;

export interface ScorerEnv {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  readonly redis: Redis;
  readonly store: SequenceStore;
  readonly registryDir: string;
  readonly fixtures: FixtureSet;
  readonly predictionsTopic: string;
  readonly itemsTopic: string;
  /** A scorer on this env (port 0, fast polling, Kafka prediction sink); closed by `close`. */
  scorer(over?: Partial<ScorerOptions>): Promise<{ scorer: Scorer; url: string }>;
  close(): Promise<void>;
}

export async function setupScorer(): Promise<ScorerEnv> {
  const kafka = new Kafka({ clientId: rand("it-scorer"), brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const predictionsTopic = rand("it-predictions");
  const itemsTopic = rand("it-items");
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: predictionsTopic, numPartitions: 2 },
      { topic: itemsTopic, numPartitions: 1, configEntries: [{ name: "cleanup.policy", value: "compact" }] },
    ],
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `${rand("it")}:`;
  const store = createRedisStore({ redis, keyPrefix: prefix });
  const registryDir = await mkdtemp(join(tmpdir(), "seqlane-it-registry-"));
  const fixtures = await writeFixtureModels(registryDir, { seed: 31 });
  const scorers: Scorer[] = [];
  return {
    kafka,
    admin,
    producer,
    redis,
    store,
    registryDir,
    fixtures,
    predictionsTopic,
    itemsTopic,
    async scorer(over = {}) {
      const scorer = createScorer({
        port: 0,
        registryDir,
        registryPollMs: 100,
        session: { executionProviders: ["cuda", "cpu"], intraOpThreads: 1 },
        store,
        predictionSink: kafkaPredictionSink(producer, predictionsTopic),
        predictionFlushMs: 50,
        releaseGraceMs: 2000,
        logger: silentLogger,
        ...over,
      });
      scorers.push(scorer);
      return { scorer, url: await scorer.start() };
    },
    async close() {
      for (const s of scorers) await s.close().catch(() => {});
      await producer.disconnect();
      await admin.deleteTopics({ topics: [predictionsTopic, itemsTopic] }).catch(() => {});
      await admin.disconnect();
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
      await rm(registryDir, { recursive: true, force: true });
    },
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON responses field by field
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
