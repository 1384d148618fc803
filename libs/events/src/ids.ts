import { fnv1a64Into } from "./fnv.js";

/** An unsigned 64-bit id as two uint32 halves (see docs/ids.md). */
export interface Id64 {
  readonly lo: number;
  readonly hi: number;
}

const NUMERIC = /^(0|[1-9][0-9]{0,18})$/;
const TWO32 = 4294967296;
const MAX63 = 1n << 63n;

/**
 * Canonical id string of a raw id field value (docs/ids.md section 1): a non-negative safe
 * integer becomes its decimal string, a string is kept. Returns `undefined` for anything else;
 * the validator says why.
 */
export function canonicalId(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) return String(raw);
  return undefined;
}

/**
 * id64 of a canonical id string, written as [lo, hi] into `out` at `at` (no allocation):
 * the number itself for decimal strings below 2^63, else FNV-1a-64 of the UTF-8 bytes with
 * the top bit set.
 */
export function id64Into(s: string, out: Uint32Array, at: number): void {
  if (s.length <= 19 && NUMERIC.test(s)) {
    if (s.length <= 15) {
      const v = Number(s);
      out[at] = v % TWO32;
      out[at + 1] = Math.floor(v / TWO32);
      return;
    }
    const v = BigInt(s);
    if (v < MAX63) {
      out[at] = Number(v & 0xffffffffn);
      out[at + 1] = Number(v >> 32n);
      return;
    }
  }
  fnv1a64Into(s, out, at);
  out[at + 1] = (out[at + 1]! | 0x80000000) >>> 0;
}

const scratch = new Uint32Array(2);

/** id64 of a canonical id string as `{lo, hi}`. */
export function id64(s: string): Id64 {
  id64Into(s, scratch, 0);
  return { lo: scratch[0]!, hi: scratch[1]! };
}

/** id64 as a bigint, for tests and tooling (not the hot path). */
export function id64BigInt(s: string): bigint {
  id64Into(s, scratch, 0);
  return (BigInt(scratch[1]!) << 32n) | BigInt(scratch[0]!);
}

/**
 * The readable form replay prints: the decimal value for numeric ids (top bit clear), else
 * `#` + 16 lowercase hex digits.
 */
export function formatId64(lo: number, hi: number): string {
  if (hi < 0x80000000) {
    if (hi < 0x200000) return String(hi * TWO32 + lo);
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }
  return "#" + hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}
