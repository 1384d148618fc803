/**
 * Fuzz, bounded: a seeded stream of malformed and adversarial messages (deep nesting, huge and
 * empty values, lone surrogates, control characters, extreme timestamps, huge keys, tombstones,
 * garbage headers, random bytes) mixed with valid events, through the real ingest service and
 * the real recorder at once (real Kafka, Redis, ClickHouse). Asserts that nothing is lost (every
 * message is applied or dead-lettered by ingest and stored or filed as rejected by the recorder,
 * the two agreeing), every bad input is named (kind and field), both services stay up and healthy,
 * and memory stays bounded. Prints how many inputs of each kind were tried and what happened.
 */
import type { KafkaMessage } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecorder, type Recorder } from "@seqlane/recorder";
import { createWarehouse, ident, migrate, qualified, sql, type Warehouse } from "@seqlane/warehouse";
import { BROKERS, REDIS_URL, rand, setup, waitFor, type Env } from "./ingest-support.js";

const CH_URL = process.env.SEQLANE_CLICKHOUSE_URL ?? "http://127.0.0.1:8123";
const ROOT = new URL("../..", import.meta.url).pathname;
const N = Number(process.env.SEQLANE_FUZZ_INPUTS ?? 3000);
const SEED = Number(process.env.SEQLANE_FUZZ_SEED ?? 20261201);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Input {
  readonly kind: string;
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Record<string, Buffer>;
}

function inputs(n: number, rnd: () => number): Input[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const now = Date.now();
  let id = 0;
  const valid = (): Record<string, unknown> => ({
    schema: 1,
    event_id: `fz-${SEED}-${++id}`,
    user_id: `fu${Math.floor(rnd() * 40)}`,
    item_id: Math.floor(rnd() * 1e6),
    category_id: `c${Math.floor(rnd() * 20)}`,
    type: pick(["click", "fav", "cart", "purchase", "exposure"]),
    ts: now - Math.floor(rnd() * 3_000_000),
    ...(rnd() < 0.5 && { source: pick(["server", "device"]) }),
    ...(rnd() < 0.3 && { price: Math.round(rnd() * 1e4) / 100 }),
  });
  const field = () =>
    pick([
      "event_id",
      "user_id",
      "item_id",
      "category_id",
      "brand_id",
      "request_id",
      "type",
      "ts",
      "price",
      "position",
      "source",
      "schema",
    ]);
  const deep = (d: number) => (rnd() < 0.5 ? "[".repeat(d) + "]".repeat(d) : '{"a":'.repeat(d) + "1" + "}".repeat(d));
  const bytes = (len: number) => Buffer.from(Array.from({ length: len }, () => Math.floor(rnd() * 256)));
  const kinds: Record<string, () => Omit<Input, "kind">> = {
    valid: () => {
      const e = valid();
      return { key: String(e.user_id), value: JSON.stringify(e) };
    },
    "deep nesting": () => {
      const e = valid();
      const text = JSON.stringify(e).replace(
        new RegExp(`"${field()}":("[^"]*"|[^,}]*)`),
        `"${field()}":${deep(1 + Math.floor(rnd() * 7000))}`,
      );
      return { key: "fz", value: text };
    },
    "huge value": () => ({
      key: "fz",
      value: JSON.stringify({ ...valid(), [field()]: "x".repeat(16_000 + Math.floor(rnd() * 50_000)) }),
    }),
    "long id": () => ({
      key: "fz",
      value: JSON.stringify({
        ...valid(),
        [pick(["user_id", "item_id", "event_id"])]: "é".repeat(65 + Math.floor(rnd() * 200)),
      }),
    }),
    "empty value": () => ({
      key: "fz",
      value: pick(["", "{}", "[]", '""', "null", JSON.stringify({ ...valid(), [field()]: "" })]),
    }),
    "lone surrogate": () => ({
      key: "fz",
      value: JSON.stringify({
        ...valid(),
        [pick(["user_id", "item_id", "category_id", "request_id"])]:
          `s${String.fromCharCode(0xd800 + Math.floor(rnd() * 0x800))}`,
      }),
    }),
    "control character": () => ({
      key: "fz",
      value: JSON.stringify({
        ...valid(),
        [pick(["user_id", "item_id", "brand_id", "shop_id"])]: `c${String.fromCharCode(Math.floor(rnd() * 32))}x`,
      }),
    }),
    "extreme timestamp": () => {
      const ts = pick<unknown>([
        0,
        -1,
        1,
        946684799999,
        2 ** 53,
        2 ** 64,
        1e300,
        now + 86_400_000 * 365,
        "now",
        null,
        1.5,
      ]);
      return { key: "fz", value: JSON.stringify({ ...valid(), ts }).replace('"ts":1e+300', '"ts":1e400') };
    },
    "huge key": () => ({
      key: Buffer.alloc(20_000 + Math.floor(rnd() * 80_000), 0x6b),
      value: JSON.stringify(valid()),
    }),
    tombstone: () => ({ key: pick(["fz", null]), value: null }),
    "garbage headers": () => {
      const e = valid();
      const headers: Record<string, Buffer> = {};
      for (let i = 0; i < 1 + Math.floor(rnd() * 6); i++)
        headers[`h${i}\u0000${Math.floor(rnd() * 1e6)}`] = bytes(Math.floor(rnd() * 300));
      return { key: String(e.user_id), value: rnd() < 0.5 ? JSON.stringify(e) : bytes(50), headers };
    },
    "random bytes": () => ({ key: bytes(8), value: bytes(1 + Math.floor(rnd() * 2000)) }),
    "wrong types": () => ({
      key: "fz",
      value: JSON.stringify({ ...valid(), [field()]: pick<unknown>([true, {}, [], -5, 0.25, "1e3", { $ne: 1 }]) }),
    }),
  };
  const names = Object.keys(kinds);
  return Array.from({ length: n }, (_, i) => {
    const kind = i % 3 === 0 ? "valid" : names[1 + Math.floor(rnd() * (names.length - 1))]!;
    return { kind, ...kinds[kind]!() };
  });
}

