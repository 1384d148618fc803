import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerator } from "@seqlane/generator";
import { exact, rand, setup, toMessages, waitFor } from "./ingest-support.js";
import type { Env } from "./ingest-support.js";

let env: Env;
beforeAll(async () => {
  env = await setup(3);
});
afterAll(async () => env?.close());

describe("ingest: duplicates and full replays", () => {
  it("ignores duplicated messages and a full replay of the topic", async () => {
    const g = createGenerator({ seed: 21, users: 200, items: 2000, startTs: Date.UTC(2026, 0, 1), duplicateRate: 0 });
    const events = Array.from({ length: 5000 }, () => g.next());
    const users = [...new Set(events.map((e) => e.user_id))];
    await env.produce(toMessages(events));
    const first = env.ingest({ groupId: rand("it-group") });
    await first.start();
    await waitFor("first pass", () => first.stats.messages === events.length);
    const store = env.store();
    const before = await exact(store, users);

    // every message again (duplicates), then a new group reading the whole topic from the start
    await env.produce(toMessages(events));
    await waitFor("duplicates", () => first.stats.messages === 2 * events.length);
    expect(first.stats.duplicate + first.stats.late).toBe(events.length);
    await first.stop();
    const replay = env.ingest({ groupId: rand("it-group"), cacheUsers: 0 });
    await replay.start();
    await waitFor("full replay", () => replay.stats.messages === 2 * events.length);
    expect(replay.stats.applied).toBe(0);
    expect(await exact(store, users)).toEqual(before);
  });
});
