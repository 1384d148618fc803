/**
 * One event contract, one decision: the same corpus of messages (valid ones with every optional
 * field absent, present or null, and every kind of bad input) goes through the real ingest
 * service (Kafka -> Redis, bad input to the DLQ), the real recorder (Kafka -> ClickHouse, bad
 * input to events_rejected) and `seqlane replay --from-clickhouse`. Each message must get the
 * same verdict, kind, field and reason on every path, the verdict the corpus expects, and the
 * sequences ingest built must be exactly those replayed from what the recorder stored.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickhouseEvents, replayEvents } from "@seqlane/cli";
import { qualified, sql } from "@seqlane/warehouse";
import { DEFAULT_SPEC, REDIS_URL, rand, readable, setup, waitFor, type Env } from "./ingest-support.js";
import { recordedBy, recorderBeside, type Pipeline } from "./pipeline-support.js";

const NOW = Date.now();
const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

/** A corpus entry: the message value, and the verdict it must get ("ok" or "kind field"). */
type Entry = readonly [name: string, value: string | Buffer | null, expected: string];

function corpus(): Entry[] {
  let n = 0;
  const base = (user: string) => ({
    schema: 1,
    event_id: `cc-${++n}`,
    user_id: user,
    item_id: `i${n % 7}`,
    category_id: `c${n % 3}`,
    type: "click",
    ts: NOW - 600_000 + n * 1000,
  });
  const ok = (name: string, extra: Record<string, unknown>, user = "u-ok"): Entry => [
    name,
    JSON.stringify({ ...base(user), ...extra }),
    "ok",
  ];
  const bad = (name: string, value: string | Buffer | null, expected: string): Entry => [name, value, expected];
  const b = () => base("u-bad");
  return [
    ok("every optional field absent (no source)", {}),
    ok("every optional field present", {
      source: "device",
      brand_id: "b1",
      shop_id: 77,
      price: 12.5,
      request_id: "r-1",
      position: 3,
    }),
    ok("optional fields null", {
      brand_id: null,
      shop_id: null,
      price: null,
      request_id: null,
      position: null,
      source: null,
    }),
    ok(
      "integer ids, integer request_id",
      { user_id: 42, item_id: 9_007_199_254_740_991, category_id: 0, request_id: 123 },
      "42",
    ),
    ok("unknown field ignored", { future_field: { nested: [1, 2] } }),
    ok("exposure from the device", { type: "exposure", source: "device", position: 0 }),
    ok("purchase with price 0", { type: "purchase", price: 0 }),
    ok("4-byte UTF-8 id (a surrogate pair)", { item_id: "i-\u{1F600}" }),
    ok("id of exactly 128 UTF-8 bytes", { shop_id: "é".repeat(64) }),
    ok("position at UInt32 max", { position: 4_294_967_295 }),
    ok("ts within the future skew", { ts: NOW + 60_000 }),
    bad("not JSON", "{not json", "bad_json $"),
    bad("not UTF-8", Buffer.from([0xff, 0xfe, 0x7b]), "bad_json $"),
    bad("tombstone (no value)", null, "bad_json $"),
    bad("a JSON array", "[1,2,3]", "not_object $"),
    bad("a JSON string", '"event"', "not_object $"),
    bad("oversized", JSON.stringify({ ...b(), pad: "x".repeat(20_000) }), "oversized $"),
    bad("no schema", JSON.stringify({ ...b(), schema: undefined }), "missing_field schema"),
    bad("schema 2", JSON.stringify({ ...b(), schema: 2 }), "schema_version schema"),
    bad("schema as a string", JSON.stringify({ ...b(), schema: "1" }), "schema_version schema"),
    bad("5,000-deep array as schema", `{"schema":${deep(5000)}}`, "schema_version schema"),
    bad(
      "5,000-deep array as an id",
      JSON.stringify(b()).replace(/"item_id":"[^"]*"/, `"item_id":${deep(5000)}`),
      "wrong_type item_id",
    ),
    bad("missing user_id", JSON.stringify({ ...b(), user_id: undefined }), "missing_field user_id"),
    bad("missing ts", JSON.stringify({ ...b(), ts: undefined }), "missing_field ts"),
    bad("user_id null", JSON.stringify({ ...b(), user_id: null }), "wrong_type user_id"),
    bad("object id", JSON.stringify({ ...b(), item_id: { id: 1 } }), "wrong_type item_id"),
    bad("negative id", JSON.stringify({ ...b(), item_id: -3 }), "invalid_value item_id"),
    bad("fractional id", JSON.stringify({ ...b(), item_id: 1.5 }), "wrong_type item_id"),
    bad("unsafe integer id", JSON.stringify({ ...b(), item_id: 2 ** 60 }), "invalid_value item_id"),
    bad("empty id", JSON.stringify({ ...b(), event_id: "" }), "invalid_value event_id"),
    bad("id over 128 bytes", JSON.stringify({ ...b(), category_id: "é".repeat(65) }), "invalid_value category_id"),
    bad("control character in an id", JSON.stringify({ ...b(), item_id: "a\u0001b" }), "invalid_value item_id"),
    bad("lone surrogate in an id", JSON.stringify({ ...b(), user_id: "ls\ud800" }), "invalid_value user_id"),
    bad("second lone surrogate id", JSON.stringify({ ...b(), user_id: "ls\udfff" }), "invalid_value user_id"),
    bad("unknown type", JSON.stringify({ ...b(), type: "like" }), "unknown_type type"),
    bad("type as a number", JSON.stringify({ ...b(), type: 1 }), "unknown_type type"),
    bad("bad source", JSON.stringify({ ...b(), source: "tv" }), "invalid_value source"),
    bad("ts as a string", JSON.stringify({ ...b(), ts: "yesterday" }), "wrong_type ts"),
    bad("fractional ts", JSON.stringify({ ...b(), ts: NOW - 0.5 }), "wrong_type ts"),
    bad("ts before 2000", JSON.stringify({ ...b(), ts: Date.UTC(1999, 11, 31) }), "invalid_value ts"),
    bad("ts a day in the future", JSON.stringify({ ...b(), ts: NOW + 86_400_000 }), "future_ts ts"),
    bad("negative price", JSON.stringify({ ...b(), price: -1 }), "invalid_value price"),
    bad("price as a string", JSON.stringify({ ...b(), price: "9" }), "wrong_type price"),
    bad("fractional position", JSON.stringify({ ...b(), position: 1.5 }), "wrong_type position"),
    bad("position past UInt32", JSON.stringify({ ...b(), position: 2 ** 32 }), "invalid_value position"),
    bad("request_id as an object", JSON.stringify({ ...b(), request_id: { r: 1 } }), "wrong_type request_id"),
  ];
}

