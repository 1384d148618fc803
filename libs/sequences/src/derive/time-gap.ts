import type { SequenceBlock } from "../types.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/**
 * Upper edges (exclusive) of the time-gap buckets, TiSSA-style roughly logarithmic. A gap below
 * 1 min is bucket 1, below 5 min bucket 2, ..., 180 days or more is bucket 15; 0 is padding.
 */
export const TIME_GAP_EDGES_MS: readonly number[] = [
  MIN,
  5 * MIN,
  15 * MIN,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  3 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  90 * DAY,
  180 * DAY,
];

/** Number of buckets including padding 0 (size an embedding table with it). */
export const TIME_GAP_BUCKETS = TIME_GAP_EDGES_MS.length + 2;

/** Bucket (1..15) of a gap in ms; negative gaps (clock skew) count as 0. */
export function timeGapBucket(gapMs: number): number {
  let b = 1;
  for (const edge of TIME_GAP_EDGES_MS) {
    if (gapMs < edge) return b;
    b++;
  }
  return b;
}

/** Bucket of `nowMs - ts` for every record, oldest first. */
export function timeGapBuckets(block: SequenceBlock, nowMs: number, out = new Uint8Array(block.length)): Uint8Array {
  for (let i = 0; i < block.length; i++) out[i] = timeGapBucket(nowMs - block.ts[i]!);
  return out;
}
