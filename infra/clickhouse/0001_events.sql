-- Behaviour events as recorded from Kafka `behavior-events`, one row per event_id.
-- ReplacingMergeTree on the natural key: a redelivered message (at-least-once) becomes a
-- duplicate row until the next merge; read through `events_dedup` (FINAL) or aggregate by
-- event_id for exactly-once answers. ts is event time in epoch ms; the Date/DateTime columns
-- are derived (MATERIALIZED, so never sent by writers and identical for duplicates).
CREATE TABLE IF NOT EXISTS seqlane.events
(
    event_id String,
    user_id String,
    item_id String,
    category_id String,
    brand_id String,
    shop_id String,
    price Nullable(Float64),
    type Enum8('click' = 1, 'fav' = 2, 'cart' = 3, 'purchase' = 4, 'exposure' = 5),
    ts UInt64,
    source Enum8('server' = 1, 'device' = 2),
    request_id String,
    position Nullable(UInt32),
    schema_version UInt8,
    kafka_partition UInt32,
    kafka_offset UInt64,
    event_time DateTime MATERIALIZED toDateTime(intDiv(ts, 1000), 'UTC'),
    event_date Date MATERIALIZED toDate(toDateTime(intDiv(ts, 1000), 'UTC')),
    ingested_at DateTime MATERIALIZED now()
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, user_id, item_id, event_id);

-- Messages the recorder could not turn into rows (bad JSON, missing or malformed fields),
-- from either topic, with the original bytes and the reason. Keyed by Kafka coordinates so a
-- redelivery does not count twice; partitioned by the Kafka message timestamp for the same reason.
CREATE TABLE IF NOT EXISTS seqlane.events_rejected
(
    topic String,
    kafka_partition UInt32,
    kafka_offset UInt64,
    kafka_ts UInt64,
    kafka_key String,
    payload String,
    field String,
    reason String,
    kafka_date Date MATERIALIZED toDate(toDateTime(intDiv(kafka_ts, 1000), 'UTC')),
    ingested_at DateTime MATERIALIZED now()
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(kafka_date)
ORDER BY (topic, kafka_partition, kafka_offset);
