import { describe, expect, it } from "vitest";
import {
  CorruptStateError,
  DEFAULT_SPEC,
  parseSpec,
  apply,
  createState,
  decodeState,
  encodeState,
  prepareEvent,
  recordCount,
  sequencesOf,
} from "../../src/index.js";
import { randomEvents, rng } from "./helpers.js";

describe("packed codec", () => {
  it.each([
    ["mixed ids, minutes apart", { stepMs: 60_000 }, DEFAULT_SPEC],
    ["numeric ids (narrow)", { stepMs: 60_000, numeric: true }, DEFAULT_SPEC],
    ["days apart (wide times)", { stepMs: 3 * 86_400_000, numeric: true }, DEFAULT_SPEC],
    ["long lateness (wide dedup times)", { stepMs: 600_000 }, parseSpec({ dedup_capacity: 4000 })],
  ] as const)("round-trips random states exactly: %s (property)", (_n, gen, spec) => {
    for (let seed = 1; seed <= 25; seed++) {
      const r = rng(seed);
      const s = createState();
      for (const e of randomEvents(r, Math.floor(r() * 600), gen))
        apply(s, prepareEvent(e), spec, { allowedLatenessMs: 30 * 86_400_000 });
      const buf = encodeState(s, seed);
      const d = decodeState(buf);
      expect(d.revision).toBe(seed);
      expect(d.maxTs).toBe(s.maxTs);
      expect(d.floorTs).toBe(s.floorTs);
      expect(sequencesOf(d)).toEqual(sequencesOf(s));
      expect(Array.from(d.dedup.fp.subarray(0, 2 * d.dedup.length))).toEqual(
        Array.from(s.dedup.fp.subarray(2 * s.dedup.start, 2 * (s.dedup.start + s.dedup.length))),
      );
      expect(encodeState(d, seed).equals(buf)).toBe(true);
    }
  });

  it("stores a record in well under 32 bytes", () => {
    const s = createState();
    for (const e of randomEvents(rng(3), 2000, { stepMs: 1000 })) apply(s, prepareEvent(e), DEFAULT_SPEC);
    const per = encodeState(s, 1).byteLength / recordCount(s);
    expect(per).toBeLessThan(32);
  });

  it("encodes an empty state and rejects corrupt blobs", () => {
    const e = encodeState(createState(), 1);
    expect(decodeState(e).seqs.every((q) => q.length === 0)).toBe(true);
    const bad = Buffer.from(e);
    bad[0] = 9;
    expect(() => decodeState(bad, "u")).toThrow(CorruptStateError);
    expect(() => decodeState(e.subarray(0, 10))).toThrow(CorruptStateError);
    expect(() => decodeState(Buffer.concat([e, Buffer.alloc(1)]))).toThrow(CorruptStateError);
  });
});