describe(`fuzz: ${N} adversarial messages through the real ingest and recorder (seed ${SEED})`, () => {
  let env: Env;
  let wh: Warehouse;
  let rec: Recorder;
  const predictionsTopic = rand("fz-pred");

  beforeAll(async () => {
    env = await setup(3);
    await env.admin.createTopics({ waitForLeaders: true, topics: [{ topic: predictionsTopic, numPartitions: 1 }] });
    wh = createWarehouse({ url: CH_URL, database: `t_fuzz_${Date.now().toString(36)}` });
    await migrate(wh, { dir: `${ROOT}infra/clickhouse` });
    rec = createRecorder({
      kafka: { brokers: BROKERS },
      topics: { events: env.topic, predictions: predictionsTopic },
      groupId: rand("fz-rec"),
      warehouse: wh,
      redis: { url: REDIS_URL, keyPrefix: env.prefix },
      batchRows: 500,
      batchMaxMs: 200,
      jobs: false,
      log: () => {},
    });
  });
  afterAll(async () => {
    await rec?.stop();
    await env?.admin.deleteTopics({ topics: [predictionsTopic] }).catch(() => {});
    await env?.close();
    await wh?.command(sql`DROP DATABASE IF EXISTS ${ident(wh.database)}`).catch(() => undefined);
    await wh?.close();
  });

  it("loses nothing, names every bad input, stays up and healthy with bounded memory", async () => {
    const all = inputs(N, prng(SEED));
    const ing = env.ingest({ groupId: rand("fz-ing") });
    await Promise.all([ing.start(), rec.start()]);
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    // Sends of at most ~512 kB: huge keys and values must not add up past the broker's 1 MB limit.
    const size = (m: Input) => 64 + (m.key?.length ?? 0) * 3 + (m.value?.length ?? 0) * 3;
    for (let i = 0; i < all.length;) {
      let j = i;
      for (let bytes = 0; j < all.length && (j === i || bytes + size(all[j]!) < 512 * 1024); j++)
        bytes += size(all[j]!);
      await env.producer.send({
        topic: env.topic,
        acks: -1,
        messages: all
          .slice(i, j)
          .map((m) => ({ key: m.key, value: m.value, ...(m.headers && { headers: m.headers }) })),
      });
      i = j;
    }
    await waitFor("ingest to consume every input", () => ing.stats.messages === N, 120_000);
    const count = async (table: string) =>
      Number(
        (
          await wh.query<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${qualified(wh.database, table)} FINAL`)
        )[0]?.n,
      );
    await waitFor(
      "the recorder to store every input",
      async () => {
        await rec.flush();
        return (await count("events")) + (await count("events_rejected")) >= N;
      },
      120_000,
    );

    // Ingest: every message applied (or a duplicate) or dead-lettered, each dead letter named.
    const s = ing.stats;
    expect(s.applied + s.duplicate + s.late + s.dlq).toBe(N);
    const dlq: KafkaMessage[] = [];
    const c = env.kafka.consumer({ groupId: rand("fz-dlq") });
    await c.connect();
    await c.subscribe({ topic: env.dlqTopic, fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void dlq.push(message) });
    await waitFor("the dead letters", () => dlq.length >= s.dlq);
    await c.disconnect();
    const unnamed = dlq.filter((m) => !m.headers?.["dlq.reason"]?.toString() || !m.headers?.["dlq.field"]?.toString());
    expect(unnamed).toEqual([]);

    // The recorder agrees: as many stored events as ingest applied, as many rejected as it dead-lettered.
    expect(await count("events")).toBe(s.applied + s.duplicate + s.late);
    expect(await count("events_rejected")).toBe(s.dlq);
    const outcome = new Map<number, string>();
    for (const m of dlq)
      outcome.set(
        Number(m.headers!["dlq.partition"]) * 1e9 + Number(m.headers!["dlq.offset"]),
        m.headers!["dlq.reason"]!.toString(),
      );

    // Up and healthy.
    expect(ing.health()).toMatchObject({ healthy: true, status: "consuming" });
    expect(rec.health()).toMatchObject({ healthy: true, status: "consuming" });
    global.gc?.();
    const grownMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;

    const kinds = new Map<string, number>();
    for (const m of all) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
    const reasons = new Map<string, number>();
    for (const r of outcome.values()) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    console.log(
      `fuzz (seed ${SEED}): ${N} inputs: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}\n` +
        `  ingest: applied ${s.applied}, duplicate ${s.duplicate}, late ${s.late}, dead-lettered ${s.dlq} (${[...reasons].map(([k, n]) => `${k} ${n}`).join(", ")})\n` +
        `  recorder: ${await count("events")} events, ${await count("events_rejected")} rejected; heap grew ${grownMb.toFixed(1)} MB`,
    );
    // Bounded: the whole stream is a few MB; a leak of the inputs would show as far more.
    expect(grownMb).toBeLessThan(200);
  });
});
