/**
 * The variance of an AUC estimate, and of the difference of two, without resampling: DeLong,
 * DeLong & Clarke-Pearson (1988), and its clustered form, Obuchowski (1997), for impressions that
 * are not independent because they come from the same users. Pure maths, O(n log n).
 *
 * Every estimate starts from the structural components (placement values) of the samples: for a
 * positive, the share of negatives it outranks (ties count one half); for a negative, the share
 * of positives that outrank it. The AUC is the mean component of either class.
 */

/** z of a two-sided 95% normal interval. */
export const Z95 = 1.959963984540054;

/** One AUC with its variance. `auc` and `variance` are NaN when a class is absent. */
export interface AucEstimate {
  readonly auc: number;
  readonly variance: number;
  readonly positives: number;
  readonly negatives: number;
  /** Clusters (users) the variance was computed over; the sample count when unclustered. */
  readonly clusters: number;
}

/** Two AUCs on the same samples (paired: the same impressions scored twice) and their difference a - b. */
export interface PairedAucEstimate {
  readonly a: AucEstimate;
  readonly b: AucEstimate;
  readonly diff: number;
  readonly variance: number;
}

interface Components {
  readonly auc: number;
  readonly m: number;
  readonly n: number;
  /** Placement value of each sample (positives: among negatives; negatives: among positives). */
  readonly v: Float64Array;
}

function components(scores: ArrayLike<number>, labels: ArrayLike<number>): Components {
  const len = scores.length;
  if (labels.length !== len) throw new RangeError(`scores (${len}) and labels (${labels.length}) differ in length`);
  const order = new Uint32Array(len);
  for (let i = 0; i < len; i++) order[i] = i;
  order.sort((x, y) => (scores[x] as number) - (scores[y] as number));
  let m = 0;
  for (let i = 0; i < len; i++) if ((labels[i] as number) > 0) m++;
  const n = len - m;
  const v = new Float64Array(len);
  let negBelow = 0;
  let posBelow = 0;
  let sum = 0;
  for (let i = 0; i < len;) {
    const s = scores[order[i] as number] as number;
    let j = i;
    let p = 0;
    let q = 0;
    for (; j < len && scores[order[j] as number] === s; j++) {
      if ((labels[order[j] as number] as number) > 0) p++;
      else q++;
    }
    const posPlace = n === 0 ? Number.NaN : (negBelow + 0.5 * q) / n;
    const negPlace = m === 0 ? Number.NaN : (m - posBelow - p + 0.5 * p) / m;
    for (let k = i; k < j; k++) {
      const idx = order[k] as number;
      v[idx] = (labels[idx] as number) > 0 ? posPlace : negPlace;
    }
    sum += p * posPlace;
    negBelow += q;
    posBelow += p;
    i = j;
  }
  return { auc: m === 0 || n === 0 ? Number.NaN : sum / m, m, n, v };
}

/**
 * Covariance of two AUC estimates on the same samples (a variance when both are the same).
 * Unclustered: DeLong's S10/m + S01/n with sample (co)variances. Clustered (cluster ids, e.g.
 * users numbered 0..K-1): Obuchowski's estimator, K/(K-1) * sum over clusters of z_a * z_b with
 * z = (sum of the cluster's positive components - m_k AUC) / m + (same for negatives) / n.
 */
function covariance(
  a: Components,
  b: Components,
  labels: ArrayLike<number>,
  clusters?: ArrayLike<number>,
): { cov: number; k: number } {
  const { m, n } = a;
  if (m === 0 || n === 0) return { cov: Number.NaN, k: 0 };
  const len = labels.length;
  if (clusters === undefined) {
    let s10 = 0;
    let s01 = 0;
    for (let i = 0; i < len; i++) {
      const d = ((a.v[i] as number) - a.auc) * ((b.v[i] as number) - b.auc);
      if ((labels[i] as number) > 0) s10 += d;
      else s01 += d;
    }
    const t10 = m > 1 ? s10 / (m - 1) / m : 0;
    const t01 = n > 1 ? s01 / (n - 1) / n : 0;
    return { cov: t10 + t01, k: len };
  }
  if (clusters.length !== len)
    throw new RangeError(`clusters (${clusters.length}) and labels (${len}) differ in length`);
  let kMax = 0;
  for (let i = 0; i < len; i++) kMax = Math.max(kMax, (clusters[i] as number) + 1);
  const za = new Float64Array(kMax);
  const zb = new Float64Array(kMax);
  const used = new Uint8Array(kMax);
  for (let i = 0; i < len; i++) {
    const c = clusters[i] as number;
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`cluster ids must be non-negative integers, got ${c}`);
    const w = (labels[i] as number) > 0 ? 1 / m : 1 / n;
    za[c] = (za[c] as number) + ((a.v[i] as number) - a.auc) * w;
    zb[c] = (zb[c] as number) + ((b.v[i] as number) - b.auc) * w;
    used[c] = 1;
  }
  let k = 0;
  let sum = 0;
  for (let c = 0; c < kMax; c++) {
    if (used[c] === 0) continue;
    k++;
    sum += (za[c] as number) * (zb[c] as number);
  }
  return { cov: k > 1 ? (k / (k - 1)) * sum : Number.NaN, k };
}

/**
 * AUC (tie-averaged, as `auc()` and the SQL) with its variance: DeLong's, or with `clusters`
 * (one integer id per sample, e.g. its user) Obuchowski's clustered variance, which accounts
 * for impressions of one user being correlated (plain DeLong understates the variance then).
 */
export function aucWithVariance(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  clusters?: ArrayLike<number>,
): AucEstimate {
  const c = components(scores, labels);
  const { cov, k } = covariance(c, c, labels, clusters);
  return { auc: c.auc, variance: cov, positives: c.m, negatives: c.n, clusters: k };
}

/**
 * Two scorers on the same impressions (a served version and its shadow): both AUCs and the
 * variance of their difference a - b, var(a) + var(b) - 2 cov(a, b), by DeLong (or clustered).
 */
export function pairedAucDifference(
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  labels: ArrayLike<number>,
  clusters?: ArrayLike<number>,
): PairedAucEstimate {
  const ca = components(scoresA, labels);
  const cb = components(scoresB, labels);
  const va = covariance(ca, ca, labels, clusters);
  const vb = covariance(cb, cb, labels, clusters);
  const ab = covariance(ca, cb, labels, clusters);
  const est = (c: Components, v: { cov: number; k: number }): AucEstimate => ({
    auc: c.auc,
    variance: v.cov,
    positives: c.m,
    negatives: c.n,
    clusters: v.k,
  });
  return { a: est(ca, va), b: est(cb, vb), diff: ca.auc - cb.auc, variance: va.cov + vb.cov - 2 * ab.cov };
}

/** A two-sided normal interval around `estimate` (NaN bounds when the variance is not finite). */
export function normalInterval(estimate: number, variance: number, z = Z95): { low: number; high: number } {
  const half = z * Math.sqrt(Math.max(0, variance));
  return Number.isFinite(half)
    ? { low: estimate - half, high: estimate + half }
    : { low: Number.NaN, high: Number.NaN };
}
