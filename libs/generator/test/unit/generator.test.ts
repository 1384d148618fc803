import { describe, expect, it } from "vitest";
import { parseEvent } from "@seqlane/events";
import { createGenerator } from "../../src/index.js";
import type { GeneratedEvent } from "../../src/index.js";

const take = (n: number, seed = 1): GeneratedEvent[] => {
  const g = createGenerator({ seed, users: 500, items: 5000 });
  return Array.from({ length: n }, () => g.next());
};

describe("generator", () => {
  it("is reproducible from its seed", () => {
    expect(take(2000, 7)).toEqual(take(2000, 7));
    expect(take(50, 7)).not.toEqual(take(50, 8));
  });

  it("emits valid events with a realistic funnel, duplicates, late events, both sources", () => {
    const evs = take(30_000);
    for (const e of evs.slice(0, 500)) expect(parseEvent(JSON.stringify(e)).ok).toBe(true);
    const n = (t: string) => evs.filter((e) => e.type === t).length;
    const ctr = n("click") / n("exposure");
    expect(ctr).toBeGreaterThan(0.03);
    expect(ctr).toBeLessThan(0.3);
    expect(n("cart")).toBeLessThan(n("click"));
    expect(n("purchase")).toBeLessThan(n("cart"));
    expect(n("purchase")).toBeGreaterThan(0);
    const ids = new Set(evs.map((e) => e.event_id));
    expect(ids.size).toBeLessThan(evs.length);
    let late = 0;
    let maxTs = 0;
    for (const e of evs) {
      if (e.ts < maxTs) late++;
      maxTs = Math.max(maxTs, e.ts);
    }
    expect(late).toBeGreaterThan(0);
    expect(evs.some((e) => e.source === "device")).toBe(true);
    expect(evs.filter((e) => e.type === "exposure").every((e) => typeof e.p_click === "number")).toBe(true);
  });

  it("makes clicks follow the latent interests (learnable)", () => {
    const evs = take(30_000);
    const exp = evs.filter((e) => e.type === "exposure");
    const hi = exp.filter((e) => e.p_click! > 0.2);
    const lo = exp.filter((e) => e.p_click! < 0.05);
    expect(hi.length).toBeGreaterThan(100);
    expect(lo.length).toBeGreaterThan(100);
    const clicked = new Set(evs.filter((e) => e.type === "click").map((e) => `${e.request_id}|${e.item_id}`));
    const rate = (xs: GeneratedEvent[]) =>
      xs.filter((e) => clicked.has(`${e.request_id}|${e.item_id}`)).length / xs.length;
    expect(rate(hi)).toBeGreaterThan(3 * rate(lo));
  });

  it("answers what a user would do with a slate", () => {
    const g = createGenerator({ seed: 3, users: 100, items: 1000 });
    const items = g.popularItems(10);
    const p = g.clickProbability("u5", items[0]!.item_id, 0);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    const out = g.respond(
      "u5",
      items.map((i, position) => ({ item_id: i.item_id, position })),
      { request_id: "req-1" },
    );
    expect(out.filter((e) => e.type === "exposure")).toHaveLength(10);
    expect(out.every((e) => e.user_id === "u5" && e.request_id !== undefined)).toBe(true);
  });
});
