import { int, list, str } from "../option.js";

const MODEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `seqlane train` and its repeatable BullMQ job (`seqlane train --worker`). */
export const train = {
  models: list(
    "SEQLANE_TRAIN_MODELS",
    "Models the repeatable train job retrains, comma-separated, e.g. pooling,din (empty: the job is off)",
    (raw) => {
      if (!MODEL.test(raw)) throw new Error(`must match ${String(MODEL)}`);
      return raw;
    },
    [],
  ),
  everyMs: int("SEQLANE_TRAIN_EVERY_MS", "How often the train job runs per model (ms; 0: never)", 0, 0),
  since: str(
    "SEQLANE_TRAIN_SINCE",
    "Labelled predictions each training run reads, back from now (a duration: 24h, 7d)",
    "24h",
    /^\d+(ms|s|m|h|d|w)$/,
  ),
  minLabelled: int(
    "SEQLANE_TRAIN_MIN_LABELLED",
    "Fewest labelled predictions a training run needs; with fewer it fails and publishes nothing",
    1000,
    1,
  ),
  python: str(
    "SEQLANE_TRAIN_PYTHON",
    "Python of the training venv (made by bash training/scripts/venv.sh; relative to the working directory)",
    "training/.venv/bin/python",
  ),
  fitArgs: str(
    "SEQLANE_TRAIN_FIT_ARGS",
    "Extra flags for python -m seqlane_train fit, space-separated, e.g. --epochs 3 --threads 2",
    "",
  ),
  attempts: int(
    "SEQLANE_TRAIN_ATTEMPTS",
    "Attempts of a train job that failed for a passing reason (ClickHouse down, fit killed); BullMQ backs off exponentially",
    3,
    1,
    100,
  ),
} as const;
