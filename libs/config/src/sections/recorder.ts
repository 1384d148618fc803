import { bool, int, str } from "../option.js";

/** services/recorder: Kafka -> ClickHouse, labelling and evaluation jobs. */
export const recorder = {
  groupId: str(
    "SEQLANE_RECORDER_GROUP",
    "Consumer group of the recorder (both topics)",
    "seqlane-recorder",
    /^[A-Za-z0-9._-]{1,128}$/,
  ),
  healthPort: int(
    "SEQLANE_RECORDER_HEALTH_PORT",
    "Port of the recorder's /healthz and /metrics (0: off)",
    0,
    0,
    65_535,
  ),
  fromBeginning: bool("SEQLANE_RECORDER_FROM_BEGINNING", "A new consumer group starts at the earliest offset", true),
  batchRows: int("SEQLANE_RECORDER_BATCH_ROWS", "Rows per ClickHouse insert", 10_000, 1),
  batchMaxMs: int("SEQLANE_RECORDER_BATCH_MS", "Longest a row waits before its batch is inserted (ms)", 1000, 1),
  insertAttempts: int(
    "SEQLANE_RECORDER_INSERT_ATTEMPTS",
    "Insert attempts before a batch is parked in the retry queue",
    3,
    1,
    100,
  ),
  insertBackoffMs: int(
    "SEQLANE_RECORDER_INSERT_BACKOFF_MS",
    "First retry delay of an insert, doubled per attempt (ms)",
    200,
    1,
  ),
  parkedBackoffMaxMs: int(
    "SEQLANE_RECORDER_PARKED_BACKOFF_MAX_MS",
    "Longest delay between retries of a parked batch (ms)",
    10_000,
    100,
  ),
  clickWindowMs: int("SEQLANE_CLICK_WINDOW_MS", "Attribution window for clicks (ms)", 30 * 60_000, 1),
  cartWindowMs: int("SEQLANE_CART_WINDOW_MS", "Attribution window for carts (ms)", 24 * 3_600_000, 1),
  purchaseWindowMs: int("SEQLANE_PURCHASE_WINDOW_MS", "Attribution window for purchases (ms)", 24 * 3_600_000, 1),
  labelGraceMs: int(
    "SEQLANE_LABEL_GRACE_MS",
    "Lateness allowed to events after a window closes, before labelling (ms)",
    300_000,
    0,
  ),
  labelOverlapMs: int(
    "SEQLANE_LABEL_OVERLAP_MS",
    "Each labelling run relabels this far back, for late predictions (ms)",
    3_600_000,
    0,
  ),
  labelEveryMs: int("SEQLANE_LABEL_EVERY_MS", "How often the labelling job runs (ms; 0: never)", 60_000, 0),
  evalEveryMs: int("SEQLANE_EVAL_EVERY_MS", "How often the evaluation job runs (ms; 0: never)", 3_600_000, 0),
  evalLookbackMs: int(
    "SEQLANE_EVAL_LOOKBACK_MS",
    "The evaluation job recomputes the UTC days touched by this lookback (ms)",
    2 * 86_400_000,
    60_000,
  ),
} as const;
