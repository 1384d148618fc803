import { Redis } from "ioredis";
import type { Logger } from "@seqlane/models";

export interface ScorerRedisOptions {
  /**
   * Longest one command may take (ms). Without it a hung Redis (alive but not answering) holds
   * every request until the request timeout (504, no Retry-After); with it the store read fails
   * as StoreUnavailableError, answered 503 with Retry-After. Keep it below the request timeout.
   */
  readonly commandTimeoutMs: number;
  readonly logger: Pick<Logger, "warn">;
}

/**
 * The scorer's Redis client for its sequence store: one retry per command, auto-pipelining
 * (concurrent requests share round trips), a command timeout. The caller owns (and disconnects) it.
 */
export function connectScorerRedis(url: string, o: ScorerRedisOptions): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    commandTimeout: o.commandTimeoutMs,
  });
  redis.on("error", (e: Error) => o.logger.warn("redis", { error: e.message }));
  return redis;
}
