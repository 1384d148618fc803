import { isRetriableKafkaError } from "@seqlane/service";

/** How `seqlane gen --kafka` waits out a broker outage. Defaults in one place; tests pass fast ones. */
export interface SendRetryOptions {
  /**
   * How long one outage is retried before gen gives up (ms), counted from the start of the
   * batch's first failing attempt; an attempt itself takes up to about 7.5 s (kafkajs's own
   * reconnects, libs/service's KAFKA_RETRY), so gen gives up at most that much later. Default 300000
   * (`--retry-for 300`). 0: fail at the first failure.
   */
  readonly retryForMs?: number;
  /** First wait between attempts (ms). Default 250. */
  readonly initialMs?: number;
  /** Longest wait between attempts (ms). Default 2000: kafkajs already backs off within an attempt. */
  readonly maxMs?: number;
  /** Called before each wait, for the progress line. */
  readonly onWait?: (w: RetryWait) => void;
}

export interface RetryWait {
  readonly attempt: number;
  readonly waitMs: number;
  /** Since the first failure of this batch (ms). */
  readonly failingForMs: number;
  readonly retryForMs: number;
  readonly error: unknown;
}

export const SEND_RETRY_DEFAULTS = { retryForMs: 300_000, initialMs: 250, maxMs: 2000 } as const;

/** Gen gave up: Kafka stayed unavailable for longer than `--retry-for`. */
export class KafkaUnavailableError extends Error {
  constructor(
    readonly failingForMs: number,
    cause: unknown,
  ) {
    super(
      `Kafka unavailable for ${Math.round(failingForMs / 1000)} s, more than --retry-for allows: ${describe(cause)}`,
      { cause },
    );
    this.name = "KafkaUnavailableError";
  }
}

/**
 * Runs `fn` (one send of one batch) until it succeeds. Retriable Kafka errors (broker down,
 * leader moving) are retried with capped exponential backoff for up to `retryForMs`; anything
 * else is thrown at once. The batch is never skipped: a batch whose acknowledgement was lost is
 * sent again and may be in the topic twice (events carry event_id; ingest deduplicates).
 */
export async function retrySend<T>(fn: () => Promise<T>, opts: SendRetryOptions = {}): Promise<T> {
  const o = { ...SEND_RETRY_DEFAULTS, ...opts };
  let firstFailure = 0;
  let wait = o.initialMs;
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    try {
      return await fn();
    } catch (e) {
      if (!isRetriableKafkaError(e)) throw e;
      // The outage began when the first failing attempt did, not when kafkajs gave up on it.
      firstFailure ||= startedAt;
      const failingForMs = Date.now() - firstFailure;
      if (failingForMs >= o.retryForMs) throw new KafkaUnavailableError(failingForMs, e);
      const waitMs = Math.min(wait, o.retryForMs - failingForMs);
      o.onWait?.({ attempt, waitMs, failingForMs, retryForMs: o.retryForMs, error: e });
      await new Promise((r) => setTimeout(r, waitMs));
      wait = Math.min(o.maxMs, wait * 2);
    }
  }
}

/** The root reason of a kafkajs error chain (its wrappers repeat the same message). */
export function describe(e: unknown): string {
  let cur = e;
  for (let i = 0; i < 10 && cur instanceof Error && cur.cause instanceof Error; i++) cur = cur.cause;
  return cur instanceof Error ? cur.message : String(cur);
}
