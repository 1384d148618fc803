import { defaults, rollout } from "@seqlane/config";

/** The declared rule a canary is judged by (SEQLANE_CANARY_* in libs/config, where the defaults are). */
export interface CanaryRule {
  /** Labelled impressions each arm needs before anything is decided. */
  readonly minLabelled: number;
  /** Promote only when the interval's lower bound of AUC(canary) - AUC(serving) is above -aucMargin. */
  readonly aucMargin: number;
  /** Promote only when logloss(canary) - logloss(serving) is at most this (nats). */
  readonly loglossMargin: number;
  /** The canary's calibration (mean predicted / observed click rate) must lie in [calibrationMin, calibrationMax]. */
  readonly calibrationMin: number;
  readonly calibrationMax: number;
}

const d = defaults(rollout);
/** The defaults of SEQLANE_CANARY_MIN_LABELLED, _AUC_MARGIN, _LOGLOSS_MARGIN, _CALIBRATION_MIN and _MAX. */
export const DEFAULT_RULE: CanaryRule = {
  minLabelled: d.minLabelled,
  aucMargin: d.aucMargin,
  loglossMargin: d.loglossMargin,
  calibrationMin: d.calibrationMin,
  calibrationMax: d.calibrationMax,
};

/** One arm over the canary window: labelled impressions of one version (served, not shadow). */
export interface ArmFigures {
  readonly version: string;
  /** Labelled impressions (outcomes rows, click label). */
  readonly samples: number;
  readonly positives: number;
  /** Over every labelled impression of the arm; null when a class is absent. */
  readonly auc: number | null;
  readonly logloss: number | null;
  /** Mean predicted / observed click rate; null without clicks. */
  readonly calibration: number | null;
  /** Impressions the interval was computed over (all of them, or those of users sampled by hash). */
  readonly ciRows: number;
  /** Users among them. */
  readonly ciUsers: number;
}

/** The two arms and the difference of their AUCs, canary minus serving, with its 95% interval. */
export interface ArmComparison {
  readonly serving: ArmFigures;
  readonly canary: ArmFigures;
  readonly diff: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** How the interval was computed, e.g. `delong-clustered-by-user`. */
  readonly ciMethod: string;
}

export type CanaryAction = "wait" | "promote" | "rollback";

export interface Verdict {
  readonly action: CanaryAction;
  /** One sentence with the figures that decided. */
  readonly reason: string;
}

const f4 = (x: number): string => (x >= 0 ? "+" : "") + x.toFixed(4);
const ci = (c: ArmComparison): string => `${f4(c.diff!)} [${f4(c.low!)}, ${f4(c.high!)}]`;

/**
 * The declared rule, in order:
 * 1. wait while an arm has fewer than `minLabelled` labelled impressions, or lacks clicks or non-clicks;
 * 2. roll back when the canary is worse for sure (the interval's upper bound is below 0) or its
 *    calibration lies outside [calibrationMin, calibrationMax];
 * 3. promote when the canary is not worse by more than the margin (lower bound above -aucMargin)
 *    and its logloss is at most `loglossMargin` above the serving version's;
 * 4. otherwise wait (more data narrows the interval).
 * Pure: the same figures always give the same verdict.
 */
export function judge(c: ArmComparison, rule: CanaryRule): Verdict {
  const { serving: s, canary: k } = c;
  const short = [s, k].filter((a) => a.samples < rule.minLabelled);
  if (short.length > 0)
    return {
      action: "wait",
      reason: `too few labelled impressions: serving ${s.version} has ${s.samples}, canary ${k.version} ${k.samples}; each arm needs ${rule.minLabelled}`,
    };
  const oneClass = [s, k].filter((a) => a.auc === null || a.calibration === null);
  if (oneClass.length > 0 || c.diff === null || c.low === null || c.high === null)
    return {
      action: "wait",
      reason: `no AUC yet: ${oneClass.map((a) => `${a.version} has ${a.positives} clicks in ${a.samples}`).join(", ") || "no interval"}`,
    };
  const cal = k.calibration!;
  const calOk = cal >= rule.calibrationMin && cal <= rule.calibrationMax;
  if (c.high < 0)
    return { action: "rollback", reason: `canary AUC is worse: difference ${ci(c)} lies entirely below 0` };
  if (!calOk)
    return {
      action: "rollback",
      reason: `canary calibration ${cal.toFixed(3)} is outside [${rule.calibrationMin}, ${rule.calibrationMax}]`,
    };
  const ll = k.logloss! - s.logloss!;
  if (c.low > -rule.aucMargin && ll <= rule.loglossMargin)
    return {
      action: "promote",
      reason: `canary is not worse: AUC difference ${ci(c)}, lower bound above -${rule.aucMargin}; logloss ${f4(ll)} <= ${rule.loglossMargin}; calibration ${cal.toFixed(3)}`,
    };
  if (c.low <= -rule.aucMargin)
    return {
      action: "wait",
      reason: `inconclusive: AUC difference ${ci(c)}, lower bound not above -${rule.aucMargin} yet`,
    };
  return {
    action: "wait",
    reason: `canary logloss is worse by ${f4(ll)} > ${rule.loglossMargin} (AUC difference ${ci(c)})`,
  };
}
