-- Shadow predictions: versions scored for a request after its response, never served
-- (prediction message v2 with shadow: true; <registry>/<model>/routing.json names them). Same
-- columns and key as predictions, kept apart so that served metrics (outcomes, model_eval)
-- never include them; their labels are the served impression's, joined on (request_id, item_id).
CREATE TABLE IF NOT EXISTS seqlane.predictions_shadow
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
