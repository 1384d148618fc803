import { TensorBuilder, type BuildOptions, type Manifest, type Task, type UserBlockInput } from "@seqlane/features";
import { MicroBatcher, type BatcherOptions } from "../batcher/batcher.js";
import { InferenceError } from "../errors.js";
import { modelMetrics } from "../metrics.js";
import type { ExecutionProvider } from "../session/open.js";
import type { SessionRunner } from "../session/runner.js";

/** Scores of one user block: one Float32Array [candidates] per task of the manifest. */
export type ModelScores = Readonly<Partial<Record<Task, Float32Array>>>;

/**
 * A loaded model version: manifest + session runner + micro-batcher. `score` is what requests
 * call; `runBatch` is the single session.run over several user blocks (also used by warm-up
 * and by benchmarks as the bare ceiling).
 */
export class LoadedModel {
  readonly name: string;
  readonly version: string;
  readonly loadedAt = Date.now();
  private readonly builders: TensorBuilder[] = [];
  private readonly batcher: MicroBatcher<UserBlockInput, ModelScores>;
  private released = false;
  /** Graph inputs; manifest tensors outside it (pruned by the exporter) are not fed. */
  private readonly inputs: ReadonlySet<string>;

  readonly provider: ExecutionProvider;

  constructor(
    readonly manifest: Manifest,
    readonly runner: SessionRunner,
    batching: BatcherOptions,
  ) {
    this.provider = runner.provider;
    this.inputs = new Set(runner.inputNames);
    this.name = manifest.name;
    this.version = manifest.version;
    this.batcher = new MicroBatcher(batching, (users) => this.runBatch(users));
  }

  /** Candidate rows queued or running on this version. */
  get pendingRows(): number {
    return this.batcher.pendingRows;
  }

  /** Row limit of a merged run (after tuning, the measured best). */
  get batchRows(): number {
    return this.batcher.maxRows;
  }

  /** Sets the row limit of merged runs (load-time tuning, before the version serves). */
  setBatchRows(rows: number): void {
    this.batcher.setMaxRows(rows);
  }

  /** Scores one request (user block), merged with concurrent ones into one run. */
  score(input: UserBlockInput): Promise<ModelScores> {
    return this.batcher.submit(input, Math.max(1, input.candidates.count));
  }

  /** One session.run over `users`; results split back per user block. */
  async runBatch(users: readonly UserBlockInput[], options?: BuildOptions): Promise<ModelScores[]> {
    const builder = this.builders.pop() ?? new TensorBuilder(this.manifest);
    const metrics = modelMetrics();
    let rows = 0;
    try {
      const batch = builder.build(users, options);
      rows = batch.candidates;
      const t0 = performance.now();
      const feeds = batch.tensors.filter((t) => this.inputs.has(t.name));
      const out = await this.runner.run(feeds);
      const attrs = { model: this.name, version: this.version };
      metrics.inferenceDuration.record((performance.now() - t0) / 1000, attrs);
      metrics.batchRows.record(rows, attrs);
      metrics.batchRequests.record(users.length, attrs);
      const perTask: [Task, Float32Array][] = [];
      for (const task of this.manifest.tasks) {
        const tensor = out[this.manifest.outputs[task]!];
        if (tensor === undefined || tensor.data.length !== rows)
          throw new Error(
            `output ${task} has shape [${tensor?.dims.join(", ") ?? "missing"}], expected [${rows}] float32`,
          );
        perTask.push([task, tensor.data]);
      }
      const results: ModelScores[] = [];
      let at = 0;
      for (const u of users) {
        const n = u.candidates.count;
        const r: Partial<Record<Task, Float32Array>> = {};
        for (const [task, data] of perTask) r[task] = data.subarray(at, at + n);
        results.push(r);
        at += n;
      }
      return results;
    } catch (e) {
      metrics.inferenceFailures.add(1, { model: this.name, version: this.version });
      throw new InferenceError(this.name, this.version, rows, e);
    } finally {
      this.builders.push(builder);
    }
  }

  /** Frees the session; idempotent. Call only when no request can reach this version any more. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.runner.release();
  }
}
