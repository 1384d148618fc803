import { defaults, recorder } from "@seqlane/config";

/** Retry settings; defaults in one place, tests pass fast ones. */
export interface RetryPolicy {
  /** Total attempts including the first. Default: SEQLANE_RECORDER_INSERT_ATTEMPTS's. */
  readonly attempts: number;
  /** Delay before the 2nd attempt, doubled each time (ms). Default: SEQLANE_RECORDER_INSERT_BACKOFF_MS's. */
  readonly baseMs: number;
  /** Cap of a single delay (ms). Default 5000. */
  readonly maxMs: number;
}

const D = defaults(recorder);
export const DEFAULT_RETRY: RetryPolicy = { attempts: D.insertAttempts, baseMs: D.insertBackoffMs, maxMs: 5000 };

/** Delay before attempt `attempt` (1-based; attempt 1 has none), with +-20% jitter. */
export function backoffMs(
  policy: Pick<RetryPolicy, "baseMs" | "maxMs">,
  attempt: number,
  random = Math.random,
): number {
  const d = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 2));
  return Math.round(d * (0.8 + 0.4 * random()));
}

/**
 * Runs `fn` until it succeeds, the error is not retriable (`isRetriable` false, and never for
 * TypeError/RangeError), or attempts run out; rethrows the last error.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  isRetriable: (e: unknown) => boolean,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const programmer = e instanceof TypeError || e instanceof RangeError;
      if (programmer || !isRetriable(e) || attempt >= policy.attempts) throw e;
      await sleep(backoffMs(policy, attempt + 1));
    }
  }
}
