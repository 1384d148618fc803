import { int, str } from "../option.js";

/** services/recorder: Kafka -> ClickHouse, labelling and evaluation jobs. */
export const recorder = {
  groupId: str("SEQLANE_RECORDER_GROUP", "Consumer group of the recorder", "seqlane-recorder", /^[A-Za-z0-9._-]{1,128}$/),
  batchRows: int("SEQLANE_RECORDER_BATCH_ROWS", "Rows per ClickHouse insert", 10_000, 1),
  batchMaxMs: int("SEQLANE_RECORDER_BATCH_MS", "Longest a row waits before its batch is inserted (ms)", 1000, 1),
  clickWindowMs: int("SEQLANE_CLICK_WINDOW_MS", "Attribution window for clicks (ms)", 30 * 60_000, 1),
  cartWindowMs: int("SEQLANE_CART_WINDOW_MS", "Attribution window for carts (ms)", 24 * 3_600_000, 1),
  purchaseWindowMs: int("SEQLANE_PURCHASE_WINDOW_MS", "Attribution window for purchases (ms)", 24 * 3_600_000, 1),
  labelEveryMs: int("SEQLANE_LABEL_EVERY_MS", "How often the labelling job runs (ms)", 60_000, 1000),
  evalEveryMs: int("SEQLANE_EVAL_EVERY_MS", "How often the evaluation job runs (ms)", 3_600_000, 1000),
} as const;
