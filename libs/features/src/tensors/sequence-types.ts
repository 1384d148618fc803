/**
 * Structural mirror of the libs/sequences CONTRACT types (libs/sequences/src/types.ts) while
 * that package has no public index yet. Any value of their types is assignable to these.
 * TODO(switch): import from "@seqlane/sequences" once its index.ts exports them.
 */
export const SEQUENCE_NAMES = ["short_mixed", "long_click", "long_purchase", "device_click", "exposure"] as const;
export type SequenceName = (typeof SEQUENCE_NAMES)[number];
export const BEHAVIOUR_CODES = { click: 1, fav: 2, cart: 3, purchase: 4, exposure: 5 } as const;
export type BehaviourType = keyof typeof BEHAVIOUR_CODES;

export interface SequenceBlock {
  readonly length: number;
  readonly item: Uint32Array;
  readonly category: Uint32Array;
  readonly brand: Uint32Array;
  readonly type: Uint8Array;
  readonly ts: Float64Array;
}

export type UserSequences = Readonly<Record<SequenceName, SequenceBlock>>;

const EMPTY_BLOCK: SequenceBlock = {
  length: 0,
  item: new Uint32Array(0),
  category: new Uint32Array(0),
  brand: new Uint32Array(0),
  type: new Uint8Array(0),
  ts: new Float64Array(0),
};

/** Sequences of a user with no history (unknown user). */
export const EMPTY_SEQUENCES: UserSequences = {
  short_mixed: EMPTY_BLOCK,
  long_click: EMPTY_BLOCK,
  long_purchase: EMPTY_BLOCK,
  device_click: EMPTY_BLOCK,
  exposure: EMPTY_BLOCK,
};
