/**
 * 64-bit unsigned arithmetic on [lo, hi] uint32 halves, without BigInt: the hash runs per
 * sequence record and per candidate, and BigInt allocates on every operation.
 * Results are written into a shared two-slot scratch array to avoid returning objects.
 */

/** Scratch result of the last operation: [lo, hi]. Read it immediately; the next call overwrites it. */
export const out64 = new Uint32Array(2);

/**
 * (ahi:alo) * (bhi:blo) mod 2^64 into `out64`. The low 32x32 product is split into 16-bit limbs
 * so every partial product is exact in a double; the cross terms only matter mod 2^32,
 * which Math.imul gives directly.
 */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  const a0 = alo & 0xffff;
  const a1 = alo >>> 16;
  const b0 = blo & 0xffff;
  const b1 = blo >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  const carry = Math.floor(low / 4294967296);
  const high = a1 * b1 + Math.floor(mid / 65536) + carry;
  out64[0] = low >>> 0;
  out64[1] = (high + Math.imul(ahi, blo) + Math.imul(alo, bhi)) >>> 0;
}

/** (hi:lo) mod m for 1 <= m < 2^32, exact. */
export function mod64(lo: number, hi: number, m: number): number {
  if (hi === 0) return lo % m;
  const r32 = 4294967296 % m;
  const h = hi % m;
  // h * r32 mod m with both < 2^32: split r32 into 16-bit limbs to stay below 2^53.
  const t = (((h * (r32 >>> 16)) % m) * 65536 + h * (r32 & 0xffff)) % m;
  return (t + (lo % m)) % m;
}
