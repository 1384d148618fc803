import { defaults, ingest } from "@seqlane/config";
import { decodeState } from "../encode/decode.js";
import { encodeState } from "../encode/encode.js";
import { createState, sequencesOf } from "../state/state.js";
import type { UserSequences } from "../types.js";
import { EMPTY_SEQUENCES } from "./empty.js";
import { nextRevision } from "./store.js";
import type { SaveEntry, SaveStatus, SequenceStore } from "./store.js";

/**
 * In-process SequenceStore with the Redis store's semantics (packed blobs, compare-and-set,
 * TTL, by default SEQLANE_STATE_TTL_SECONDS's), for tests and tools. `now` drives expiry.
 */
export function createMemoryStore(opts: { ttlSeconds?: number; now?: () => number } = {}): SequenceStore & {
  readonly size: number;
} {
  const ttlMs = (opts.ttlSeconds ?? defaults(ingest).stateTtlSeconds) * 1000;
  const now = opts.now ?? Date.now;
  const blobs = new Map<string, { blob: Buffer; expiresAt: number }>();
  const get = (userId: string): Buffer | undefined => {
    const e = blobs.get(userId);
    if (e && e.expiresAt <= now()) blobs.delete(userId);
    else if (e) return e.blob;
    return undefined;
  };
  const readOne = (userId: string): UserSequences => {
    const b = get(userId);
    return b ? sequencesOf(decodeState(b, userId)) : EMPTY_SEQUENCES;
  };
  return {
    get size() {
      return blobs.size;
    },
    async read(userId) {
      return readOne(userId);
    },
    async readMany(userIds) {
      return userIds.map(readOne);
    },
    async load(userIds) {
      return userIds.map((u) => {
        const b = get(u);
        return b ? decodeState(b, u) : createState();
      });
    },
    async save(entries: readonly SaveEntry[]): Promise<SaveStatus[]> {
      return entries.map(({ userId, state }) => {
        const cur = get(userId);
        const rev = cur ? cur.readUInt32LE(4) : 0;
        if (rev !== state.revision) return "conflict";
        const next = nextRevision(state.revision);
        blobs.set(userId, { blob: encodeState(state, next), expiresAt: now() + ttlMs });
        state.revision = next;
        return "saved";
      });
    },
    async storedBytes(userId) {
      return get(userId)?.byteLength ?? 0;
    },
  };
}
