import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import { decide, type DecideBase, type DecideOptions, type Decision } from "./decide.js";
import { modelsWithCanary } from "./registry.js";

export interface DecideJobsOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ key prefix. */
  readonly prefix: string;
  /** Default `decide-jobs`. */
  readonly queueName?: string;
  /** How often every model with a canary is decided on (SEQLANE_DECIDE_EVERY_MS); 0: off, the schedule is removed. */
  readonly everyMs: number;
  /** Attempts of one model's decision that failed retriably (SEQLANE_DECIDE_ATTEMPTS), backing off exponentially. */
  readonly attempts: number;
  /** First back-off (ms). Default 30 000. */
  readonly backoffMs?: number;
  readonly base: DecideBase;
  /** The decision; default `decide` (tests pass a fake). */
  readonly decide?: (o: DecideOptions) => Promise<Decision>;
  readonly onDone?: (model: string, d: Decision) => void;
  readonly onFailed?: (model: string, error: Error, willRetry: boolean) => void;
}

const SCHEDULER = "decide";

/** Whether a failed decision may pass if repeated: the error's own `retriable` flag; programmer errors never. */
function retriable(e: unknown): boolean {
  const flag = (e as { retriable?: unknown } | null)?.retriable;
  if (typeof flag === "boolean") return flag;
  return !(e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError);
}

/**
 * The repeatable decide job: every `everyMs` a `sweep` lists the registry's models whose
 * routing.json has a canary and queues one `decide` job each, so that one model's ClickHouse
 * failure is retried (exponential back-off, `attempts`) without deciding the others twice; a
 * failure retrying cannot fix (an invalid routing.json, a conflicting change) fails at once.
 * The scheduler is upserted: restarts and several workers keep one schedule.
 */
export class DecideJobs {
  readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(private readonly o: DecideJobsOptions) {
    this.queue = new Queue(o.queueName ?? "decide-jobs", { connection: o.connection, prefix: o.prefix });
  }

  get enabled(): boolean {
    return this.o.everyMs > 0;
  }

  async start(): Promise<void> {
    if (!this.enabled) {
      await this.queue.removeJobScheduler(SCHEDULER);
      return;
    }
    await this.queue.upsertJobScheduler(SCHEDULER, { every: this.o.everyMs }, { name: "sweep" });
    this.worker = new Worker(this.queue.name, (job: Job<{ model?: string }>) => this.run(job), {
      connection: this.o.connection,
      prefix: this.o.prefix,
      concurrency: 1,
    });
    this.worker.on("error", () => undefined);
  }

  /** The processor: a sweep queues the models with a canary; a decide job decides one. */
  async run(job: Pick<Job<{ model?: string }>, "name" | "data" | "attemptsMade">): Promise<unknown> {
    if (job.name === "sweep") {
      const models = await modelsWithCanary(this.o.base.registry);
      for (const model of models)
        await this.queue.add(
          "decide",
          { model },
          {
            attempts: this.o.attempts,
            backoff: { type: "exponential", delay: this.o.backoffMs ?? 30_000 },
            removeOnComplete: 100,
            removeOnFail: 100,
          },
        );
      return { models };
    }
    const model = job.data.model;
    if (job.name !== "decide" || model === undefined) throw new UnrecoverableError(`unknown job ${job.name}`);
    try {
      const d = await (this.o.decide ?? decide)({ ...this.o.base, model });
      this.o.onDone?.(model, d);
      return { action: d.action ?? "none", reason: d.reason };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const again = retriable(e) && job.attemptsMade + 1 < this.o.attempts;
      this.o.onFailed?.(model, err, again);
      throw retriable(e) ? err : new UnrecoverableError(err.message);
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
