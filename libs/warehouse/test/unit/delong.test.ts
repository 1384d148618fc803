import { describe, expect, it } from "vitest";
import { auc, aucWithVariance, normalInterval, pairedAucDifference } from "../../src/index.js";
import { pairwiseAuc, rng } from "../reference.js";

/** DeLong's variance by brute force: each placement value from every pair (O(P*N)), sample variances. */
function bruteDeLong(scores: number[], labels: number[]): number {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] === 0);
  const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
  const v10 = pos.map((x) => neg.reduce((s, y) => s + psi(x, y), 0) / neg.length);
  const v01 = neg.map((y) => pos.reduce((s, x) => s + psi(x, y), 0) / pos.length);
  const a = v10.reduce((s, x) => s + x, 0) / v10.length;
  const sv = (v: number[]) => v.reduce((s, x) => s + (x - a) ** 2, 0) / (v.length - 1);
  return sv(v10) / pos.length + sv(v01) / neg.length;
}

/** Bootstrap variance of a statistic, resampling `units` (rows, or users with all their rows). */
function bootstrapVariance(units: number[][], stat: (idx: number[]) => number, rounds: number, seed: number): number {
  const r = rng(seed);
  const values: number[] = [];
  for (let b = 0; b < rounds; b++) {
    const idx: number[] = [];
    for (let u = 0; u < units.length; u++) idx.push(...(units[Math.floor(r() * units.length)] as number[]));
    const v = stat(idx);
    if (Number.isFinite(v)) values.push(v);
  }
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1);
}

/** Users with a random effect shared by all their impressions (what makes one user's rows correlated). */
function clustered(users: number, perUser: number, seed: number, shift = 0) {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const out = { user: [] as number[], a: [] as number[], b: [] as number[], label: [] as number[] };
  for (let u = 0; u < users; u++) {
    // A user's taste the scorers see, and a click propensity they do not.
    const effect = 1.2 * normal();
    const propensity = 1.5 * normal();
    for (let i = 0; i < perUser; i++) {
      const latent = effect + normal();
      const label = r() < 1 / (1 + Math.exp(-(latent + propensity - 1.5))) ? 1 : 0;
      out.user.push(u);
      out.label.push(label);
      // Two scorers of the same impressions: a sees the latent signal better than b.
      out.a.push(Math.round((latent + 0.6 * normal() + shift) * 20) / 20);
      out.b.push(Math.round((latent + 1.2 * normal()) * 20) / 20);
    }
  }
  return out;
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => [i]);

describe("DeLong: AUC with its variance", () => {
  it("AUC equals the pairwise reference and the variance equals brute-force DeLong, with ties", () => {
    const r = rng(7);
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 600; i++) {
      const s = Math.floor(r() * 11) / 10;
      scores.push(s);
      labels.push(r() < 0.15 + 0.6 * s ? 1 : 0);
    }
    const e = aucWithVariance(scores, labels);
    expect(Math.abs(e.auc - pairwiseAuc(scores, labels))).toBeLessThan(1e-12);
    expect(Math.abs(e.auc - auc(scores, labels))).toBeLessThan(1e-12);
    expect(Math.abs(e.variance - bruteDeLong(scores, labels)) / e.variance).toBeLessThan(1e-9);
    expect(e.positives + e.negatives).toBe(600);
  });

  it("on independent rows it agrees with a bootstrap over rows (within 20%)", () => {
    const d = clustered(1500, 1, 11);
    const e = aucWithVariance(d.a, d.label);
    const boot = bootstrapVariance(
      rows(d.a.length),
      (idx) =>
        auc(
          idx.map((i) => d.a[i]!),
          idx.map((i) => d.label[i]!),
        ),
      400,
      3,
    );
    expect(e.variance / boot).toBeGreaterThan(0.8);
    expect(e.variance / boot).toBeLessThan(1.25);
  });

  it("clustered by user it agrees with a bootstrap over users, where plain DeLong is too small", () => {
    const d = clustered(150, 12, 12);
    const byUser = Array.from({ length: 150 }, (_, u) => d.user.flatMap((x, i) => (x === u ? [i] : [])));
    const boot = bootstrapVariance(
      byUser,
      (idx) =>
        auc(
          idx.map((i) => d.a[i]!),
          idx.map((i) => d.label[i]!),
        ),
      400,
      5,
    );
    const plain = aucWithVariance(d.a, d.label);
    const users = aucWithVariance(d.a, d.label, d.user);
    expect(users.clusters).toBe(150);
    expect(users.auc).toBe(plain.auc);
    expect(users.variance / boot).toBeGreaterThan(0.75);
    expect(users.variance / boot).toBeLessThan(1.33);
    expect(plain.variance / boot).toBeLessThan(0.6);
  });

  it("with one sample per cluster the clustered variance is DeLong's (up to small-sample factors)", () => {
    const d = clustered(800, 1, 13);
    const plain = aucWithVariance(d.a, d.label);
    const single = aucWithVariance(d.a, d.label, d.user);
    expect(Math.abs(single.variance / plain.variance - 1)).toBeLessThan(0.01);
  });

  it("a class absent: NaN AUC and variance, never a number", () => {
    const e = aucWithVariance([0.1, 0.5], [0, 0]);
    expect(e.auc).toBeNaN();
    expect(e.variance).toBeNaN();
    expect(normalInterval(e.auc, e.variance).low).toBeNaN();
  });
});

describe("paired AUC difference (a version and its shadow on the same impressions)", () => {
  it("agrees with a paired bootstrap over users and is far tighter than treating the arms as independent", () => {
    const d = clustered(200, 10, 21);
    const byUser = Array.from({ length: 200 }, (_, u) => d.user.flatMap((x, i) => (x === u ? [i] : [])));
    const p = pairedAucDifference(d.a, d.b, d.label, d.user);
    const boot = bootstrapVariance(
      byUser,
      (idx) => {
        const l = idx.map((i) => d.label[i]!);
        return (
          auc(
            idx.map((i) => d.a[i]!),
            l,
          ) -
          auc(
            idx.map((i) => d.b[i]!),
            l,
          )
        );
      },
      400,
      9,
    );
    expect(p.diff).toBeCloseTo(auc(d.a, d.label) - auc(d.b, d.label), 12);
    expect(p.variance / boot).toBeGreaterThan(0.75);
    expect(p.variance / boot).toBeLessThan(1.33);
    expect(p.variance).toBeLessThan(p.a.variance + p.b.variance);
    const ci = normalInterval(p.diff, p.variance);
    expect(ci.low).toBeGreaterThan(0); // a is the better scorer, clearly
  });
});
