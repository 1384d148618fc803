/**
 * FNV-1a 64 over UTF-8 bytes, computed in four 16-bit limbs so that the hot path never touches
 * BigInt. Writes the result as uint32 halves into `out[at]` (lo) and `out[at + 1]` (hi).
 */
const encoder = new TextEncoder();

export function fnv1a64Into(s: string, out: Uint32Array, at: number): void {
  // offset basis 0xcbf29ce484222325 as limbs, least significant first
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const bytes = ascii ? undefined : encoder.encode(s);
  const n = bytes ? bytes.length : s.length;
  for (let i = 0; i < n; i++) {
    h0 ^= bytes ? bytes[i]! : s.charCodeAt(i);
    // multiply by the prime 0x100000001b3 = 2^40 + 0x1b3, mod 2^64
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    h0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    h1 = t1 & 0xffff;
    h3 = (t3 + (t2 >>> 16)) & 0xffff;
    h2 = t2 & 0xffff;
  }
  out[at] = ((h1 << 16) | h0) >>> 0;
  out[at + 1] = ((h3 << 16) | h2) >>> 0;
}
