-- Deduplicated views for analysts: correct before background merges (FINAL collapses the
-- at-least-once duplicates at read time). Prefer these over the raw tables.
CREATE VIEW IF NOT EXISTS seqlane.events_dedup AS
SELECT event_id, user_id, item_id, category_id, brand_id, shop_id, price, type, ts, source,
       request_id, position, schema_version, kafka_partition, kafka_offset, event_time, event_date, ingested_at
FROM seqlane.events FINAL;

CREATE VIEW IF NOT EXISTS seqlane.predictions_dedup AS
SELECT request_id, user_id, item_id, model, version, ctr, cvr, ts, position, pred_time, pred_date, ingested_at
FROM seqlane.predictions FINAL;

CREATE VIEW IF NOT EXISTS seqlane.outcomes_dedup AS
SELECT model, version, pred_date, request_id, item_id, user_id, ts, ctr, cvr, position, exposed, click, cart,
       purchase, click_delay_ms, cart_delay_ms, purchase_delay_ms, matched_by, labelled_at
FROM seqlane.outcomes FINAL;

CREATE VIEW IF NOT EXISTS seqlane.model_eval_latest AS
SELECT model, version, task, day, samples, positives, auc, gauc, gauc_users, logloss, ne, calibration,
       mean_predicted, observed_rate, bin_index, bin_count, bin_predicted, bin_observed, computed_at
FROM seqlane.model_eval FINAL;
