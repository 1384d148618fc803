import { describe, expect, it } from "vitest";
import {
  DEFAULT_SPEC,
  StoreUnavailableError,
  createMemoryStore,
  createReplayer,
  readableUser,
} from "@seqlane/sequences";
import type { SequenceStore } from "@seqlane/sequences";
import { createGenerator } from "@seqlane/generator";
import { createProcessor } from "../../src/index.js";
import type { InputMessage } from "../../src/index.js";

const gen = (n: number) => {
  const g = createGenerator({ seed: 11, users: 50, items: 500, startTs: Date.UTC(2026, 0, 1) });
  return Array.from({ length: n }, () => g.next());
};
const msgs = (events: unknown[], from = 0): InputMessage[] =>
  events.map((e, i) => ({
    key: null,
    value: Buffer.from(typeof e === "string" ? e : JSON.stringify(e)),
    offset: String(from + i),
  }));

async function snapshot(store: SequenceStore, users: string[]) {
  const states = await store.load(users);
  return users.map((u, i) => readableUser(u, states[i]!));
}

describe("processor", () => {
  it("equals replay, in batches of any size, and ignores a full re-run", async () => {
    const events = gen(3000);
    const users = [...new Set(events.map((e) => e.user_id))];
    const rep = createReplayer(DEFAULT_SPEC);
    for (const e of events) rep.push(e);
    const want = users.map((u) => readableUser(u, rep.states.get(u)!));
    const store = createMemoryStore();
    const p = createProcessor({ store, spec: DEFAULT_SPEC, cacheUsers: 10 });
    const m = msgs(events);
    for (let i = 0; i < m.length; i += 137) await p.process("t", 0, m.slice(i, i + 137));
    expect(await snapshot(store, users)).toEqual(want);
    const again = await p.process("t", 0, m);
    expect(again.applied).toBe(0);
    expect(await snapshot(store, users)).toEqual(want);
  });

  it("sends each kind of bad input to the DLQ and processes the good ones around it", async () => {
    const good = gen(3);
    const bad = [
      "{oops",
      JSON.stringify({ ...good[0], type: "like" }),
      JSON.stringify({ ...good[0], schema: 9 }),
      JSON.stringify({ ...good[0], ts: Date.now() + 86_400_000 }),
      JSON.stringify({ ...good[0], item_id: [1] }),
      "x".repeat(20_000),
    ];
    const store = createMemoryStore();
    const p = createProcessor({ store, spec: DEFAULT_SPEC });
    const r = await p.process("t", 3, msgs([good[0], ...bad, good[1], good[2]], 100));
    expect(r.dlq).toHaveLength(bad.length);
    expect(r.applied).toBe(3);
    expect(r.dlq.map((d) => d.headers["dlq.reason"])).toEqual([
      "bad_json",
      "unknown_type",
      "schema_version",
      "future_ts",
      "wrong_type",
      "oversized",
    ]);
    expect(r.dlq[0]!.headers).toMatchObject({ "dlq.topic": "t", "dlq.partition": "3", "dlq.offset": "101" });
    expect(r.dlq[0]!.value!.toString()).toBe("{oops");
  });

  it("resolves a zombie writer's conflict by reloading; nothing is lost or doubled", async () => {
    const events = gen(2000);
    const store = createMemoryStore();
    const a = createProcessor({ store, spec: DEFAULT_SPEC });
    const b = createProcessor({ store, spec: DEFAULT_SPEC });
    const m = msgs(events);
    await a.process("t", 0, m.slice(0, 1000));
    await b.process("t", 0, m.slice(500, 1500)); // new owner re-reads from the committed offset
    const r = await a.process("t", 0, m.slice(1000, 2000)); // zombie with a stale cache
    expect(r.conflicts).toBeGreaterThan(0);
    await b.process("t", 0, m.slice(1500, 2000));
    const rep = createReplayer(DEFAULT_SPEC);
    for (const e of events) rep.push(e);
    const users = [...rep.states.keys()];
    expect(await snapshot(store, users)).toEqual(users.map((u) => readableUser(u, rep.states.get(u)!)));
  });

  it("retries a failing store with backoff and never applies twice", async () => {
    const events = gen(500);
    const inner = createMemoryStore();
    let failures = 3;
    const flaky: SequenceStore = {
      ...inner,
      load: inner.load,
      save: async (entries) => {
        if (failures-- > 0) throw new StoreUnavailableError("down", undefined);
        return inner.save(entries);
      },
    };
    const p = createProcessor({ store: flaky, spec: DEFAULT_SPEC, retry: { initialMs: 1, maxMs: 2 } });
    const r = await p.process("t", 0, msgs(events));
    expect(failures).toBe(-1);
    const rep = createReplayer(DEFAULT_SPEC);
    for (const e of events) rep.push(e);
    expect(r.applied).toBe(rep.counts.applied);
    const users = [...rep.states.keys()];
    expect(await snapshot(inner, users)).toEqual(users.map((u) => readableUser(u, rep.states.get(u)!)));
  });
});
