import { Queue, Worker, type ConnectionOptions, type Job } from "bullmq";
import { labelClosedWindows, writeModelEval, type AttributionWindows, type Warehouse } from "@seqlane/warehouse";

export interface JobsOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly queueName: string;
  /** 0: not scheduled. */
  readonly labelEveryMs: number;
  readonly evalEveryMs: number;
  readonly windows: AttributionWindows;
  readonly graceMs: number;
  readonly overlapMs: number;
  readonly evalLookbackMs: number;
  readonly onDone?: (name: string, result: unknown) => void;
}

/**
 * Repeatable BullMQ jobs: `label` (outcomes for closed windows) and `eval` (model_eval rows).
 * Schedulers are upserted, so restarts and several recorders keep one schedule; both jobs are
 * idempotent, so a run that is repeated after a crash changes nothing.
 */
export class Jobs {
  readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(
    private readonly wh: Warehouse,
    private readonly o: JobsOptions,
  ) {
    this.queue = new Queue(o.queueName, { connection: o.connection, prefix: o.prefix });
  }

  async start(): Promise<void> {
    const { o } = this;
    if (o.labelEveryMs > 0) await this.queue.upsertJobScheduler("label", { every: o.labelEveryMs }, { name: "label" });
    else await this.queue.removeJobScheduler("label");
    if (o.evalEveryMs > 0) await this.queue.upsertJobScheduler("eval", { every: o.evalEveryMs }, { name: "eval" });
    else await this.queue.removeJobScheduler("eval");
    this.worker = new Worker(o.queueName, (job: Job) => this.run(job.name), {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: 1,
    });
    this.worker.on("error", () => undefined);
  }

  /** Runs one job by name now (also used by the worker). */
  async run(name: string): Promise<unknown> {
    const { o } = this;
    const result =
      name === "label"
        ? await labelClosedWindows(this.wh, { windows: o.windows, graceMs: o.graceMs, overlapMs: o.overlapMs })
        : name === "eval"
          ? await writeModelEval(this.wh, { lookbackMs: o.evalLookbackMs })
          : undefined;
    if (result === undefined) throw new RangeError(`unknown job ${name}`);
    o.onDone?.(name, result);
    return result;
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
