"""Diagnosis runs behind training/README.md "Why the attention models missed the category match".

Usage: training/.venv/bin/python training/scripts/diagnose.py SAMPLES_DIR VARIANT [VARIANT ...]
       (VARIANT: a name below, or a JSON object of run()'s keyword arguments)

Each run fits one model on the first 80 % of SAMPLES_DIR by time (the next 10 % is validation),
evaluates every 50 steps, stops after 8 evaluations without a validation AUC gain or at
`steps`, and prints one JSON line. Settings are compared on `val_auc` only; the test figure is
printed so a reader can see it was not used. One seed: a diagnosis, not a quality claim.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from typing import Any

import torch

from seqlane_train import samples as smp
from seqlane_train import schedule as sch
from seqlane_train import trainer as tr
from seqlane_train.models import REGISTRY, ModelConfig

OLD = {"emb_std": 0.05, "cfg_over": {"cat_dim": 8}, "emb_lr_scale": 1.0}  # the defaults before the fix
VARIANTS: dict[str, dict[str, Any]] = {
    "din-old": {"model": "din", **OLD, "emb_l2": 0.5},  # what quality.sh ran (EMB_L2 0.5)
    "din-old-no-l2": {"model": "din", **OLD},
    "din-old-cat32": {"model": "din", **OLD, "cfg_over": {"cat_dim": 32}},
    "din-cat-only-learned": {"model": "din", "emb_lr_scale": 1.0, "cfg_over": {"item_dim": 0}},
    "din-cat-only-frozen": {"model": "din", "emb_lr_scale": 0.0, "cfg_over": {"item_dim": 0}},
    "din-frozen": {"model": "din", "emb_lr_scale": 0.0},
    "din-emb-lr-0.1": {"model": "din", "emb_lr_scale": 0.1},
    "din": {"model": "din"},  # the new defaults: unit-norm rows, cat_dim 32, emb lr x 0.03
    "pooling": {"model": "pooling"},
    "pooling-frozen": {"model": "pooling", "emb_lr_scale": 0.0},
    "pooling-frozen-cat128": {"model": "pooling", "emb_lr_scale": 0.0, "cfg_over": {"cat_dim": 128}},
    "bst": {"model": "bst"},
}


def run(
    data: smp.SampleSet,
    model: str,
    seed: int = 1,
    steps: int = 1500,
    cfg_over: dict[str, Any] | None = None,
    emb_std: float | None = None,
    emb_lr_scale: float = 0.03,
    emb_l2: float = 0.0,
    tag: str = "",
) -> dict[str, Any]:
    torch.set_num_threads(1)
    tr.seed_everything(seed)
    cfg = ModelConfig.from_data(data.manifest, **(cfg_over or {}))
    m = REGISTRY[model](cfg)
    if emb_std is not None:  # the old N(0, emb_std^2) rows instead of N(0, 1/dim)
        for t in m.emb.tables.values():
            torch.nn.init.normal_(t.weight, std=emb_std)
            with torch.no_grad():
                t.weight[0].zero_()
    opts = tr.FitOptions(
        model=model, data="-", out="-", seed=seed, quiet=True, patience=8, emb_l2=emb_l2, emb_lr_scale=emb_lr_scale
    )
    train, val, test = tr.split(opts, data, cfg, m)
    plan = sch.resolve(train.rows, batch_size=None, lr=None, epochs=100, eval_every=50, patience=8, min_steps=0)
    plan = dataclasses.replace(plan, epochs=steps // plan.steps_per_epoch + 1)
    t0 = time.time()
    best, best_step, n, _ = tr.train_loop(m, train, val, plan, opts, torch.device("cpu"))
    names, cui = tr.required_tensors(m), m.manifest().cand_user_index
    te = tr.evaluate(tr.predict(m, test, names, cui, torch.device("cpu"), 1024), test)
    return {
        "variant": tag,
        "model": model,
        "seed": seed,
        "val_auc": round(best, 4),
        "best_step": best_step,
        "steps": n,
        "test_auc": round(te["auc"], 4),
        "test_logloss": round(te["logloss"], 4),
        "secs": round(time.time() - t0),
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    data = smp.read(argv[0])
    for v in argv[1:]:
        kw = dict(VARIANTS[v], tag=v) if v in VARIANTS else json.loads(v)
        print(json.dumps(run(data, **kw)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
