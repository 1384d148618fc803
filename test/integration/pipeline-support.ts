/**
 * Set-up shared by the suites that run the real ingest and the real recorder side by side on
 * one events topic (contract corpus, fuzz): a throwaway ClickHouse database, a recorder on the
 * test's topics, and readers of the DLQ and of the recorder's tables.
 */
import type { KafkaMessage } from "kafkajs";
import { createRecorder, type Recorder } from "@seqlane/recorder";
import { createWarehouse, ident, migrate, qualified, sql, type Warehouse } from "@seqlane/warehouse";
import { BROKERS, REDIS_URL, rand, waitFor, type Env } from "./ingest-support.js";

const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const ROOT = new URL("../..", import.meta.url).pathname;

export interface Pipeline {
  readonly wh: Warehouse;
  readonly recorder: Recorder;
  /** Rows in a table of the test's database (FINAL: one per key). */
  count(table: string): Promise<number>;
  /** Every dead letter ingest wrote, once at least `atLeast` are there. */
  deadLetters(atLeast: number): Promise<KafkaMessage[]>;
  close(): Promise<void>;
}

export async function recorderBeside(env: Env, name: string, batchRows = 500): Promise<Pipeline> {
  const predictionsTopic = rand(`${name}-pred`);
  await env.admin.createTopics({ waitForLeaders: true, topics: [{ topic: predictionsTopic, numPartitions: 1 }] });
  const wh = createWarehouse({ url: CH_URL, database: `t_${name}_${Date.now().toString(36)}` });
  await migrate(wh, { dir: `${ROOT}infra/clickhouse` });
  const recorder = createRecorder({
    kafka: { brokers: BROKERS },
    topics: { events: env.topic, predictions: predictionsTopic },
    groupId: rand(`${name}-rec`),
    warehouse: wh,
    redis: { url: REDIS_URL, keyPrefix: env.prefix },
    batchRows,
    batchMaxMs: 200,
    jobs: false,
    log: () => {},
  });
  const count = async (table: string) =>
    Number(
      (await wh.query<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${qualified(wh.database, table)} FINAL`))[0]
        ?.n,
    );
  return {
    wh,
    recorder,
    count,
    async deadLetters(atLeast) {
      const out: KafkaMessage[] = [];
      const c = env.kafka.consumer({ groupId: rand(`${name}-dlq`) });
      await c.connect();
      await c.subscribe({ topic: env.dlqTopic, fromBeginning: true });
      await c.run({ eachMessage: async ({ message }) => void out.push(message) });
      await waitFor("the dead letters", () => out.length >= atLeast);
      await c.disconnect();
      return out;
    },
    async close() {
      await recorder.stop();
      await env.admin.deleteTopics({ topics: [predictionsTopic] }).catch(() => {});
      await wh.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`).catch(() => undefined);
      await wh.close();
    },
  };
}

/** Waits until the recorder stored (or filed as rejected) at least `n` messages. */
export async function recordedBy(p: Pipeline, n: number): Promise<void> {
  await waitFor(
    "the recorder to store every message",
    async () => {
      await p.recorder.flush();
      return (await p.count("events")) + (await p.count("events_rejected")) >= n;
    },
    120_000,
  );
}
