"""No-learning reference rules, evaluated on exactly the rows `fit` tests on.

A quality table is only worth reading next to what a count gets without any training. The
reference rule of issue 13 is `cat_share`: the share of the user's past clicks (the `clicks`
slot, the long-term click sequence every sample set carries) whose category equals the
candidate's. `item_repeat` is the same count for the candidate item itself. Both use the
sample tensors as they are (hashed ids), so a hash collision counts as a match here exactly as
it does for the models. A rule score is a share, not a probability: logloss is not reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from . import metrics
from . import samples as smp
from . import schedule as sch
from .errors import OptionsError, SamplesError
from .trainer import time_split

RULES = {
    "cat_share": ("category", "target_cat", "share of the user's past clicks in the candidate's category"),
    "item_repeat": ("item", "target_item", "share of the user's past clicks on the candidate item"),
}


def score(data: smp.SampleSet, rule: str) -> np.ndarray:
    """The rule's score per row, float64 in [0, 1] (0 for a user with no past click)."""
    if rule not in RULES:
        raise OptionsError("--rule", f"{rule!r} unknown", f"one of {sorted(RULES)}")
    field, target, _ = RULES[rule]
    clicks = next((s for s in data.manifest.slots if s.name == "clicks"), None)
    spec = clicks.field_spec(field) if clicks is not None else None
    if clicks is None or spec is None or spec.tensor not in data.tensors or target not in data.tensors:
        raise SamplesError("samples", f"rule {rule} needs the clicks slot's {field} tensor and {target}")
    hist = data.tensors[spec.tensor]
    mask = data.tensors[clicks.mask] > 0.5
    same = (hist == data.tensors[target][:, None]) & mask
    n = mask.sum(1)
    return np.where(n > 0, same.sum(1) / np.maximum(n, 1), 0.0)


def evaluate(
    data_dir: str | Path,
    out: str | Path,
    rule: str = "cat_share",
    val_frac: float = 0.1,
    test_frac: float | None = None,
    test_data: str | None = None,
) -> dict[str, Any]:
    """Score the test rows `fit` would use with the same fractions (or --test-data) and write metrics.json."""
    test_frac_resolved = sch.check_fractions(val_frac, test_frac, test_data)
    if test_data is not None:
        test = smp.read(test_data)
    else:
        data = smp.read(data_dir)
        _, _, te = time_split(data.ts, val_frac, test_frac_resolved)
        test = data.subset(te)
    s = score(test, rule)
    click = test.labels[:, 0]
    res: dict[str, Any] = {
        "rows": test.rows,
        "positives": int(click.sum()),
        "auc": metrics.auc(click, s),
        "gauc": metrics.gauc(click, s, test.user),
        "logloss": None,
        "covered": float((s > 0).mean()) if test.rows else 0.0,
    }
    if test.p_true is not None:
        res.update(oracle_auc=metrics.auc(click, test.p_true), oracle_logloss=metrics.logloss(click, test.p_true))
    result = {
        "model": f"rule:{rule}",
        "architecture": f"no learning: {RULES[rule][2]}",
        "kind": "rule",
        "test": res,
        "best_epoch": None,
        "options": {"data": str(data_dir), "val_frac": val_frac, "test_frac": test_frac, "test_data": test_data},
    }
    o = Path(out)
    o.mkdir(parents=True, exist_ok=True)
    (o / "metrics.json").write_text(json.dumps(result, indent=2, default=float) + "\n")
    return result
