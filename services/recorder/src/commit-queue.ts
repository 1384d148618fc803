import type { Batch } from "./buffer.js";

export interface CommitQueueDeps {
  readonly topic: string;
  /** Makes a batch durable (ClickHouse, or the parking queue); throws when neither took it. */
  readonly write: (batch: Batch<object>) => Promise<void>;
  readonly commit: (offsets: { topic: string; partition: number; offset: string }[]) => Promise<void>;
  readonly log: (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
  /** True once the recorder is stopping: a batch then gets a few more tries, not forever. */
  readonly stopping: () => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * One topic's write-then-commit queue. Batches run one after another, so commits only move
 * forward; a batch is written until durable (or the recorder stops), then its offsets are
 * committed. Once a batch could not be made durable nothing later commits either, and Kafka
 * redelivers from there.
 */
export class CommitQueue {
  private readonly pending: Promise<void>[] = [];
  private brokenFlag = false;
  commits = 0;

  constructor(private readonly d: CommitQueueDeps) {}

  /** True once a batch was given up while stopping (its offsets stay uncommitted). */
  get broken(): boolean {
    return this.brokenFlag;
  }

  /** Queues a taken batch behind the topic's earlier ones; resolves once it is committed. */
  enqueue(batch: Batch<object>): Promise<void> {
    const next = (this.pending[this.pending.length - 1] ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.writeAndCommit(batch));
    this.pending.push(next);
    const done = (): void => void this.pending.splice(this.pending.indexOf(next), 1);
    next.then(done, done);
    return next;
  }

  /** Resolves when every queued batch has settled. */
  async drain(): Promise<void> {
    await Promise.all(this.pending);
  }

  /**
   * Backpressure: one batch may be written while the next one fills, which overlaps Kafka
   * decoding with the insert; beyond that the consumer waits.
   */
  async whileBacklogged(): Promise<void> {
    while (this.pending.length > 1) await this.pending[0]?.catch(() => undefined);
  }

  private async writeAndCommit(batch: Batch<object>): Promise<void> {
    const { topic } = this.d;
    const sleep = this.d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.d.write(batch);
        break;
      } catch (e) {
        // Both ClickHouse and Redis refused: hold the batch (and its offsets) and try again.
        this.d.log("error", "batch neither inserted nor parked; retrying", { topic, error: String(e), attempt });
        if (this.d.stopping() && attempt >= 3) {
          this.brokenFlag = true;
          throw e;
        }
        await sleep(Math.min(10_000, 250 * 2 ** attempt));
      }
    }
    if (this.brokenFlag) return;
    const offsets = [...batch.commits].map(([partition, offset]) => ({ topic, partition, offset }));
    try {
      await this.d.commit(offsets);
      this.commits += 1;
    } catch (e) {
      // A rebalance moved the partition: the new owner re-reads from the last commit, and the
      // tables deduplicate what it writes again.
      this.d.log("warn", "offset commit failed", { topic, error: String(e) });
    }
  }
}
