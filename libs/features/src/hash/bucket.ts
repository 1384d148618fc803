import { mod64, mul64, out64 } from "./mul64.js";

// splitmix64 finaliser constants as halves (docs/ids.md §3).
const M1_LO = 0x1ce4e5b9;
const M1_HI = 0xbf58476d;
const M2_LO = 0x133111eb;
const M2_HI = 0x94d049bb;

/**
 * Embedding row of an id64 (given as uint32 halves) in a table of `buckets` rows, per
 * docs/ids.md §3: `1 + (splitmix64(id64) mod (buckets - 1))`. Row 0 is left for padding, so
 * the result is in [1, buckets). No BigInt, no allocation.
 *
 * @param lo low 32 bits of the id64
 * @param hi high 32 bits of the id64
 * @param buckets table size, integer in [2, 2^32]
 */
export function bucket(lo: number, hi: number, buckets: number): number {
  // z ^= z >> 30
  let zlo = (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0;
  let zhi = (hi ^ (hi >>> 30)) >>> 0;
  mul64(zlo, zhi, M1_LO, M1_HI);
  zlo = out64[0]!;
  zhi = out64[1]!;
  // z ^= z >> 27
  zlo = (zlo ^ ((zlo >>> 27) | (zhi << 5))) >>> 0;
  zhi = (zhi ^ (zhi >>> 27)) >>> 0;
  mul64(zlo, zhi, M2_LO, M2_HI);
  zlo = out64[0]!;
  zhi = out64[1]!;
  // z ^= z >> 31
  zlo = (zlo ^ ((zlo >>> 31) | (zhi << 1))) >>> 0;
  zhi = (zhi ^ (zhi >>> 31)) >>> 0;
  return 1 + mod64(zlo, zhi, buckets - 1);
}

/** `bucket` for an id64 held as a bigint: convenient off the hot path (tests, tools). */
export function bucketOfId64(id64: bigint, buckets: number): number {
  return bucket(Number(id64 & 0xffffffffn), Number((id64 >> 32n) & 0xffffffffn), buckets);
}
