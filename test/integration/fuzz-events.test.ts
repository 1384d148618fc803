/**
 * Fuzz, bounded: a seeded stream of malformed and adversarial messages (deep nesting, huge and
 * empty values, lone surrogates, control characters, extreme timestamps, huge keys, tombstones,
 * garbage headers, random bytes) mixed with valid events, through the real ingest service and
 * the real recorder at once (real Kafka, Redis, ClickHouse). Asserts that nothing is lost (every
 * message is applied or dead-lettered by ingest and stored or filed as rejected by the recorder,
 * the two agreeing), every bad input is named (kind and field), both services stay up and healthy,
 * and memory stays bounded. Prints how many inputs of each kind were tried and what happened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "@seqlane/generator";
import { rand, setup, waitFor, type Env } from "./ingest-support.js";
import { recordedBy, recorderBeside, type Pipeline } from "./pipeline-support.js";
const N = Number(process.env.SEQLANE_FUZZ_INPUTS ?? 2000);
const SEED = Number(process.env.SEQLANE_FUZZ_SEED ?? 20261201);

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
      value: JSON.stringify({ ...valid(), [field()]: "x".repeat(16_000 + Math.floor(rnd() * 4_000)) }),
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
      key: Buffer.alloc(8_000 + Math.floor(rnd() * 24_000), 0x6b),
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
  let p: Pipeline;
  beforeAll(async () => {
    env = await setup(3);
    p = await recorderBeside(env, "fuzz");
  });
  afterAll(async () => {
    await p?.close();
    await env?.close();
  });

  it("loses nothing, names every bad input, stays up and healthy with bounded memory", async () => {
    const rng = createRng(SEED);
    const all = inputs(N, () => rng.next());
    const ing = env.ingest({ groupId: rand("fz-ing") });
    await Promise.all([ing.start(), p.recorder.start()]);
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    // Sends of at most ~512 kB: huge keys and values must not add up past the broker's 1 MB limit.
    const size = (m: Input) => 64 + (m.key?.length ?? 0) * 3 + (m.value?.length ?? 0) * 3;
    const chunks: Input[][] = [];
    for (let i = 0; i < all.length;) {
      let j = i;
      for (let bytes = 0; j < all.length && (j === i || bytes + size(all[j]!) < 512 * 1024); j++)
        bytes += size(all[j]!);
      chunks.push(all.slice(i, j));
      i = j;
    }
    // Order across sends does not matter here; many sends in flight keep the suite short.
    for (let k = 0; k < chunks.length; k += 16) {
      await Promise.all(
        chunks.slice(k, k + 16).map((chunk) =>
          env.producer.send({
            topic: env.topic,
            acks: -1,
            messages: chunk.map((m) => ({ key: m.key, value: m.value, ...(m.headers && { headers: m.headers }) })),
          }),
        ),
      );
    }
    await waitFor("ingest to consume every input", () => ing.stats.messages === N, 120_000);
    await recordedBy(p, N);
    const count = p.count;

    // Ingest: every message applied (or a duplicate) or dead-lettered, each dead letter named.
    const s = ing.stats;
    expect(s.applied + s.duplicate + s.late + s.dlq).toBe(N);
    const dlq = await p.deadLetters(s.dlq);
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
    expect(p.recorder.health()).toMatchObject({ healthy: true, status: "consuming" });
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
  }, 300_000);
});
