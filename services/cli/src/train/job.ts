import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import { trainModel, type TrainOptions, type TrainResult } from "./train-model.js";

/** What a train job needs besides its model and window: the same options as `seqlane train`. */
export type TrainBase = Omit<TrainOptions, "model" | "fromMs" | "toMs" | "version">;

export interface TrainJobsOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ key prefix. */
  readonly prefix: string;
  /** Default `train-jobs`: its own queue, so the recorder's worker never takes a train job. */
  readonly queueName?: string;
  /** One repeatable job per model; none (or everyMs 0): the job is off and old schedules are removed. */
  readonly models: readonly string[];
  readonly everyMs: number;
  /** Each run trains on the labelled predictions of the last sinceMs. */
  readonly sinceMs: number;
  /** Attempts of a run that failed retriably (exponential back-off from backoffMs). */
  readonly attempts: number;
  /** Default 60 000. */
  readonly backoffMs?: number;
  readonly base: TrainBase;
  /** The training run; default trainModel, the function behind `seqlane train` (tests pass a fake). */
  readonly train?: (o: TrainOptions) => Promise<TrainResult>;
  readonly onDone?: (model: string, result: TrainResult) => void;
  readonly onFailed?: (model: string, error: Error, willRetry: boolean) => void;
}

const SCHEDULER = "train:";

/** Whether a failed run may pass if repeated: the error's own `retriable` flag; programmer errors never. */
function retriable(e: unknown): boolean {
  const flag = (e as { retriable?: unknown } | null)?.retriable;
  if (typeof flag === "boolean") return flag;
  return !(e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError);
}

/**
 * The repeatable `train` job: every `everyMs`, for each configured model, one `seqlane train`
 * run (trainModel) over the last `sinceMs`. A run that failed for a passing reason is retried
 * by BullMQ with exponential back-off; one that cannot pass by retrying (too little data,
 * parity, a fit error) fails at once (UnrecoverableError). Schedulers are upserted, so
 * restarts and several workers keep one schedule per model; one run at a time per worker.
 */
export class TrainJobs {
  readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(private readonly o: TrainJobsOptions) {
    this.queue = new Queue(o.queueName ?? "train-jobs", { connection: o.connection, prefix: o.prefix });
  }

  get enabled(): boolean {
    return this.o.everyMs > 0 && this.o.models.length > 0;
  }

  async start(): Promise<void> {
    const { o } = this;
    const keep = new Set(this.enabled ? o.models.map((m) => SCHEDULER + m) : []);
    for (const s of await this.queue.getJobSchedulers())
      if (s.key.startsWith(SCHEDULER) && !keep.has(s.key)) await this.queue.removeJobScheduler(s.key);
    if (!this.enabled) return;
    for (const model of o.models)
      await this.queue.upsertJobScheduler(
        SCHEDULER + model,
        { every: o.everyMs },
        {
          name: "train",
          data: { model },
          opts: {
            attempts: o.attempts,
            backoff: { type: "exponential", delay: o.backoffMs ?? 60_000 },
            removeOnComplete: 100,
            removeOnFail: 100,
          },
        },
      );
    this.worker = new Worker(this.queue.name, (job: Job<{ model: string }>) => this.process(job), {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: 1,
    });
    this.worker.on("error", () => undefined);
  }

  /** The processor: one training run for the job's model. */
  async process(job: Pick<Job<{ model: string }>, "data" | "attemptsMade">): Promise<TrainResult> {
    const { o } = this;
    const model = job.data.model;
    const now = Date.now();
    try {
      const result = await (o.train ?? trainModel)({ ...o.base, model, fromMs: now - o.sinceMs, toMs: now });
      o.onDone?.(model, result);
      return result;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const again = retriable(e) && job.attemptsMade + 1 < o.attempts;
      o.onFailed?.(model, err, again);
      throw retriable(e) ? err : new UnrecoverableError(err.message);
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
