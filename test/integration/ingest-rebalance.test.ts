import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerator } from "@seqlane/generator";
import { DEFAULT_SPEC, createReplayer, readableUser } from "@seqlane/sequences";
import { rand, readable, setup, toMessages, waitFor } from "./ingest-support.js";
import type { Env } from "./ingest-support.js";

let env: Env;
beforeAll(async () => {
  env = await setup(4);
});
afterAll(async () => env?.close());

describe("ingest: rebalances", () => {
  it("loses nothing when members join and leave the group mid-stream", async () => {
    const g = createGenerator({ seed: 61, users: 300, items: 3000, startTs: Date.UTC(2026, 0, 1) });
    const events = Array.from({ length: 12_000 }, () => g.next());
    const groupId = rand("it-group");
    await env.produce(toMessages(events.slice(0, 4000)));
    const a = env.ingest({ groupId, maxBatchBytes: 16_384 });
    await a.start();
    await waitFor("a consumes", () => a.stats.messages > 1000);
    const b = env.ingest({ groupId, maxBatchBytes: 16_384 });
    await b.start(); // rebalance: partitions move from a to b
    await env.produce(toMessages(events.slice(4000, 8000)));
    await waitFor("b consumes", () => b.stats.messages > 0, 60_000);
    await a.stop(); // rebalance again: b takes everything
    await env.produce(toMessages(events.slice(8000)));
    await waitFor("all committed", async () => (await env.committed(groupId)) === events.length, 90_000);
    await b.stop();

    const rep = createReplayer(DEFAULT_SPEC);
    for (const e of events) rep.push(e);
    const users = [...rep.states.keys()];
    expect(await readable(env.store(), users)).toEqual(users.map((u) => readableUser(u, rep.states.get(u)!)));
  });
});
