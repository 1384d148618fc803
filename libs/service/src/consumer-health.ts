/** What the consumer is doing, as /healthz reports it. */
export type ConsumerStatus = "starting" | "consuming" | "retrying" | "restarting" | "crashed" | "stopping" | "stopped";

export interface HealthReport {
  readonly healthy: boolean;
  readonly status: ConsumerStatus;
  /** Epoch ms the status began. */
  readonly since: number;
  /** Why it is not healthy (the crash or the retried error). */
  readonly reason?: string;
  /** Epoch ms of the last committed batch, 0 before the first. */
  readonly lastBatchAt: number;
}

/**
 * The consumer's health, fed by kafkajs's events and the batch handler: healthy while it
 * consumes; unhealthy once it crashed for good, while it is stopped, and once a batch has been
 * retrying a down dependency for longer than `blockedAfterMs` (the consumer is then alive but
 * blocked: nothing moves).
 */
export class ConsumerHealth {
  private status: ConsumerStatus = "starting";
  private since = Date.now();
  private reason: string | undefined;
  private lastBatchAt = 0;

  constructor(
    private readonly blockedAfterMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  set(status: ConsumerStatus, reason?: string): void {
    if (status === this.status && status === "retrying") return; // keep the first retry's time
    if (this.status === "crashed" && status !== "stopping" && status !== "stopped") return;
    this.status = status;
    this.since = this.now();
    this.reason = reason;
  }

  /** A batch was committed: the consumer moves. */
  batchDone(): void {
    this.lastBatchAt = this.now();
    if (this.status !== "stopping" && this.status !== "stopped" && this.status !== "crashed") this.set("consuming");
  }

  report(): HealthReport {
    const blocked = this.status === "retrying" && this.now() - this.since > this.blockedAfterMs;
    const healthy = this.status === "consuming" || (this.status === "retrying" && !blocked);
    return {
      healthy,
      status: this.status,
      since: this.since,
      lastBatchAt: this.lastBatchAt,
      ...(this.reason !== undefined && { reason: this.reason }),
    };
  }
}
