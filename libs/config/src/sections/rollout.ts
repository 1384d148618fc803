import { int, num } from "../option.js";

/**
 * Canary decisions (`seqlane models decide`, its repeatable BullMQ job `seqlane models decide
 * --worker`) and the declared rule they apply; `seqlane models canary` takes its default share here.
 */
export const rollout = {
  decideEveryMs: int(
    "SEQLANE_DECIDE_EVERY_MS",
    "How often the decide job compares the arms of every model with a canary and promotes or rolls back (ms; 0: never)",
    0,
    0,
  ),
  decideAttempts: int(
    "SEQLANE_DECIDE_ATTEMPTS",
    "Attempts of a decide run that failed for a passing reason (ClickHouse unreachable); BullMQ backs off exponentially",
    3,
    1,
    100,
  ),
  canaryShare: num(
    "SEQLANE_CANARY_SHARE",
    "Share of users a new canary gets when `seqlane models canary` is given no --share",
    0.1,
    0.0001,
    1,
  ),
  minLabelled: int(
    "SEQLANE_CANARY_MIN_LABELLED",
    "Labelled impressions each arm (serving, canary) needs since the canary started before a decision; with fewer: wait",
    2000,
    1,
  ),
  aucMargin: num(
    "SEQLANE_CANARY_AUC_MARGIN",
    "Promote only when the lower bound of the 95% interval of AUC(canary) - AUC(serving) is above minus this",
    0.005,
    0,
    1,
  ),
  loglossMargin: num(
    "SEQLANE_CANARY_LOGLOSS_MARGIN",
    "Promote only when the canary's logloss exceeds the serving version's by at most this (nats)",
    0.005,
    0,
    10,
  ),
  calibrationMin: num(
    "SEQLANE_CANARY_CALIBRATION_MIN",
    "Lowest canary calibration (mean predicted / observed click rate) that may promote; below it: roll back",
    0.8,
    0,
    100,
  ),
  calibrationMax: num(
    "SEQLANE_CANARY_CALIBRATION_MAX",
    "Highest canary calibration that may promote; above it: roll back",
    1.25,
    0,
    100,
  ),
  maxRows: int(
    "SEQLANE_CANARY_MAX_ROWS",
    "Labelled impressions per arm read for the AUC interval; above it, users are sampled by hash (every impression of a sampled user)",
    200_000,
    100,
    10_000_000,
  ),
} as const;
