-- Every scored candidate, from Kafka `predictions`. Natural key: model, version, request_id,
-- item_id (pred_date is a function of ts, so duplicates share it). The sort key starts with
-- model, version, day: the evaluation queries filter exactly so.
CREATE TABLE IF NOT EXISTS seqlane.predictions
(
    request_id String,
    user_id String,
    item_id String,
    model String,
    version String,
    ctr Float64,
    cvr Nullable(Float64),
    ts UInt64,
    position Nullable(UInt32),
    kafka_partition UInt32,
    kafka_offset UInt64,
    pred_time DateTime MATERIALIZED toDateTime(intDiv(ts, 1000), 'UTC'),
    pred_date Date MATERIALIZED toDate(toDateTime(intDiv(ts, 1000), 'UTC')),
    ingested_at DateTime MATERIALIZED now()
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(pred_date)
ORDER BY (model, version, pred_date, request_id, item_id);
