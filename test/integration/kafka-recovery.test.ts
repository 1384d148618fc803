/**
 * Recovery from a broker crash, against a private broker (test/integration/private-kafka.ts),
 * never the shared one: `seqlane gen --kafka` streams events, ingest and the recorder (built by
 * createIngest / createRecorder with the services' Kafka settings, libs/service's createKafka)
 * consume them, and the broker is killed with SIGKILL mid-stream and restarted 3 s later.
 * Asserted: gen waited out the outage and sent every event; ingest committed everything and
 * Redis holds exactly what one pass over every distinct event gives (gen may re-send a batch
 * whose acknowledgement was lost, and a batch whose commit failed is redelivered: ingest
 * deduplicates by event_id); the recorder committed everything and ClickHouse has every distinct
 * event. Printed, not asserted: the seconds from "the broker answers again" to each consumer's
 * first batch after the outage. Needs the build (gen runs as `services/cli/dist/main.js`):
 *   npx turbo run build && cd test && npx vitest run integration/kafka-recovery.test.ts */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerator, type GeneratedEvent } from "@seqlane/generator";
import { createIngest, type Ingest } from "@seqlane/ingest";
import { createRecorder, type Recorder } from "@seqlane/recorder";
import { DEFAULT_SPEC, createRedisStore, createReplayer, encodeState, readableUser } from "@seqlane/sequences";
import { createKafka } from "@seqlane/service";
import { createWarehouse, ident, migrate, sql, type Warehouse } from "@seqlane/warehouse";
import { readable, rand, waitFor } from "./ingest-support.js";
import { createPrivateKafka, type PrivateKafka } from "./private-kafka.js";
import { deleteByPrefix } from "./redis-cleanup.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const REDIS_URL = process.env.SEQLANE_REDIS_URL ?? "redis://127.0.0.1:6379";
const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
/** Events gen sends, and how fast: the kill lands about 3 s into the stream. */
const EVENTS = 24_000;
const RATE = 2000;
const KILL_AFTER = 6000;
/**
 * How long the broker stays dead before it is started again (it then takes 5 to 20 s to answer).
 * Longer than CONSUMER_RETRY's window (libs/service, about a minute), e.g. 70000, shows the
 * slower path: the consumers give up, restart, rejoin as new members and wait for their old
 * members' sessions to expire (CONSUMER_GROUP.sessionTimeout).
 */
const OUTAGE_MS = Number(process.env.SEQLANE_TEST_OUTAGE_MS ?? 3000);
/** Events the test sends itself the moment the broker answers, so that each consumer has work at once. */
const PROBES = 200;
/** A liveness bound, not a performance claim: the measured figures are printed. */
const RESUME_TIMEOUT_MS = 60_000;

const tag = rand("rec");
const topics = { events: `${tag}-events`, dlq: `${tag}-events.dlq`, predictions: `${tag}-pred` };
const prefix = `${tag}:`;
const GEN = { seed: 77, users: 300, items: 2000, categories: 50, startTs: Date.UTC(2026, 0, 1) };
/** Every event distinct and in time order (gen's `--duplicates 0 --late 0 --too-late 0`). */
const DISTINCT = { duplicateRate: 0, lateRate: 0, tooLateRate: 0 };

let broker: PrivateKafka | undefined;
let admin: Admin | undefined;
let redis: Redis | undefined;
let wh: Warehouse | undefined;
let ingest: Ingest | undefined;
let recorder: Recorder | undefined;

beforeAll(async () => {
  broker = await createPrivateKafka();
  await broker.start();
  admin = new Kafka({ clientId: tag, brokers: [broker.broker], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.events, numPartitions: 3 },
      { topic: topics.dlq, numPartitions: 1 },
      { topic: topics.predictions, numPartitions: 1 },
    ],
  });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  wh = createWarehouse({ url: CH_URL, database: `t_${tag.replace(/-/g, "_")}`, requestTimeoutMs: 5000 });
  await migrate(wh, { dir: `${ROOT}/infra/clickhouse` });
});

