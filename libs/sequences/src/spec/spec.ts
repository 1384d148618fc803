import type { BehaviourType, SequenceName } from "../types.js";

export type Source = "server" | "device";

/** Which events one sequence keeps, and its bounds. */
export interface SequenceDef {
  /** Behaviour types kept. */
  readonly types: readonly BehaviourType[];
  /** Sources kept. */
  readonly sources: readonly Source[];
  /** Most records kept (the oldest leave first). */
  readonly maxLength: number;
  /** Records older than the user's newest event time minus this leave. 0: no age bound. */
  readonly maxAgeMs: number;
  /** Exposure semantics: a record leaves when a click on the same item at or after it arrives. */
  readonly removeOnClick: boolean;
}

/** The whole sequence spec: the five sequences plus dedup bounds. */
export interface SequenceSpec {
  readonly sequences: Readonly<Record<SequenceName, SequenceDef>>;
  /** Most event-id fingerprints kept per user for dedup (older ones raise the dedup horizon). */
  readonly dedupCapacity: number;
}

const DAY = 86_400_000;
const BEHAVIOURS = ["click", "fav", "cart", "purchase"] as const;
const BOTH: readonly Source[] = ["server", "device"];

/** The defaults of ../shared/design/ARCHITECTURE.md (device_click: 3 days, as short_mixed). */
export const DEFAULT_SPEC: SequenceSpec = {
  sequences: {
    short_mixed: { types: BEHAVIOURS, sources: BOTH, maxLength: 50, maxAgeMs: 3 * DAY, removeOnClick: false },
    long_click: { types: ["click"], sources: BOTH, maxLength: 1000, maxAgeMs: 180 * DAY, removeOnClick: false },
    long_purchase: { types: ["purchase"], sources: BOTH, maxLength: 200, maxAgeMs: 365 * DAY, removeOnClick: false },
    device_click: { types: ["click"], sources: ["device"], maxLength: 50, maxAgeMs: 3 * DAY, removeOnClick: false },
    exposure: { types: ["exposure"], sources: BOTH, maxLength: 100, maxAgeMs: DAY, removeOnClick: true },
  },
  dedupCapacity: 256,
};
