/** Derived per-record fields of docs/manifest.md ("Derived fields"). */

/**
 * Time-gap feature of docs/manifest.md (not libs/sequences' TiSSA edges, which serve other views):
 * `1 + min(buckets - 2, floor(log2(1 + gap_min)))` with gap_min = max(0, now - ts) / 60000.
 * floor(log2) is corrected against powers of two so it cannot disagree with Python at
 * exact boundaries.
 */
export function timeGapBucket(now: number, ts: number, buckets: number): number {
  const x = 1 + Math.max(0, now - ts) / 60_000;
  let k = Math.floor(Math.log2(x));
  if (2 ** (k + 1) <= x) k++;
  else if (2 ** k > x) k--;
  return 1 + Math.min(buckets - 2, k);
}
