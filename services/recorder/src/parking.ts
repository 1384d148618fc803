import { Queue, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { Warehouse } from "@seqlane/warehouse";
import { insertIsolating, refusedToRejected } from "./isolate.js";

/** A batch ClickHouse did not take; kept in Redis until it does. */
export interface ParkedBatch {
  readonly table: string;
  readonly rows: readonly object[];
  /** The Kafka topic the rows came from (for rows ClickHouse then refuses). */
  readonly topic?: string;
}

export interface ParkingOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ key prefix. */
  readonly prefix: string;
  readonly queueName: string;
  /** Cap of the delay between retries of a parked batch (ms). */
  readonly backoffMaxMs: number;
  readonly backoffBaseMs: number;
  readonly onDrained?: (batch: ParkedBatch) => void;
}

/**
 * BullMQ queue of failed inserts plus the worker that drains it. Jobs retry with capped
 * exponential backoff practically forever (a failed job would need an operator); removed once
 * inserted. Re-inserting a batch that in fact landed is harmless: the tables deduplicate.
 */
export class Parking {
  readonly queue: Queue<ParkedBatch>;
  private worker: Worker<ParkedBatch> | undefined;

  constructor(
    private readonly wh: Warehouse,
    private readonly o: ParkingOptions,
  ) {
    this.queue = new Queue<ParkedBatch>(o.queueName, { connection: o.connection, prefix: o.prefix });
  }

  async park(batch: ParkedBatch): Promise<void> {
    await this.queue.add("insert", batch, {
      attempts: 1_000_000,
      backoff: { type: "custom" },
      removeOnComplete: true,
      removeOnFail: false,
    });
  }

  start(): void {
    const { backoffBaseMs: base, backoffMaxMs: max } = this.o;
    this.worker = new Worker<ParkedBatch>(
      this.o.queueName,
      async (job: Job<ParkedBatch>) => {
        // Rows ClickHouse refuses for their data are isolated and filed, not retried forever.
        const refused = await insertIsolating(this.wh, job.data.table, job.data.rows);
        if (refused.length > 0 && job.data.table !== "events_rejected") {
          const rejected = refused.map((r) => refusedToRejected(job.data.topic ?? "", r));
          await insertIsolating(this.wh, "events_rejected", rejected);
        }
        this.o.onDrained?.(job.data);
      },
      {
        connection: this.o.connection,
        prefix: this.o.prefix,
        concurrency: 1,
        settings: { backoffStrategy: (attemptsMade: number) => Math.min(max, base * 2 ** Math.min(attemptsMade, 20)) },
      },
    );
    // Failures are expected while ClickHouse is down; BullMQ schedules the retry.
    this.worker.on("error", () => undefined);
  }

  /** Parked batches not yet drained (waiting, delayed or active). */
  async backlog(): Promise<number> {
    const c = await this.queue.getJobCounts("waiting", "delayed", "active", "prioritized", "waiting-children");
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
