import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SPEC } from "@seqlane/sequences";
import { readable, rand, setup, toMessages, waitFor } from "./ingest-support.js";
import type { Env } from "./ingest-support.js";

let env: Env;
beforeAll(async () => {
  env = await setup(2);
});
afterAll(async () => env?.close());

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const click = (id: string, user: string, item: string, ts: number) => ({
  schema: 1,
  event_id: id,
  user_id: user,
  item_id: item,
  category_id: "c1",
  type: "click",
  ts,
  source: "server",
});

describe("ingest: late and out-of-order events", () => {
  it("inserts late events in event-time order and counts the too-late ones", async () => {
    // allowed lateness 10 min; arrival order differs from event time
    const events = [
      click("a", "u1", "1", T0 + 10 * MIN),
      click("b", "u1", "2", T0 + 20 * MIN),
      click("c", "u1", "3", T0 + 15 * MIN), // late, within lateness: goes between a and b
      click("d", "u1", "4", T0 + 30 * MIN),
      click("e", "u1", "5", T0 + 5 * MIN), // 25 min behind the newest: too late
      click("f", "u1", "6", T0 + 29 * MIN), // late, within lateness
      click("g", "u2", "7", T0 + 1 * MIN),
      click("h", "u2", "8", T0),
    ];
    await env.produce(toMessages(events));
    const groupId = rand("it-group");
    const ing = env.ingest({ groupId, allowedLatenessMs: 10 * MIN, spec: DEFAULT_SPEC });
    await ing.start();
    await waitFor("all events", () => ing.stats.messages === events.length);
    expect(ing.stats.late).toBe(1);
    expect(ing.stats.applied).toBe(7);
    const [u1, u2] = await readable(env.store(), ["u1", "u2"]);
    expect(u1!.sequences.long_click.item_id).toEqual(["1", "3", "2", "6", "4"]);
    expect(u1!.sequences.long_click.ts).toEqual([10, 15, 20, 29, 30].map((m) => T0 + m * MIN));
    expect(u2!.sequences.short_mixed.item_id).toEqual(["8", "7"]);
  });
});
