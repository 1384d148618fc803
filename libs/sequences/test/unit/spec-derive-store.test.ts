import { describe, expect, it } from "vitest";
import {
  DEFAULT_SPEC,
  SpecError,
  apply,
  buildCategoryIndex,
  categoryPositions,
  createMemoryStore,
  createState,
  parseSpec,
  prepareEvent,
  readableUser,
  sessionIndex,
  timeGapBucket,
  timeGapBuckets,
} from "../../src/index.js";
import type { SequenceBlock } from "../../src/index.js";
import { T0, randomEvents, rng } from "./helpers.js";

const block = (ts: number[], cats: number[]): SequenceBlock => ({
  length: ts.length,
  item: new Uint32Array(ts.length * 2),
  category: Uint32Array.from(cats.flatMap((c) => [c, c === 7 ? 1 : 0])),
  brand: new Uint32Array(ts.length * 2),
  type: new Uint8Array(ts.length).fill(1),
  ts: Float64Array.from(ts),
});

describe("spec", () => {
  it("defaults and overrides", () => {
    expect(parseSpec({})).toEqual(DEFAULT_SPEC);
    const s = parseSpec({ version: 1, sequences: { long_click: { max_length: 10 } } });
    expect(s.sequences.long_click.maxLength).toBe(10);
    expect(s.sequences.short_mixed).toEqual(DEFAULT_SPEC.sequences.short_mixed);
  });
  it.each([
    [{ sequences: { long_clik: {} } }, "$.sequences.long_clik"],
    [{ sequences: { long_click: { max_length: 0 } } }, "$.sequences.long_click.max_length"],
    [{ sequences: { exposure: { types: ["view"] } } }, "$.sequences.exposure.types"],
    [{ dedup_capacity: -1 }, "$.dedup_capacity"],
  ])("rejects %j naming %s", (json, path) => {
    try {
      parseSpec(json);
      throw new Error("expected SpecError");
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      expect((e as SpecError).path).toBe(path);
    }
  });
});

describe("derived at read time", () => {
  it("time gap buckets", () => {
    expect(timeGapBucket(0)).toBe(1);
    expect(timeGapBucket(-5)).toBe(1);
    expect(timeGapBucket(60_000)).toBe(2);
    expect(timeGapBucket(400 * 86_400_000)).toBe(15);
    expect(Array.from(timeGapBuckets(block([T0, T0 + 3_600_000], [1, 1]), T0 + 3_600_000))).toEqual([5, 1]);
  });
  it("session index splits after 30 min idle", () => {
    const m = 60_000;
    expect(Array.from(sessionIndex(block([0, 10 * m, 41 * m, 50 * m, 200 * m], [1, 1, 1, 1, 1])))).toEqual([
      0, 0, 1, 1, 2,
    ]);
  });
  it("category positions, newest first", () => {
    const b = block([1, 2, 3, 4, 5], [3, 7, 3, 9, 3]);
    const out = new Int32Array(2);
    expect(categoryPositions(b, 3, 0, out)).toBe(2);
    expect(Array.from(out)).toEqual([4, 2]);
    const idx = buildCategoryIndex(b);
    expect(idx.positions(3, 0)).toEqual([4, 2, 0]);
    expect(idx.positions(7, 1)).toEqual([1]);
    expect(idx.positions(7, 0)).toEqual([]);
  });
});

describe("memory store", () => {
  it("compare-and-set, read, expiry", async () => {
    let now = T0;
    const store = createMemoryStore({ ttlSeconds: 60, now: () => now });
    const [s] = await store.load(["u1"]);
    for (const e of randomEvents(rng(1), 50)) apply(s!, prepareEvent(e), DEFAULT_SPEC);
    const [stale] = await store.load(["u1"]);
    expect(await store.save([{ userId: "u1", state: s! }])).toEqual(["saved"]);
    expect(s!.revision).toBe(1);
    expect(await store.save([{ userId: "u1", state: stale! }])).toEqual(["conflict"]);
    const seqs = await store.read("u1");
    expect(seqs.long_click.length).toBeGreaterThan(0);
    const [again] = await store.load(["u1"]);
    expect(readableUser("u1", again!)).toEqual(readableUser("u1", s!));
    now += 61_000;
    expect((await store.read("u1")).long_click.length).toBe(0);
    expect((await store.readMany(["u1", "u2"])).length).toBe(2);
  });
  it("readable output prints ids per the contract", () => {
    const s = createState();
    apply(
      s,
      prepareEvent({
        schema: 1,
        event_id: "x",
        user_id: "u",
        item_id: "42",
        category_id: "cat-a",
        type: "click",
        ts: T0,
        source: "server",
      }),
      DEFAULT_SPEC,
    );
    const r = readableUser("u", s);
    expect(r.sequences.long_click.item_id).toEqual(["42"]);
    expect(r.sequences.long_click.category_id[0]).toMatch(/^#[0-9a-f]{16}$/);
    expect(r.sequences.long_click.type).toEqual(["click"]);
  });
});
