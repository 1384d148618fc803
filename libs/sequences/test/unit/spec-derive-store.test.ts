import { describe, expect, it } from "vitest";
import {
  DEFAULT_SPEC,
  SpecError,
  apply,
  createMemoryStore,
  createState,
  parseSpec,
  prepareEvent,
  readableUser,
} from "../../src/index.js";
import { T0, randomEvents, rng } from "./helpers.js";

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
