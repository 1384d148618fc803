-- One row per prediction with its labels, written by the labelling job once the longest
-- attribution window has closed. Same key as predictions; version column labelled_at, so a
-- relabel (same values, or corrected by late events) replaces the older row. Delays are
-- milliseconds from prediction to the first matching event, NULL without one. matched_by:
-- 'request' when an event carried this prediction's request_id, 'time' when matched by user +
-- item + time window only, 'none' without a labelled event.
CREATE TABLE IF NOT EXISTS seqlane.outcomes
(
    model String,
    version String,
    pred_date Date,
    request_id String,
    item_id String,
    user_id String,
    ts UInt64,
    ctr Float64,
    cvr Nullable(Float64),
    position Nullable(UInt32),
    exposed UInt8,
    click UInt8,
    cart UInt8,
    purchase UInt8,
    click_delay_ms Nullable(UInt64),
    cart_delay_ms Nullable(UInt64),
    purchase_delay_ms Nullable(UInt64),
    matched_by Enum8('none' = 0, 'request' = 1, 'time' = 2),
    labelled_at DateTime
)
ENGINE = ReplacingMergeTree(labelled_at)
PARTITION BY toYYYYMM(pred_date)
ORDER BY (model, version, pred_date, request_id, item_id);
