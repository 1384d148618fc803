-- Every canary decision with the figures it was made on, one row each (an audit log: rows are
-- never replaced): the decide job's (wait, promote, rollback; decided_by 'job') and those made
-- by hand with `seqlane models canary|shadow|promote|rollback` (decided_by 'cli:<user>').
-- canary_version: the canary decided on (for 'shadow', the shadow version; '' when none).
-- Arms: the serving version and the canary, over labelled impressions (outcomes, click label)
-- predicted in [window_from_ms, window_to_ms). auc_* are over every labelled impression of the
-- arm; auc_diff and its 95% interval [auc_diff_low, auc_diff_high] (ci_method) over at most
-- *_ci_rows of them (users sampled by hash above the bound). Figures are NULL where undefined
-- (no canary, no clicks). rule: the thresholds in force, JSON. applied: routing.json was changed.
CREATE TABLE IF NOT EXISTS seqlane.model_decisions
(
    model String,
    action Enum8('wait' = 0, 'promote' = 1, 'rollback' = 2, 'canary' = 3, 'shadow' = 4),
    reason String,
    serving_version String,
    canary_version String,
    canary_share Float64,
    window_from_ms UInt64,
    window_to_ms UInt64,
    serving_samples UInt64,
    serving_positives UInt64,
    serving_auc Nullable(Float64),
    serving_logloss Nullable(Float64),
    serving_calibration Nullable(Float64),
    serving_ci_rows UInt64,
    canary_samples UInt64,
    canary_positives UInt64,
    canary_auc Nullable(Float64),
    canary_logloss Nullable(Float64),
    canary_calibration Nullable(Float64),
    canary_ci_rows UInt64,
    auc_diff Nullable(Float64),
    auc_diff_low Nullable(Float64),
    auc_diff_high Nullable(Float64),
    ci_method String,
    rule String,
    decided_by String,
    applied UInt8,
    decided_ms UInt64,
    decided_at DateTime MATERIALIZED toDateTime(intDiv(decided_ms, 1000), 'UTC'),
    decided_date Date MATERIALIZED toDate(toDateTime(intDiv(decided_ms, 1000), 'UTC'))
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(decided_date)
ORDER BY (model, decided_ms);
