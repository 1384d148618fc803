import { isRetriable } from "./errors.js";

/** Backoff of retried Redis work. Defaults in one place; tests pass fast settings. */
export interface RetryOptions {
  /** First wait (ms). Default 100. */
  readonly initialMs?: number;
  /** Longest wait (ms). Default 5000. */
  readonly maxMs?: number;
  /** Growth per attempt. Default 2 (with up to 20% jitter). */
  readonly factor?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = { initialMs: 100, maxMs: 5000, factor: 2 };

/**
 * Runs `fn` until it succeeds. Retriable errors are retried with exponential backoff for as long
 * as `shouldStop()` is false (a batch is never dropped); other errors are thrown at once.
 */
export async function retry<T>(
  fn: () => Promise<T>,
  opts: RetryOptions & {
    shouldStop?: () => boolean;
    onRetry?: (e: unknown, attempt: number, waitMs: number) => void;
  } = {},
): Promise<T> {
  const o = { ...RETRY_DEFAULTS, ...opts };
  let wait = o.initialMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isRetriable(e) || opts.shouldStop?.()) throw e;
      const ms = Math.round(wait * (1 + 0.2 * Math.random()));
      opts.onRetry?.(e, attempt, ms);
      await new Promise((r) => setTimeout(r, ms));
      wait = Math.min(o.maxMs, wait * o.factor);
    }
  }
}