afterAll(async () => {
  await ingest?.stop().catch(() => {});
  await recorder?.stop().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await broker?.close();
  if (redis !== undefined) {
    await deleteByPrefix(redis, prefix).catch(() => {});
    redis.disconnect();
  }
  await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`).catch(() => {});
  await wh?.close();
});

/** `seqlane gen --kafka` as a user runs it, against the private broker. */
function runGen(brokers: string): { done: Promise<number>; output: () => string; kill: () => void } {
  let output = "";
  const env: NodeJS.ProcessEnv = { ...process.env, SEQLANE_KAFKA_BROKERS: brokers };
  // vitest sets NODE_ENV=test, which switches kafkajs to its fast test retry defaults.
  delete env.NODE_ENV;
  const args = [
    `${ROOT}/services/cli/dist/main.js`,
    "gen",
    "--kafka",
    "--topic",
    topics.events,
    "--events",
    String(EVENTS),
    "--rate",
    String(RATE),
    "--seed",
    String(GEN.seed),
    "--users",
    String(GEN.users),
    "--items",
    String(GEN.items),
    "--categories",
    String(GEN.categories),
    "--start",
    String(GEN.startTs),
    "--duplicates",
    "0",
    "--late",
    "0",
    "--too-late",
    "0",
    "--retry-for",
    String(Math.ceil(OUTAGE_MS / 1000) + 90),
  ];
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d: Buffer) => void (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => void (output += d.toString()));
  const done = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
  return { done, output: () => output, kill: () => void child.kill("SIGKILL") };
}

/** The stream gen sends (the same options give the same events). */
function genEvents(): GeneratedEvent[] {
  const g = createGenerator({ ...GEN, ...DISTINCT });
  return Array.from({ length: EVENTS }, () => g.next());
}

/** Events of users gen never uses, so they are all applied whatever gen's timing. */
function probeEvents(): GeneratedEvent[] {
  const g = createGenerator({
    seed: 5,
    users: 20,
    items: 200,
    idPrefix: `${tag}-probe-`,
    startTs: GEN.startTs,
    ...DISTINCT,
  });
  return Array.from({ length: PROBES }, () => {
    const e = g.next();
    return { ...e, user_id: `probe-${e.user_id}` };
  });
}

const sum = <T>(xs: readonly T[], f: (x: T) => string): number => xs.reduce((a, x) => a + Math.max(0, Number(f(x))), 0);

/** Sum over the events topic's partitions of a group's committed offsets. */
async function committed(groupId: string): Promise<number> {
  const [t] = await admin!.fetchOffsets({ groupId, topics: [topics.events] });
  return sum(t?.partitions ?? [], (p) => p.offset);
}

/** Resolves with the time `count()` first grows past its value now. */
function nextProgress(count: () => number): Promise<number> {
  const base = count();
  return waitFor("progress after the outage", () => count() > base, RESUME_TIMEOUT_MS).then(() => Date.now());
}

describe("kafka recovery: broker killed with SIGKILL mid-stream", () => {
  it(
    "gen retries and sends everything, ingest and the recorder resume and lose nothing",
    async () => {
      const b = broker!;
      let lastBatchAt = 0;
      ingest = createIngest({
        kafka: createKafka({ clientId: `${tag}-ingest`, brokers: [b.broker], logLevel: logLevel.NOTHING }),
        redis: redis!,
        topic: topics.events,
        dlqTopic: topics.dlq,
        groupId: `${tag}-ingest`,
        keyPrefix: prefix,
        spec: DEFAULT_SPEC,
        fromBeginning: true,
        retry: { initialMs: 20, maxMs: 200 },
        onBatch: () => void (lastBatchAt = Date.now()),
      });
      recorder = createRecorder({
        kafka: { brokers: [b.broker], clientId: `${tag}` },
        topics: { events: topics.events, predictions: topics.predictions },
        groupId: `${tag}-recorder`,
        fromBeginning: true,
        warehouse: wh!,
        redis: { url: REDIS_URL, keyPrefix: prefix },
        batchRows: 2000,
        batchMaxMs: 200,
        jobs: false,
      });
      await Promise.all([ingest.start(), recorder.start()]);
      const ing = ingest;
      const rec = recorder;
      await waitFor("both consumers in their groups", () =>
        [ing.health().status, rec.health().status].every((s) => s === "consuming"),
      );

      const gen = runGen(b.broker);
      try {
        await waitFor("stream under way", () => ing.stats.messages >= KILL_AFTER, 30_000);
        await b.kill();
        const killedAt = Date.now();
        await new Promise((r) => setTimeout(r, OUTAGE_MS));
        b.spawn();
        // Counts are still during the outage here (the JVM takes seconds to start).
        const ingestResumed = nextProgress(() => (lastBatchAt > killedAt ? 1 : 0));
        const recorderResumed = nextProgress(() => rec.stats().messages);
        const answeredAt = await b.answers();
        const probes = probeEvents();
        const producer = new Kafka({
          clientId: `${tag}-probe`,
          brokers: [b.broker],
          logLevel: logLevel.NOTHING,
        }).producer();
        await producer.connect();
        await producer.send({
          topic: topics.events,
          acks: -1,
          messages: probes.map((e) => ({ key: e.user_id, value: JSON.stringify(e) })),
        });
        await producer.disconnect();
        const [ingestAt, recorderAt] = await Promise.all([ingestResumed, recorderResumed]);
        const secs = (t: number): string => ((t - answeredAt) / 1000).toFixed(1);
        console.log(
          `kafka-recovery: broker down ${((answeredAt - killedAt) / 1000).toFixed(1)} s (killed, ` +
            `restarted after ${OUTAGE_MS / 1000} s); first batch after the broker answered: ` +
            `ingest ${secs(ingestAt)} s, recorder ${secs(recorderAt)} s`,
        );

        const code = await gen.done;
        expect(code, gen.output()).toBe(0);
        console.log(gen.output().trimEnd());
        const written = sum(await admin!.fetchTopicOffsets(topics.events), (p) => p.high);
        // Every event is there; a batch re-sent after a lost acknowledgement may be there twice.
        expect(written).toBeGreaterThanOrEqual(EVENTS + PROBES);

        // Ingest: everything committed, and Redis holds what one pass over every distinct event gives.
        await waitFor("ingest committed everything", async () => (await committed(`${tag}-ingest`)) >= written);
        const rep = createReplayer(DEFAULT_SPEC);
        for (const e of [...genEvents(), ...probes]) rep.push(e);
        expect(rep.counts).toEqual({ applied: EVENTS + PROBES, duplicate: 0, late: 0 });
        expect(ing.stats.dlq).toBe(0);
        const users = [...rep.states.keys()];
        const store = createRedisStore({ redis: redis!, keyPrefix: prefix });
        expect(await readable(store, users)).toEqual(users.map((u) => readableUser(u, rep.states.get(u)!)));
        const states = await store.load(users);
        expect(states.map((st) => encodeState(st, 1).toString("base64"))).toEqual(
          users.map((u) => encodeState(rep.states.get(u)!, 1).toString("base64")),
        );

        // Recorder: everything committed (only after ClickHouse holds the rows), every distinct event there.
        await waitFor("recorder committed everything", async () => (await committed(`${tag}-recorder`)) >= written);
        const [row] = await wh!.query<{ u: string }>(sql`SELECT uniqExact(event_id) AS u FROM events FINAL`);
        expect(Number(row?.u)).toBe(EVENTS + PROBES);
        console.log(
          `kafka-recovery: ${written} messages for ${EVENTS + PROBES} events; ingest ${JSON.stringify(ing.stats)}`,
        );
      } catch (e) {
        console.error(`seqlane gen output:\n${gen.output()}`);
        throw e;
      } finally {
        gen.kill();
      }
    },
    150_000 + OUTAGE_MS,
  );
});
