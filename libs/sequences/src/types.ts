/**
 * Shared shapes of per-user behaviour sequences. CONTRACT between libs/sequences (which
 * builds and stores them) and libs/features (which turns them into tensors).
 *
 * Ids are "id64" values (see libs/events `id64`): a 64-bit unsigned number kept as two
 * uint32 halves, interleaved little-endian as [lo0, hi0, lo1, hi1, ...] so that the bytes equal
 * a little-endian BigUint64Array and can be viewed straight out of a Redis buffer.
 */

/** The five stored sequences, AliSearch-style. */
export const SEQUENCE_NAMES = ["short_mixed", "long_click", "long_purchase", "device_click", "exposure"] as const;
export type SequenceName = (typeof SEQUENCE_NAMES)[number];

/** Behaviour type codes as stored (uint8). 0 is never used so that it can mean padding. */
export const BEHAVIOUR_CODES = { click: 1, fav: 2, cart: 3, purchase: 4, exposure: 5 } as const;
export type BehaviourType = keyof typeof BEHAVIOUR_CODES;

/** One decoded sequence, oldest first (ascending event time). */
export interface SequenceBlock {
  readonly length: number;
  /** id64 pairs [lo, hi] per record: length * 2 entries. */
  readonly item: Uint32Array;
  readonly category: Uint32Array;
  /** id64 of the brand; 0,0 when the event had none. */
  readonly brand: Uint32Array;
  /** BEHAVIOUR_CODES value per record. */
  readonly type: Uint8Array;
  /** Event time, epoch milliseconds, per record (ascending). */
  readonly ts: Float64Array;
}

/** All of one user's sequences, as read in one Redis round trip. Missing user: all empty. */
export type UserSequences = Readonly<Record<SequenceName, SequenceBlock>>;
