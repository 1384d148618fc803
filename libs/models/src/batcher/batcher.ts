/** Micro-batching limits. */
export interface BatcherOptions {
  /** Most rows (candidates) merged into one run. A larger single job runs alone. */
  readonly maxRows: number;
  /**
   * Longest a job waits for others while a batch is already running, before a second batch is
   * started (ms). An idle batcher never waits: it runs what arrived in the same event-loop turn,
   * so a lone request pays no batching delay and batches still grow with load.
   */
  readonly maxWaitMs: number;
  /**
   * Also wait `maxWaitMs` when no batch is running: bigger batches (e.g. on a GPU) at the cost
   * of that wait for a lone request. Default false.
   */
  readonly waitWhenIdle?: boolean;
  /**
   * Measure at load how session.run throughput changes with merged-run size and lower `maxRows`
   * to the smallest size within 10% of the best (model/tune.ts). Used by the model registry.
   * Default false.
   */
  readonly tune?: boolean;
  /** false: every job runs on its own, concurrently (the baseline to compare against). */
  readonly enabled: boolean;
  /**
   * Batches running at once. 2 (default) overlaps building the next batch with the current run
   * (the runner executes them one after the other); 1 is strict one-at-a-time.
   */
  readonly maxInFlight?: number;
}

interface Job<I, O> {
  readonly input: I;
  readonly rows: number;
  resolve(o: O): void;
  reject(e: unknown): void;
}

/**
 * Merges concurrent jobs into one `run` call, at most `maxInFlight` runs at once: while they go,
 * new jobs queue and go out together as soon as one ends (they have already waited), so batches
 * grow with load. An error fails exactly the jobs of that batch.
 */
export class MicroBatcher<I, O> {
  private queue: Job<I, O>[] = [];
  private waitingRows = 0;
  private inFlightRows = 0;
  private running = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(
    private options: BatcherOptions,
    private readonly run: (inputs: I[]) => Promise<O[]>,
  ) {}

  /** Current row limit of a merged run. */
  get maxRows(): number {
    return this.options.maxRows;
  }

  /** Lowers (or raises) the row limit of merged runs, e.g. to what tuning measured as best. */
  setMaxRows(rows: number): void {
    this.options = { ...this.options, maxRows: Math.max(1, Math.floor(rows)) };
  }

  /** Rows waiting or running: the load-shedding signal. */
  get pendingRows(): number {
    return this.waitingRows + this.inFlightRows;
  }

  submit(input: I, rows: number): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const job = { input, rows, resolve, reject };
      if (!this.options.enabled) {
        this.execute([job]);
        return;
      }
      this.queue.push(job);
      this.waitingRows += rows;
      if (this.running >= (this.options.maxInFlight ?? 2)) return;
      if (this.waitingRows >= this.options.maxRows) this.flush();
      else if (this.timer === undefined) {
        this.timer =
          (this.running > 0 || this.options.waitWhenIdle === true) && this.options.maxWaitMs > 0
            ? setTimeout(() => this.flush(), this.options.maxWaitMs)
            : setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    if (this.running >= (this.options.maxInFlight ?? 2) || this.queue.length === 0) return;
    let rows = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n]!.rows <= this.options.maxRows))
      rows += this.queue[n++]!.rows;
    const jobs = this.queue.splice(0, n);
    this.waitingRows -= rows;
    this.running++;
    this.execute(jobs).finally(() => {
      this.running--;
      if (this.queue.length > 0) this.flush();
    });
  }

  private async execute(jobs: Job<I, O>[]): Promise<void> {
    let rows = 0;
    for (const j of jobs) rows += j.rows;
    this.inFlightRows += rows;
    try {
      const outs = await this.run(jobs.map((j) => j.input));
      jobs.forEach((j, i) => j.resolve(outs[i]!));
    } catch (e) {
      for (const j of jobs) j.reject(e);
    } finally {
      this.inFlightRows -= rows;
    }
  }
}
