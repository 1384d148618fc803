import type { UserState } from "../state/state.js";
import type { UserSequences } from "../types.js";

/** Outcome of one compare-and-set save. */
export type SaveStatus = "saved" | "conflict";

export interface SaveEntry {
  readonly userId: string;
  /** Saved with revision `state.revision + 1`; on "saved" `state.revision` is advanced. */
  readonly state: UserState;
}

/**
 * Where per-user sequence state lives. The scorer uses read/readMany; the ingest consumer
 * load/save. Each call is one round trip whatever the number of users.
 */
export interface SequenceStore {
  /** A user's five sequences; an unknown user has all five empty. */
  read(userId: string): Promise<UserSequences>;
  /** Many users' sequences, in the order asked. */
  readMany(userIds: readonly string[]): Promise<UserSequences[]>;
  /** Mutable states for apply(), with the revision read (0 for unknown users). */
  load(userIds: readonly string[]): Promise<UserState[]>;
  /**
   * Atomic compare-and-set per user (packed state + TTL). "conflict": the stored revision moved
   * since load; reload, re-apply (dedup makes that harmless) and save again.
   */
  save(entries: readonly SaveEntry[]): Promise<SaveStatus[]>;
  /** Packed size of a user's stored state in bytes (0 when absent); for benchmarks. */
  storedBytes(userId: string): Promise<number>;
}

/** The revision after `r` (never 0, which means "absent"). */
export function nextRevision(r: number): number {
  return (r % 0xffffffff) + 1;
}
