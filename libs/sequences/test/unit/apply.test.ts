import { describe, expect, it } from "vitest";
import type { BehaviourEvent } from "@seqlane/events";
import {
  DEFAULT_SPEC,
  OUTCOME,
  apply,
  createState,
  decodeState,
  encodeState,
  parseSpec,
  prepareEvent,
  sequencesOf,
} from "../../src/index.js";
import type { SequenceSpec, UserState } from "../../src/index.js";
import { T0, fingerprint, randomEvents, rng } from "./helpers.js";

function run(
  events: readonly BehaviourEvent[],
  spec: SequenceSpec = DEFAULT_SPEC,
  lateness = 3_600_000,
  state = createState(),
): UserState {
  for (const e of events) apply(state, prepareEvent(e), spec, { allowedLatenessMs: lateness });
  return state;
}

const ev = (
  id: string,
  type: BehaviourEvent["type"],
  item: string,
  ts: number,
  source: "server" | "device" = "server",
): BehaviourEvent => ({
  schema: 1,
  event_id: id,
  user_id: "u",
  item_id: item,
  category_id: "c",
  type,
  ts,
  source,
});

describe("apply", () => {
  it("keeps every sequence in event-time order and within its bounds (property)", () => {
    const spec = parseSpec({
      sequences: {
        short_mixed: { max_length: 7 },
        long_click: { max_length: 20, max_age_ms: 3_600_000 },
        exposure: { max_length: 5 },
      },
    });
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed);
      const events = randomEvents(r, 300);
      // shuffle locally to create out-of-order arrivals
      for (let i = 0; i < events.length; i++) {
        const j = Math.min(events.length - 1, i + Math.floor(r() * 4));
        [events[i], events[j]] = [events[j]!, events[i]!];
      }
      const s = run(events, spec);
      const seqs = sequencesOf(s);
      for (const [name, b] of Object.entries(seqs)) {
        const def = spec.sequences[name as keyof typeof seqs];
        expect(b.length).toBeLessThanOrEqual(def.maxLength);
        for (let i = 1; i < b.length; i++) expect(b.ts[i]!).toBeGreaterThanOrEqual(b.ts[i - 1]!);
        if (def.maxAgeMs > 0 && b.length > 0) expect(b.ts[0]!).toBeGreaterThanOrEqual(s.maxTs - def.maxAgeMs);
      }
    }
  });

  it("ignores duplicates and a full replay of the same stream (property)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const events = randomEvents(rng(seed), 400);
      const once = run(events);
      const twice = run(events, DEFAULT_SPEC, 3_600_000, run(events));
      expect(fingerprint(twice)).toBe(fingerprint(once));
      const withDups = events.flatMap((e, i) => (i % 7 === 0 ? [e, e] : [e]));
      expect(fingerprint(run(withDups))).toBe(fingerprint(once));
    }
  });

  it("resumes after a crash: state saved after k events + replay from any earlier point == uninterrupted (property)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const events = randomEvents(r, 300);
      const full = run(events);
      const k = Math.floor(r() * events.length);
      const committed = Math.floor(r() * (k + 1));
      const saved = decodeState(encodeState(run(events.slice(0, k)), 1));
      const resumed = run(events.slice(committed), DEFAULT_SPEC, 3_600_000, saved);
      expect(fingerprint(resumed)).toBe(fingerprint(full));
    }
  });

  it("gives the same sequences for any arrival order within the allowed lateness (property)", () => {
    const spec = parseSpec({ dedup_capacity: 65535 });
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const events = randomEvents(r, 200, { stepMs: 5_000 });
      const shuffled = [...events];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.max(0, i - Math.floor(r() * 10));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const a = run(events, spec, 86_400_000);
      const b = run(shuffled, spec, 86_400_000);
      expect(sequencesOf(b)).toEqual(sequencesOf(a));
    }
  });

  it("leaves out and counts events later than the allowed lateness", () => {
    const s = createState();
    const p = (e: BehaviourEvent) => apply(s, prepareEvent(e), DEFAULT_SPEC, { allowedLatenessMs: 60_000 });
    expect(p(ev("a", "click", "1", T0 + 100_000))).toBe(OUTCOME.applied);
    expect(p(ev("b", "click", "2", T0 + 50_000))).toBe(OUTCOME.applied);
    expect(p(ev("c", "click", "3", T0 + 30_000))).toBe(OUTCOME.late);
    expect(p(ev("a", "click", "1", T0 + 100_000))).toBe(OUTCOME.duplicate);
    expect(Array.from(sequencesOf(s).long_click.ts)).toEqual([T0 + 50_000, T0 + 100_000]);
  });

  it("removes an exposure once the item is clicked, and does not add an exposure already clicked", () => {
    const s = run([
      ev("1", "exposure", "10", T0),
      ev("2", "exposure", "11", T0 + 1),
      ev("3", "click", "10", T0 + 5),
      ev("4", "exposure", "10", T0 + 2), // late, but a click at T0+5 follows it
      ev("5", "exposure", "10", T0 + 9), // shown again after the click: stays
    ]);
    const x = sequencesOf(s).exposure;
    expect(Array.from(x.ts)).toEqual([T0 + 1, T0 + 9]);
    expect(Array.from(x.item)).toEqual([11, 0, 10, 0]);
  });

  it("routes by type and source", () => {
    const s = run([
      ev("1", "click", "1", T0, "device"),
      ev("2", "click", "2", T0 + 1),
      ev("3", "purchase", "3", T0 + 2),
      ev("4", "fav", "4", T0 + 3),
    ]);
    const q = sequencesOf(s);
    expect(q.device_click.length).toBe(1);
    expect(q.long_click.length).toBe(2);
    expect(q.long_purchase.length).toBe(1);
    expect(Array.from(q.short_mixed.type)).toEqual([1, 1, 4, 2]);
    expect(q.exposure.length).toBe(0);
  });

  it("bounds dedup memory and refuses events behind the dedup horizon", () => {
    const spec = parseSpec({ dedup_capacity: 4 });
    const s = createState();
    for (let i = 0; i < 10; i++) apply(s, prepareEvent(ev(`e${i}`, "click", "1", T0 + i * 1000)), spec);
    expect(s.dedup.length).toBe(4);
    expect(apply(s, prepareEvent(ev("e3", "click", "1", T0 + 3000)), spec)).toBe(OUTCOME.late);
    expect(apply(s, prepareEvent(ev("e8", "click", "1", T0 + 8000)), spec)).toBe(OUTCOME.duplicate);
  });
});
