import { encodeCandidates, type UserBlockInput } from "@seqlane/features";
import type { LoadedModel } from "./model.js";
import { syntheticFullSequences } from "./warmup.js";

/** Candidates per synthetic user while tuning (user-major batches of several users). */
const ROWS_PER_USER = 64;

export interface BatchTuning {
  /** Chosen row limit for merged runs. */
  readonly rows: number;
  /** Measured throughput per merged-run size (best of `runs`), candidate rows per millisecond. */
  readonly curve: readonly { readonly rows: number; readonly rowsPerMs: number }[];
}

export interface TuneOptions {
  /** Runs per size; the fastest counts (noise only ever slows a run down). Default 3. */
  readonly runs?: number;
  /** Pick the smallest size within this share of the best throughput. Default 0.9. */
  readonly within?: number;
}

function users(model: LoadedModel, rows: number, now: number): UserBlockInput[] {
  const sequences = syntheticFullSequences(model.manifest, now);
  const out: UserBlockInput[] = [];
  for (let at = 0, u = 0; at < rows; at += ROWS_PER_USER, u++) {
    const n = Math.min(ROWS_PER_USER, rows - at);
    out.push({
      sequences,
      candidates: encodeCandidates(
        Array.from({ length: n }, (_, i) => ({ itemId: `tune-${u}-${i}`, categoryId: i % 13 })),
      ),
      now,
    });
  }
  return out;
}

/** Merged-run sizes to try: powers of two from one user's rows up to maxRows, and maxRows. */
export function tuneSizes(maxRows: number): number[] {
  const sizes: number[] = [];
  for (let s = ROWS_PER_USER; s < maxRows; s *= 2) sizes.push(s);
  sizes.push(maxRows);
  return sizes;
}

/**
 * Measures session.run throughput over merged batches of growing size (full-length sequences,
 * the costliest shape) and returns the smallest size within `within` of the best. On a GPU
 * throughput keeps rising with the batch, so the limit stays at maxRows; on CPU a model such
 * as DIN gets slower per row once its [C, L, d] attention tensors leave the caches, and merging
 * requests past that point would cost throughput instead of adding it.
 */
export async function tuneBatchRows(model: LoadedModel, maxRows: number, opts: TuneOptions = {}): Promise<BatchTuning> {
  const runs = Math.max(1, opts.runs ?? 3);
  const within = opts.within ?? 0.9;
  const now = Date.now();
  const curve: { rows: number; rowsPerMs: number }[] = [];
  for (const rows of tuneSizes(maxRows)) {
    const batch = users(model, rows, now);
    await model.runBatch(batch); // this shape's first run pays its allocation cost
    let best = Infinity;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await model.runBatch(batch);
      best = Math.min(best, performance.now() - t0);
    }
    curve.push({ rows, rowsPerMs: rows / Math.max(best, 1e-3) });
  }
  return { rows: chooseRows(curve, within), curve };
}

/** The smallest measured size whose throughput is within `within` of the best one. */
export function chooseRows(curve: readonly { rows: number; rowsPerMs: number }[], within = 0.9): number {
  if (curve.length === 0) throw new RangeError("chooseRows: empty curve");
  const top = Math.max(...curve.map((c) => c.rowsPerMs));
  const sorted = [...curve].sort((a, b) => a.rows - b.rows);
  return sorted.find((c) => c.rowsPerMs >= within * top)!.rows;
}
