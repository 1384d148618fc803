import { SEQUENCE_NAMES } from "../types.js";
import type { SequenceBlock, SequenceName, UserSequences } from "../types.js";

const EMPTY_BLOCK: SequenceBlock = Object.freeze({
  length: 0,
  item: new Uint32Array(0),
  category: new Uint32Array(0),
  brand: new Uint32Array(0),
  type: new Uint8Array(0),
  ts: new Float64Array(0),
});

/** All five sequences empty: what an unknown user reads as. */
export const EMPTY_SEQUENCES: UserSequences = Object.freeze(
  Object.fromEntries(SEQUENCE_NAMES.map((n) => [n, EMPTY_BLOCK])) as Record<SequenceName, SequenceBlock>,
);
