import { readFileSync } from "node:fs";
import { defaults, ingest } from "@seqlane/config";
import { ReplyError } from "ioredis";
import type { Redis } from "ioredis";
import { decodeState } from "../encode/decode.js";
import { encodeState } from "../encode/encode.js";
import { CorruptStateError, SequencesError, StoreUnavailableError } from "../errors.js";
import { createState, sequencesOf, type UserState } from "../state/state.js";
import type { UserSequences } from "../types.js";
import { EMPTY_SEQUENCES } from "./empty.js";
import { saveOutcome } from "./save-codes.js";
import { nextRevision } from "./store.js";
import type { SaveEntry, SaveStatus, SequenceStore } from "./store.js";

export interface RedisStoreOptions {
  /** A connected ioredis client; the caller owns (and quits) it. */
  readonly redis: Redis;
  /** Prefix of every key, e.g. "sl:". Keys are `<prefix>u:{<user_id>}` (hash tag for Redis Cluster). */
  readonly keyPrefix: string;
  /** TTL of a user's state in seconds, refreshed on each save. Default: SEQLANE_STATE_TTL_SECONDS's. */
  readonly ttlSeconds?: number;
  /**
   * Users saved per script run. Default 128 (a batch costs a few runs instead of one per user).
   * Redis Cluster needs 1: users live in different hash slots.
   */
  readonly usersPerScript?: number;
  /**
   * Called when a stored state cannot be decoded (e.g. written by an incompatible version).
   * The store then serves that user as empty and, on `load`, moves the blob aside to
   * `<key>:corrupt` (kept 7 days for inspection) so the next save starts afresh: one bad key
   * must not fail every batch of its partition. Default: a process warning.
   */
  readonly onCorrupt?: (userId: string, error: CorruptStateError) => void;
}

const QUARANTINE_TTL_SECONDS = 7 * 86_400;

const SAVE_LUA = readFileSync(new URL("../../lua/save_state.lua", import.meta.url), "utf8");

function pipelineResults<T>(res: [Error | null, unknown][] | null, what: string): T[] {
  if (res === null) throw new StoreUnavailableError(`${what}: pipeline was discarded`, undefined);
  return res.map(([err, value]) => {
    if (err) throw classify(what, err);
    return value as T;
  });
}

/** Redis's own error replies (a script error, a wrong type) do not heal; I/O failures may. */
function classify(what: string, err: unknown): Error {
  if (err instanceof SequencesError || err instanceof TypeError || err instanceof RangeError) return err;
  const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
  if (err instanceof ReplyError) return new SequencesError(message, { cause: err });
  return new StoreUnavailableError(message, err);
}

async function run<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw classify(what, e);
  }
}

/** The SequenceStore over Redis: one string per user, pipelined reads, Lua compare-and-set writes. */
export function createRedisStore(opts: RedisStoreOptions): SequenceStore & { keyOf(userId: string): string } {
  const redis = opts.redis;
  const ttl = opts.ttlSeconds ?? defaults(ingest).stateTtlSeconds;
  const chunkSize = Math.max(1, opts.usersPerScript ?? 128);
  if (typeof (redis as unknown as Record<string, unknown>)["seqlaneSaveStates"] !== "function") {
    redis.defineCommand("seqlaneSaveStates", { lua: SAVE_LUA });
  }
  const keyOf = (userId: string): string => `${opts.keyPrefix}u:{${userId}}`;
  const onCorrupt =
    opts.onCorrupt ??
    ((userId: string, e: CorruptStateError) =>
      process.emitWarning(`${e.message}; serving user ${JSON.stringify(userId)} as empty`));
  /** Decodes a blob; a corrupt one is reported and yields undefined (callers treat it as empty). */
  const decode = (b: Buffer, userId: string): UserState | undefined => {
    try {
      return decodeState(b, userId);
    } catch (e) {
      if (!(e instanceof CorruptStateError)) throw e;
      onCorrupt(userId, e);
      return undefined;
    }
  };
  const view = (b: Buffer | null, userId: string): UserSequences => {
    const s = b ? decode(b, userId) : undefined;
    return s ? sequencesOf(s) : EMPTY_SEQUENCES;
  };
  const getMany = (userIds: readonly string[]): Promise<(Buffer | null)[]> =>
    run("read sequence state", async () => {
      if (userIds.length === 0) return [];
      const p = redis.pipeline();
      for (const u of userIds) p.getBuffer(keyOf(u));
      return pipelineResults<Buffer | null>(await p.exec(), "read sequence state");
    });
  return {
    keyOf,
    async read(userId) {
      const [b] = await getMany([userId]);
      return view(b ?? null, userId);
    },
    async readMany(userIds): Promise<UserSequences[]> {
      const blobs = await getMany(userIds);
      return blobs.map((b, i) => view(b, userIds[i]!));
    },
    async load(userIds) {
      const blobs = await getMany(userIds);
      const corrupt: string[] = [];
      const states = blobs.map((b, i) => {
        if (!b) return createState();
        const s = decode(b, userIds[i]!);
        if (s === undefined) corrupt.push(userIds[i]!);
        return s ?? createState();
      });
      if (corrupt.length > 0) {
        await run("quarantine corrupt state", async () => {
          const p = redis.pipeline();
          for (const u of corrupt) {
            p.rename(keyOf(u), `${keyOf(u)}:corrupt`);
            p.expire(`${keyOf(u)}:corrupt`, QUARANTINE_TTL_SECONDS);
          }
          return pipelineResults(await p.exec(), "quarantine corrupt state");
        });
      }
      return states;
    },
    async save(entries: readonly SaveEntry[]): Promise<SaveStatus[]> {
      if (entries.length === 0) return [];
      const revs = entries.map((e) => nextRevision(e.state.revision));
      const codes = await run("save sequence state", async () => {
        const p = redis.pipeline() as unknown as {
          seqlaneSaveStates(numKeys: number, ...args: (string | number | Buffer)[]): void;
          exec(): Promise<[Error | null, unknown][] | null>;
        };
        for (let at = 0; at < entries.length; at += chunkSize) {
          const chunk = entries.slice(at, at + chunkSize);
          const args: (string | number | Buffer)[] = chunk.map((e) => keyOf(e.userId));
          args.push(ttl);
          chunk.forEach((e, k) => args.push(encodeState(e.state, revs[at + k]!), e.state.revision));
          p.seqlaneSaveStates(chunk.length, ...args);
        }
        return pipelineResults<unknown[]>(await p.exec(), "save sequence state").flat();
      });
      return codes.map((code, i) => {
        const status = saveOutcome(code, entries[i]!.userId);
        if (status === "saved") entries[i]!.state.revision = revs[i]!;
        return status;
      });
    },
    async storedBytes(userId) {
      return run("strlen", () => redis.strlen(keyOf(userId)));
    },
  };
}
