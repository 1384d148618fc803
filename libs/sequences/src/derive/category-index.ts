import type { SequenceBlock } from "../types.js";

/** Positions of one sequence's records grouped by category, for SIM's hard search. */
export interface CategoryIndex {
  /** Record positions whose category id64 equals (lo, hi), newest first; empty when none. */
  positions(lo: number, hi: number): readonly number[];
}

const EMPTY: readonly number[] = [];

/**
 * Positions (indices into the block, newest first, at most `limit`) of the records of one
 * category, written to `out`; returns how many. For one candidate; use buildCategoryIndex for many.
 */
export function categoryPositions(
  block: SequenceBlock,
  lo: number,
  hi: number,
  out: Int32Array,
  limit = out.length,
): number {
  let n = 0;
  for (let i = block.length - 1; i >= 0 && n < limit; i--) {
    if (block.category[2 * i] === lo && block.category[2 * i + 1] === hi) out[n++] = i;
  }
  return n;
}

/** Groups a block's positions by category once, so each candidate's lookup is O(1). */
export function buildCategoryIndex(block: SequenceBlock): CategoryIndex {
  // Key on lo and the low 21 bits of hi (an exact 53-bit number); the rest is checked on lookup.
  const map = new Map<number, number[]>();
  for (let i = block.length - 1; i >= 0; i--) {
    const key = block.category[2 * i]! + (block.category[2 * i + 1]! & 0x1fffff) * 4294967296;
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  }
  return {
    positions(lo, hi) {
      const list = map.get(lo + (hi & 0x1fffff) * 4294967296);
      if (!list) return EMPTY;
      if (list.every((i) => block.category[2 * i + 1] === hi)) return list;
      return list.filter((i) => block.category[2 * i + 1] === hi);
    },
  };
}
