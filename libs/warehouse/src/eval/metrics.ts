/**
 * Pure evaluation maths, the JavaScript twin of the SQL in `eval/queries.ts`. Used by tests,
 * fakes and small in-memory evaluations. Labels are 0/1; scores are probabilities.
 */

/** Floor of log's argument in logloss: a confident wrong prediction costs ~34.5 nats, not Infinity. */
export const LOGLOSS_EPS = 1e-15;

/**
 * ROC AUC by the rank-sum (Mann-Whitney) formula with tie-averaged ranks: a positive scored
 * equal to a negative counts one half. `NaN` when a class is absent.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0;
  let neg = 0;
  let negBelow = 0;
  let sum = 0;
  for (let i = 0; i < n;) {
    const s = scores[order[i] as number] as number;
    let p = 0;
    let q = 0;
    for (; i < n && scores[order[i] as number] === s; i++) {
      if ((labels[order[i] as number] as number) > 0) p++;
      else q++;
    }
    sum += p * (negBelow + 0.5 * q);
    negBelow += q;
    pos += p;
    neg += q;
  }
  return pos === 0 || neg === 0 ? Number.NaN : sum / (pos * neg);
}

/**
 * Group AUC: mean of per-group AUC weighted by each group's number of rows, over groups
 * that have both classes. `NaN` when no group qualifies.
 */
export function gauc(groups: ArrayLike<string | number>, scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const by = new Map<string | number, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as string | number;
    let list = by.get(g);
    if (list === undefined) by.set(g, (list = []));
    list.push(i);
  }
  let num = 0;
  let den = 0;
  for (const idx of by.values()) {
    const a = auc(
      idx.map((i) => scores[i] as number),
      idx.map((i) => labels[i] as number),
    );
    if (Number.isNaN(a)) continue;
    num += idx.length * a;
    den += idx.length;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Mean binary cross-entropy in nats; each log's argument is floored at eps (as the SQL does). */
export function logloss(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = scores[i] as number;
    sum -= (labels[i] as number) > 0 ? Math.log(Math.max(p, LOGLOSS_EPS)) : Math.log(Math.max(1 - p, LOGLOSS_EPS));
  }
  return scores.length === 0 ? Number.NaN : sum / scores.length;
}

/** Entropy (nats) of a Bernoulli with mean `rate`; 0 at 0 and 1. */
export function bernoulliEntropy(rate: number): number {
  if (rate <= 0 || rate >= 1) return 0;
  return -(rate * Math.log(rate) + (1 - rate) * Math.log(1 - rate));
}

/** Normalized entropy (He et al., 2014): logloss over the entropy of the base rate. NaN for a single class. */
export function normalizedEntropy(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let y = 0;
  for (let i = 0; i < labels.length; i++) y += (labels[i] as number) > 0 ? 1 : 0;
  const h = bernoulliEntropy(y / labels.length);
  return h === 0 ? Number.NaN : logloss(scores, labels) / h;
}

/** Sum of predictions over sum of labels (1 = calibrated, > 1 over-predicts). NaN without positives. */
export function calibration(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let p = 0;
  let y = 0;
  for (let i = 0; i < scores.length; i++) {
    p += scores[i] as number;
    y += (labels[i] as number) > 0 ? 1 : 0;
  }
  return y === 0 ? Number.NaN : p / y;
}

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Bin index 0..bins-1, covering [index/bins, (index+1)/bins); 1.0 falls in the last. */
  readonly bin: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/** Equal-width reliability bins; empty bins are left out. Same binning as the SQL. */
export function reliabilityBins(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < scores.length; i++) {
    const p = scores[i] as number;
    const b = binOf(p, bins);
    count[b]! += 1;
    sumP[b]! += p;
    sumY[b]! += (labels[i] as number) > 0 ? 1 : 0;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b] ?? 0;
    if (c > 0) out.push({ bin: b, count: c, meanPredicted: (sumP[b] ?? 0) / c, observedRate: (sumY[b] ?? 0) / c });
  }
  return out;
}

/** least(floor(p * bins), bins - 1), clamped at 0: the SQL uses the same expression. */
export function binOf(p: number, bins: number): number {
  return Math.max(0, Math.min(Math.floor(p * bins), bins - 1));
}
