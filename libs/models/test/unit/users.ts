import { encodeCandidates, rawId64Into, type UserBlockInput } from "@seqlane/features";
import { EMPTY_SEQUENCES, type SequenceBlock, type UserSequences } from "@seqlane/sequences";

/** Deterministic random users: sequences of the given lengths (ids from small pools so categories repeat). */
export function randomUsers(lengths: readonly number[], candidates: number, seed = 1): UserBlockInput[] {
  let s = seed;
  const rnd = (n: number) => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n;
  const now = Date.UTC(2026, 5, 1, 8);
  return lengths.map((len) => {
    const block = (n: number): SequenceBlock => {
      const b = {
        length: n,
        item: new Uint32Array(2 * n),
        category: new Uint32Array(2 * n),
        brand: new Uint32Array(2 * n),
        type: new Uint8Array(n),
        ts: new Float64Array(n),
      };
      for (let i = 0; i < n; i++) {
        rawId64Into(rnd(3) === 0 ? `sku-${rnd(500)}` : String(rnd(100000)), b.item, 2 * i);
        rawId64Into(String(rnd(20)), b.category, 2 * i);
        b.type[i] = 1 + rnd(4);
        b.ts[i] = now - (n - i) * 60_000 * (1 + rnd(60));
      }
      return b;
    };
    const sequences: UserSequences = {
      ...EMPTY_SEQUENCES,
      short_mixed: block(Math.min(len, 60)),
      long_click: block(len),
    };
    const cands = Array.from({ length: candidates }, () => ({
      itemId: rnd(2) ? String(rnd(100000)) : `sku-${rnd(500)}`,
      categoryId: String(rnd(20)),
    }));
    return { sequences, candidates: encodeCandidates(cands), now, context: { hourOfDay: rnd(24) } };
  });
}
