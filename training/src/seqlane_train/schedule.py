"""fit's schedule: batch size, learning rate, evaluation interval and early stopping, from the data size.

The rules are applied here once; `FitOptions` documents each option and leaves the automatic
ones as None. They are chosen so that one set of defaults trains from 10k to 10M rows:

- batch size: the power of two nearest to train_rows / 128 (about 128 optimizer steps an
  epoch), clamped to [32, 512]. 8k training rows -> 64, 16k -> 128, 46k and more -> 512.
- learning rate: 2e-3 * sqrt(batch / 512) (Adam's square-root scaling, anchored at batch 512
  and 2e-3, the settings every quality table in the README was run with): 7.1e-4 at 64.
- evaluation: every max(50, ceil(steps_per_epoch / 4)) steps (four times an epoch on large
  sets, never more often than every 50 steps on small ones) and once after the last step.
- early stopping: after `patience` (4) evaluations in a row without a validation AUC gain,
  but never before `min_steps` (500) optimizer steps; `epochs` (10) caps the run.

Why: counting in epochs broke small sets. With batch 512 and patience 2 a 10k-row set gets 17
steps an epoch, validation AUC does not rise in the first epochs, and training stopped after
about 50 steps with the models still untrained (logloss 0.693).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import OptionsError

BATCH_MIN, BATCH_MAX = 32, 512
STEPS_PER_EPOCH_TARGET = 128
LR_ANCHOR, LR_ANCHOR_BATCH = 2e-3, 512
EVALS_PER_EPOCH, EVAL_EVERY_MIN = 4, 50


@dataclass(frozen=True)
class Schedule:
    batch_size: int
    lr: float
    epochs: int
    steps_per_epoch: int
    eval_every: int
    patience: int
    min_steps: int

    @property
    def max_steps(self) -> int:
        return self.epochs * self.steps_per_epoch

    def describe(self) -> str:
        return (
            f"batch {self.batch_size}, lr {self.lr:.2g}, {self.steps_per_epoch} steps/epoch, "
            f"evaluate every {self.eval_every} steps, stop after {self.patience} evaluations without "
            f"a val AUC gain but not before step {min(self.min_steps, self.max_steps)}, at most {self.epochs} epochs"
        )


def auto_batch_size(train_rows: int) -> int:
    want = max(train_rows, 1) / STEPS_PER_EPOCH_TARGET
    return int(min(BATCH_MAX, max(BATCH_MIN, 2 ** round(math.log2(max(want, 1.0))))))


def auto_lr(batch_size: int) -> float:
    return LR_ANCHOR * math.sqrt(batch_size / LR_ANCHOR_BATCH)


def steps_per_epoch(train_rows: int, batch_size: int) -> int:
    """Batches of fewer than 2 rows are skipped by the training loop."""
    full, rest = divmod(train_rows, batch_size)
    return full + (1 if rest >= 2 else 0)


def check(
    *, batch_size: int | None, lr: float | None, epochs: int, eval_every: int | None, patience: int, min_steps: int
) -> None:
    """Range checks that need no data (fit runs them before reading a sample set)."""
    _at_least("--epochs", epochs, 1)
    _at_least("--patience", patience, 1)
    _at_least("--min-steps", min_steps, 0)
    if batch_size is not None:
        _at_least("--batch-size", batch_size, 2)
    if eval_every is not None:
        _at_least("--eval-every", eval_every, 1)
    if lr is not None and not (isinstance(lr, int | float) and math.isfinite(lr) and lr > 0):
        raise OptionsError("--lr", f"{lr!r}", "a positive finite number")


def resolve(
    train_rows: int,
    *,
    batch_size: int | None,
    lr: float | None,
    epochs: int,
    eval_every: int | None,
    patience: int,
    min_steps: int,
) -> Schedule:
    check(batch_size=batch_size, lr=lr, epochs=epochs, eval_every=eval_every, patience=patience, min_steps=min_steps)
    batch = batch_size if batch_size is not None else auto_batch_size(train_rows)
    spe = steps_per_epoch(train_rows, batch)
    if spe < 1:
        raise OptionsError("--batch-size", f"{train_rows} training rows give no batch of 2 or more", "more rows")
    every = eval_every if eval_every is not None else max(EVAL_EVERY_MIN, math.ceil(spe / EVALS_PER_EPOCH))
    return Schedule(
        batch_size=batch,
        lr=lr if lr is not None else auto_lr(batch),
        epochs=epochs,
        steps_per_epoch=spe,
        eval_every=every,
        patience=patience,
        min_steps=min_steps,
    )


def check_fractions(val_frac: float, test_frac: float | None, test_data: str | None) -> float:
    """The resolved test fraction: 0.1 by default, 0 with an external --test-data set."""
    if not (math.isfinite(val_frac) and 0 < val_frac < 1):
        raise OptionsError("--val-frac", f"{val_frac!r}", "a fraction strictly between 0 and 1")
    if test_data is not None:
        if test_frac:
            raise OptionsError(
                "--test-frac", f"{test_frac!r} together with --test-data", "one of the two (--test-data replaces it)"
            )
        test_frac = 0.0
    elif test_frac is None:
        test_frac = 0.1
    elif not (math.isfinite(test_frac) and 0 < test_frac < 1):
        raise OptionsError("--test-frac", f"{test_frac!r}", "a fraction strictly between 0 and 1 (or --test-data)")
    if val_frac + test_frac >= 1:
        raise OptionsError(
            "--val-frac/--test-frac", f"{val_frac} + {test_frac} leaves no training rows", "a sum below 1"
        )
    return test_frac


def _at_least(flag: str, value: int, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise OptionsError(flag, f"{value!r}", f"an integer >= {low}")
