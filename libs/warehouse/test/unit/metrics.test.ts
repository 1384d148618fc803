import { describe, expect, it } from "vitest";
import { auc, binOf, calibration, gauc, logloss, normalizedEntropy, reliabilityBins } from "../../src/index.js";
import { pairwiseAuc, referenceGauc, tiedSample } from "../reference.js";

describe("metrics", () => {
  it("AUC equals the pairwise reference on random data with ties", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { scores, labels } = tiedSample(1 + ((seed * 37) % 300), seed);
      const want = pairwiseAuc(scores, labels);
      const got = auc(scores, labels);
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(Math.abs(got - want)).toBeLessThan(1e-12);
    }
  });

  it("AUC of known cases", () => {
    expect(auc([0.1, 0.9], [0, 1])).toBe(1);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.3, 0.3], [1, 1])).toBeNaN();
    expect(auc([], [])).toBeNaN();
  });

  it("GAUC equals the impression-weighted per-user reference, skipping single-class users", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { users, scores, labels } = tiedSample(50 + seed * 10, seed, 8);
      const want = referenceGauc(users, scores, labels);
      expect(Math.abs(gauc(users, scores, labels) - want)).toBeLessThan(1e-12);
    }
    expect(gauc(["a", "a", "b"], [0.1, 0.2, 0.3], [0, 1, 1])).toBe(1);
    expect(gauc(["a", "b"], [0.1, 0.2], [0, 1])).toBeNaN();
  });

  it("logloss, NE and calibration", () => {
    const s = [0.2, 0.8, 0.5, 1, 0];
    const y = [0, 1, 1, 0, 0];
    const want = -(Math.log(0.8) + Math.log(0.8) + Math.log(0.5) + Math.log(1e-15) + Math.log(1)) / 5;
    expect(logloss(s, y)).toBeCloseTo(want, 12);
    const rate = 2 / 5;
    const h = -(rate * Math.log(rate) + (1 - rate) * Math.log(1 - rate));
    expect(normalizedEntropy(s, y)).toBeCloseTo(want / h, 12);
    expect(normalizedEntropy([0.1], [1])).toBeNaN();
    expect(calibration(s, y)).toBeCloseTo(2.5 / 2, 12);
    expect(calibration([0.3], [0])).toBeNaN();
  });

  it("reliability bins are equal-width and put 1.0 in the last bin", () => {
    expect(binOf(0, 10)).toBe(0);
    expect(binOf(0.0999, 10)).toBe(0);
    expect(binOf(0.1, 10)).toBe(1);
    expect(binOf(1, 10)).toBe(9);
    const bins = reliabilityBins([0.05, 0.05, 0.95, 1], [0, 1, 1, 1]);
    expect(bins).toEqual([
      { bin: 0, count: 2, meanPredicted: 0.05, observedRate: 0.5 },
      { bin: 9, count: 2, meanPredicted: 0.975, observedRate: 1 },
    ]);
  });
});
