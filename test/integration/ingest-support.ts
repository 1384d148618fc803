/** Shared set-up of the ingest integration suites: random topics and key prefixes, helpers. */
import { randomBytes } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import type { Admin, Producer } from "kafkajs";
import { Redis } from "ioredis";
import { DEFAULT_SPEC, createRedisStore, encodeState, readableUser } from "@seqlane/sequences";
import type { SequenceSpec, SequenceStore } from "@seqlane/sequences";
import { createIngest } from "@seqlane/ingest";
import type { Ingest, IngestOptions } from "@seqlane/ingest";
import { deleteByPrefix } from "./redis-cleanup.js";

export const BROKERS = (process.env.SEQLANE_KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
export const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";

export const rand = (prefix: string): string => `${prefix}-${randomBytes(5).toString("hex")}`;

export interface Env {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  readonly redis: Redis;
  readonly topic: string;
  readonly dlqTopic: string;
  readonly prefix: string;
  /** A store over this test's key prefix. */
  store(prefix?: string): SequenceStore;
  /** An in-process consumer on this test's topics. */
  ingest(overrides?: Partial<IngestOptions>): Ingest;
  produce(messages: readonly { key: string | null; value: string | Buffer }[]): Promise<void>;
  /** Sum over partitions of the end offsets of the events topic. */
  endOffset(): Promise<number>;
  /** Sum over partitions of a group's committed offsets. */
  committed(groupId: string): Promise<number>;
  close(): Promise<void>;
}

export async function setup(partitions = 3): Promise<Env> {
  const kafka = new Kafka({ clientId: rand("it"), brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = rand("it-events");
  const dlqTopic = `${topic}.dlq`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: partitions },
      { topic: dlqTopic, numPartitions: 1 },
    ],
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `${rand("it")}:`;
  const ingests: Ingest[] = [];
  const sumOffsets = (xs: { offset: string }[]): number => xs.reduce((a, x) => a + Math.max(0, Number(x.offset)), 0);
  return {
    kafka,
    admin,
    producer,
    redis,
    topic,
    dlqTopic,
    prefix,
    store: (p = prefix) => createRedisStore({ redis, keyPrefix: p }),
    ingest(overrides = {}) {
      const i = createIngest({
        kafka,
        redis,
        topic,
        dlqTopic,
        groupId: rand("it-group"),
        keyPrefix: prefix,
        spec: DEFAULT_SPEC,
        retry: { initialMs: 20, maxMs: 200 },
        ...overrides,
      });
      ingests.push(i);
      return i;
    },
    async produce(messages) {
      for (let i = 0; i < messages.length; i += 2000) {
        await producer.send({
          topic,
          acks: -1,
          messages: messages.slice(i, i + 2000).map((m) => ({ key: m.key, value: m.value })),
        });
      }
    },
    endOffset: async () => sumOffsets(await admin.fetchTopicOffsets(topic)),
    async committed(groupId) {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return sumOffsets(t?.partitions ?? []);
    },
    async close() {
      for (const i of ingests) await i.stop().catch(() => {});
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic, dlqTopic] }).catch(() => {});
      await admin.disconnect();
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

export async function waitFor(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Readable sequences of users (what replay prints), for comparison. */
export async function readable(store: SequenceStore, users: readonly string[]) {
  const states = await store.load(users);
  return users.map((u, i) => readableUser(u, states[i]!));
}

/** Full state bytes (sequences, dedup, horizons) without the revision, for exact comparison. */
export async function exact(store: SequenceStore, users: readonly string[]): Promise<string[]> {
  const states = await store.load(users);
  return states.map((s) => encodeState(s, 1).toString("base64"));
}

export const toMessages = (events: readonly { user_id: string }[]) =>
  events.map((e) => ({ key: e.user_id, value: JSON.stringify(e) }));

export { DEFAULT_SPEC };
export type { SequenceSpec };
