import { mul64, out64 } from "./mul64.js";

/**
 * id64 of a raw id per docs/ids.md §2, written into `out64`-style halves.
 * PRIVATE stand-in until libs/events exports `id64`; the shared test vectors pin both.
 */

const FNV_OFFSET_LO = 0x84222325;
const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_PRIME_LO = 0x1b3;
const FNV_PRIME_HI = 0x100;
const encoder = new TextEncoder();

const idOut = new Uint32Array(2);

function fnv1a64(s: string): void {
  let lo = FNV_OFFSET_LO;
  let hi = FNV_OFFSET_HI;
  // ASCII fast path: one code unit = one UTF-8 byte; otherwise encode.
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) {
    for (let i = 0; i < s.length; i++) {
      mul64((lo ^ s.charCodeAt(i)) >>> 0, hi, FNV_PRIME_LO, FNV_PRIME_HI);
      lo = out64[0]!;
      hi = out64[1]!;
    }
  } else {
    const bytes = encoder.encode(s);
    for (let i = 0; i < bytes.length; i++) {
      mul64((lo ^ bytes[i]!) >>> 0, hi, FNV_PRIME_LO, FNV_PRIME_HI);
      lo = out64[0]!;
      hi = out64[1]!;
    }
  }
  idOut[0] = lo;
  idOut[1] = (hi | 0x80000000) >>> 0;
}

/** Decimal value of a canonical numeric string < 2^63 into idOut; false if not numeric or too big. */
function parseNumeric(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 19) return false;
  if (n > 1 && s.charCodeAt(0) === 48) return false; // leading zero
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    const l = lo * 10 + d; // < 2^36, exact
    const carry = Math.floor(l / 4294967296);
    lo = l >>> 0;
    hi = hi * 10 + carry; // < 10^19 / 2^32 < 2^32, exact
  }
  if (hi >= 0x80000000) return false; // >= 2^63: hashed instead
  idOut[0] = lo;
  idOut[1] = hi;
  return true;
}

/**
 * id64 of a canonical id string into `out[at]` (lo) and `out[at + 1]` (hi), same signature as
 * libs/events `id64Into`. Numeric strings below 2^63 keep their value; anything else is
 * FNV-1a-64 of the UTF-8 bytes with the top bit set.
 */
export function id64Into(s: string, out: Uint32Array, at: number): void {
  if (!parseNumeric(s)) fnv1a64(s);
  out[at] = idOut[0]!;
  out[at + 1] = idOut[1]!;
}

/** id64 of a raw id (string or non-negative safe integer, docs/ids.md §1) into `out[at..at+1]`. */
export function rawId64Into(raw: string | number, out: Uint32Array, at: number): void {
  if (typeof raw === "number") {
    out[at] = raw % 4294967296;
    out[at + 1] = Math.floor(raw / 4294967296);
  } else id64Into(raw, out, at);
}

/** id64 as a bigint; off the hot path (tests, logs). */
export function id64BigInt(raw: string | number): bigint {
  rawId64Into(raw, idOut, 0);
  return (BigInt(idOut[1]!) << 32n) | BigInt(idOut[0]!);
}
