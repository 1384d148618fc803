import type { EncodedCandidates } from "./candidates.js";
import { SESSION_GAP_MS, type SequenceBlock } from "@seqlane/sequences";

/**
 * Record selection per view, writing record indices (newest first) into preallocated Int32Array
 * scratch, so that lengths of the whole batch are known before any tensor is filled.
 */

/** Newest `max` records passing `allowed` (a type-code mask or null), newest first; returns the count. */
export function selectPlain(
  block: SequenceBlock,
  allowed: Uint8Array | null,
  max: number,
  out: Int32Array,
  at: number,
): number {
  let n = 0;
  for (let r = block.length - 1; r >= 0 && n < max; r--) {
    if (allowed !== null && allowed[block.type[r]!] !== 1) continue;
    out[at + n++] = r;
  }
  return n;
}

/**
 * Sessions (split where consecutive kept records are more than 30 min apart), newest session
 * first, each with its newest `maxLen` records, newest first. Session s of this user uses
 * out[at + s * maxLen ...] and lens[lensAt + s]. Returns the number of sessions (<= maxSessions).
 */
export function selectSessions(
  block: SequenceBlock,
  allowed: Uint8Array | null,
  maxSessions: number,
  maxLen: number,
  out: Int32Array,
  at: number,
  lens: Int32Array,
  lensAt: number,
): number {
  let s = -1;
  let prevTs = 0;
  for (let r = block.length - 1; r >= 0; r--) {
    if (allowed !== null && allowed[block.type[r]!] !== 1) continue;
    const ts = block.ts[r]!;
    if (s < 0 || prevTs - ts > SESSION_GAP_MS) {
      if (s + 1 >= maxSessions) break;
      s++;
      lens[lensAt + s] = 0;
    }
    prevTs = ts;
    const n = lens[lensAt + s]!;
    if (n < maxLen) {
      out[at + s * maxLen + n] = r;
      lens[lensAt + s] = n + 1;
    }
  }
  return s + 1;
}

/** Newest `max` records of `block` whose category id64 equals candidate `c`'s (SIM hard search). */
export function selectCategoryMatch(
  block: SequenceBlock,
  allowed: Uint8Array | null,
  cands: EncodedCandidates,
  c: number,
  max: number,
  out: Int32Array,
  at: number,
): number {
  if (cands.hasCategory[c] !== 1) return 0;
  const lo = cands.category[2 * c]!;
  const hi = cands.category[2 * c + 1]!;
  const cat = block.category;
  let n = 0;
  for (let r = block.length - 1; r >= 0 && n < max; r--) {
    if (cat[2 * r] !== lo || cat[2 * r + 1] !== hi) continue;
    if (allowed !== null && allowed[block.type[r]!] !== 1) continue;
    out[at + n++] = r;
  }
  return n;
}
