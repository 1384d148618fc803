import type { SequenceBlock } from "../types.js";

/** DSIN's session boundary: a new session starts after this much idle time. */
export const SESSION_GAP_MS = 30 * 60_000;

/**
 * Session index of every record, oldest first: 0 for the oldest session, +1 after each gap
 * longer than `gapMs`. The number of sessions is `out[length - 1] + 1`.
 */
export function sessionIndex(
  block: SequenceBlock,
  gapMs = SESSION_GAP_MS,
  out = new Uint16Array(block.length),
): Uint16Array {
  let s = 0;
  for (let i = 0; i < block.length; i++) {
    if (i > 0 && block.ts[i]! - block.ts[i - 1]! > gapMs) s++;
    out[i] = s;
  }
  return out;
}
