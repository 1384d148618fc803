-- Evaluation per model, version, task (ctr: label click over all predictions; cvr: label
-- purchase over clicked predictions that carry a cvr) and day (UTC). Written by the eval job;
-- a recomputation replaces the row (version computed_at). Metrics are NULL where undefined
-- (single-class day). Reliability bins are equal-width over [0, 1): bin i covers
-- [i/10, (i+1)/10) (1.0 in the last); only non-empty bins are listed, bin_index names them and
-- bin_count, bin_predicted (mean score), bin_observed (label rate) align with it.
CREATE TABLE IF NOT EXISTS seqlane.model_eval
(
    model String,
    version String,
    task Enum8('ctr' = 1, 'cvr' = 2),
    day Date,
    samples UInt64,
    positives UInt64,
    auc Nullable(Float64),
    gauc Nullable(Float64),
    gauc_users UInt64,
    logloss Nullable(Float64),
    ne Nullable(Float64),
    calibration Nullable(Float64),
    mean_predicted Float64,
    observed_rate Float64,
    bin_index Array(UInt8),
    bin_count Array(UInt64),
    bin_predicted Array(Float64),
    bin_observed Array(Float64),
    computed_at DateTime
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(day)
ORDER BY (model, version, task, day);
