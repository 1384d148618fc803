import { describe, expect, it } from "vitest";
import { DEFAULT_RULE, judge, type ArmComparison, type ArmFigures, type CanaryRule } from "../../src/index.js";

const rule: CanaryRule = {
  minLabelled: 1000,
  aucMargin: 0.005,
  loglossMargin: 0.01,
  calibrationMin: 0.8,
  calibrationMax: 1.25,
};
const arm = (version: string, over: Partial<ArmFigures> = {}): ArmFigures => ({
  version,
  samples: 5000,
  positives: 500,
  auc: 0.7,
  logloss: 0.3,
  calibration: 1,
  ciRows: 5000,
  ciUsers: 400,
  ...over,
});
const cmp = (
  diff: number,
  half: number,
  canary: Partial<ArmFigures> = {},
  serving: Partial<ArmFigures> = {},
): ArmComparison => ({
  serving: arm("3", serving),
  canary: arm("4", canary),
  diff,
  low: diff - half,
  high: diff + half,
  ciMethod: "delong-clustered-by-user",
});

describe("the canary rule", () => {
  it("waits while an arm has too few labelled impressions, naming both counts", () => {
    const v = judge(cmp(0.05, 0.01, { samples: 999 }), rule);
    expect(v.action).toBe("wait");
    expect(v.reason).toMatch(/serving 3 has 5000, canary 4 999; each arm needs 1000/);
    expect(judge(cmp(0.05, 0.01, {}, { samples: 10 }), rule).action).toBe("wait");
  });
  it("waits without clicks (no AUC)", () => {
    const v = judge(
      { ...cmp(0, 0, { auc: null, positives: 0, calibration: null }), diff: null, low: null, high: null },
      rule,
    );
    expect(v).toMatchObject({ action: "wait" });
    expect(v.reason).toMatch(/4 has 0 clicks in 5000/);
  });
  it("promotes a canary that is better or not worse by more than the margin", () => {
    expect(judge(cmp(0.02, 0.01), rule).action).toBe("promote");
    expect(judge(cmp(-0.001, 0.003), rule).action).toBe("promote"); // low -0.004 > -0.005
    expect(judge(cmp(0.02, 0.01), rule).reason).toMatch(/AUC difference \+0\.0200 \[\+0\.0100, \+0\.0300\]/);
  });
  it("rolls back a canary that is worse for sure, or miscalibrated", () => {
    expect(judge(cmp(-0.02, 0.01), rule)).toMatchObject({
      action: "rollback",
      reason: expect.stringMatching(/entirely below 0/),
    });
    expect(judge(cmp(0.02, 0.01, { calibration: 1.3 }), rule)).toMatchObject({
      action: "rollback",
      reason: expect.stringMatching(/calibration 1\.300 is outside \[0\.8, 1\.25\]/),
    });
    expect(judge(cmp(0.02, 0.01, { calibration: 0.79 }), rule).action).toBe("rollback");
    // A significant loss within the margin still rolls back: rollback is checked first.
    expect(judge(cmp(-0.002, 0.001), rule).action).toBe("rollback");
  });
  it("waits when inconclusive, or when logloss is worse than allowed", () => {
    expect(judge(cmp(0, 0.01), rule)).toMatchObject({ action: "wait", reason: expect.stringMatching(/inconclusive/) });
    expect(judge(cmp(0.02, 0.01, { logloss: 0.32 }), rule)).toMatchObject({
      action: "wait",
      reason: expect.stringMatching(/logloss is worse by \+0\.0200 > 0\.01/),
    });
  });
  it("the boundaries: the lower bound must be strictly above -margin, calibration limits are inclusive", () => {
    expect(judge(cmp(-0.004, 0.001), rule).action).toBe("rollback");
    expect(judge(cmp(0, 0.005), rule).action).toBe("wait"); // low exactly -0.005
    expect(judge(cmp(0.02, 0.01, { calibration: 1.25 }), rule).action).toBe("promote");
    expect(judge(cmp(0.02, 0.01, { calibration: 0.8 }), rule).action).toBe("promote");
  });
  it("its defaults are libs/config's", () => {
    expect(DEFAULT_RULE).toEqual({
      minLabelled: 2000,
      aucMargin: 0.005,
      loglossMargin: 0.005,
      calibrationMin: 0.8,
      calibrationMax: 1.25,
    });
  });
});