describe("the event contract: ingest, recorder and replay decide alike (real Kafka, Redis, ClickHouse)", () => {
  let env: Env;
  let p: Pipeline;
  const entries = corpus();

  beforeAll(async () => {
    env = await setup(1);
    p = await recorderBeside(env, "corpus", 100);
  });

  afterAll(async () => {
    await p?.close();
    await env?.close();
  });

  it("gives every message the same verdict, kind, field and reason on every path", async () => {
    await env.produce(entries.map(([, value], i) => ({ key: `k${i}`, value: value as string | Buffer })));
    const ing = env.ingest({ groupId: rand("cc-ing"), redis: undefined, redisUrl: REDIS_URL });
    await Promise.all([ing.start(), p.recorder.start()]);
    await waitFor("ingest to consume the corpus", () => ing.stats.messages === entries.length);

    // Ingest's decisions: the DLQ names kind, field and detail; every other offset was applied.
    const expectedBad = entries.filter(([, , e]) => e !== "ok").length;
    const dlq = await p.deadLetters(expectedBad);
    const ingest = new Map<number, string>();
    for (const m of dlq) {
      const h = (k: string) => m.headers?.[k]?.toString() ?? "";
      ingest.set(Number(h("dlq.offset")), `${h("dlq.reason")} ${h("dlq.field")}: ${h("dlq.detail")}`);
    }

    // The recorder's decisions, from ClickHouse.
    await recordedBy(p, entries.length);
    const wh = p.wh;
    const stored = await wh.query<{ o: string }>(
      sql`SELECT toString(kafka_offset) AS o FROM ${qualified(wh.database, "events")} FINAL`,
    );
    const rejected = await wh.query<{ o: string; field: string; reason: string }>(
      sql`SELECT toString(kafka_offset) AS o, field, reason FROM ${qualified(wh.database, "events_rejected")} FINAL`,
    );
    const recorder = new Map<number, string>();
    for (const r of stored) recorder.set(Number(r.o), "ok");
    for (const r of rejected)
      recorder.set(Number(r.o), `${r.reason.split(": ")[0]} ${r.field}: ${r.reason.split(": ").slice(1).join(": ")}`);

    const disagreements: string[] = [];
    entries.forEach(([name, , expected], offset) => {
      const i = ingest.get(offset) ?? "ok";
      const r = recorder.get(offset) ?? "(missing)";
      const verdict = i === "ok" ? "ok" : i.split(":")[0];
      if (i !== r) disagreements.push(`${name}: ingest "${i}" vs recorder "${r}"`);
      if (verdict !== expected) disagreements.push(`${name}: expected "${expected}", got "${i}"`);
    });
    expect(disagreements).toEqual([]);
    expect(recorder.size).toBe(entries.length);

    // Replay from ClickHouse accepts every stored event and rebuilds exactly ingest's sequences.
    const dir = mkdtempSync(join(tmpdir(), "corpus-"));
    const replay = await replayEvents(clickhouseEvents(wh), join(dir, "ch.jsonl"), DEFAULT_SPEC, {});
    const good = entries.filter(([, , e]) => e === "ok").length;
    expect(replay.applied).toBe(good);
    expect(replay.invalid).toEqual({});
    const lines = readFileSync(join(dir, "ch.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { user_id: string });
    const users = lines.map((l) => l.user_id);
    expect(users.sort()).toEqual(["42", "u-ok"]);
    const fromRedis = await readable(env.store(), users);
    expect(fromRedis.map((u) => JSON.stringify(u)).sort()).toEqual(lines.map((l) => JSON.stringify(l)).sort());
  });
});
