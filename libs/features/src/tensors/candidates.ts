import { id64Into } from "@seqlane/events";

/** id64 of a raw id (docs/ids.md §1-2): a safe integer is its own value, a string goes through libs/events. */
export function rawId64Into(raw: string | number, out: Uint32Array, at: number): void {
  if (typeof raw === "number") {
    out[at] = raw % 4294967296;
    out[at + 1] = Math.floor(raw / 4294967296);
  } else id64Into(raw, out, at);
}

/** A candidate as callers name it: raw ids (strings or non-negative safe integers). */
export interface CandidateInput {
  readonly itemId: string | number;
  readonly categoryId?: string | number | undefined;
  readonly brandId?: string | number | undefined;
}

/**
 * Candidates of one request with their ids already turned into id64 halves, so the tensor
 * builder hashes into buckets without touching strings. `brand` 0,0 means absent
 * (docs/ids.md); a missing category is marked in `hasCategory` because id "0" is a real category.
 */
export interface EncodedCandidates {
  readonly count: number;
  readonly item: Uint32Array;
  readonly category: Uint32Array;
  readonly brand: Uint32Array;
  readonly hasCategory: Uint8Array;
}

/** id64 halves of each candidate's ids. */
export function encodeCandidates(cands: readonly CandidateInput[]): EncodedCandidates {
  const n = cands.length;
  const item = new Uint32Array(2 * n);
  const category = new Uint32Array(2 * n);
  const brand = new Uint32Array(2 * n);
  const hasCategory = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = cands[i]!;
    rawId64Into(c.itemId, item, 2 * i);
    if (c.categoryId !== undefined) {
      rawId64Into(c.categoryId, category, 2 * i);
      hasCategory[i] = 1;
    }
    if (c.brandId !== undefined) {
      rawId64Into(c.brandId, brand, 2 * i);
    }
  }
  return { count: n, item, category, brand, hasCategory };
}
