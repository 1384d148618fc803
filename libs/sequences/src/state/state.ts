import { SEQUENCE_NAMES } from "../types.js";
import type { SequenceName, UserSequences } from "../types.js";
import { SequenceBuffer } from "./buffer.js";
import { DedupSet } from "./dedup.js";

/**
 * One user's sequence state as apply() updates it: the five sequences, the dedup fingerprints
 * and horizons, and the store revision it was read at (for compare-and-set writes).
 */
export interface UserState {
  /** Store revision this state was read at; 0 for a user the store did not have. */
  revision: number;
  /** Newest accepted event time (ms); -Infinity when nothing was accepted yet. */
  maxTs: number;
  /** Dedup horizon: events at or before it are refused as too late (their fingerprints are gone). */
  floorTs: number;
  /** In SEQUENCE_NAMES order. */
  readonly seqs: readonly SequenceBuffer[];
  readonly dedup: DedupSet;
}

export function createState(): UserState {
  return {
    revision: 0,
    maxTs: Number.NEGATIVE_INFINITY,
    floorTs: Number.NEGATIVE_INFINITY,
    seqs: SEQUENCE_NAMES.map(() => new SequenceBuffer()),
    dedup: new DedupSet(),
  };
}

/** Zero-copy read views of a state's sequences (valid until the state changes). */
export function sequencesOf(state: UserState): UserSequences {
  const out = {} as Record<SequenceName, ReturnType<SequenceBuffer["view"]>>;
  SEQUENCE_NAMES.forEach((name, i) => {
    out[name] = state.seqs[i]!.view();
  });
  return out;
}

/** Sum of all sequence lengths. */
export function recordCount(state: UserState): number {
  let n = 0;
  for (const s of state.seqs) n += s.length;
  return n;
}
