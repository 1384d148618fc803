"""fit: time-based split, seeded training with early stopping on validation AUC, metrics, export."""

from __future__ import annotations

import json
import math
import random
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from . import export as ex
from . import metrics
from . import samples as smp
from . import schedule as sch
from .errors import OptionsError, SamplesError
from .models import REGISTRY, ModelConfig, SeqModel

LABEL_COLUMN = {"click": 0, "cart": 1, "purchase": 2}


@dataclass(frozen=True)
class FitOptions:
    """fit's options; None means "derived from the data" by the rules in schedule.py."""

    model: str
    data: str
    out: str
    epochs: int = 10  # at most this many passes over the training rows
    batch_size: int | None = None  # None: power of two nearest train_rows / 128, in [32, 512]
    lr: float | None = None  # None: 2e-3 * sqrt(batch_size / 512)
    weight_decay: float = 0.0
    patience: int = 4  # evaluations in a row without a val AUC gain before stopping
    eval_every: int | None = None  # None: max(50, ceil(steps_per_epoch / 4)) optimizer steps
    min_steps: int = 500  # never stop early before this many optimizer steps
    seed: int = 42
    threads: int = 1
    device: str = "auto"
    head: str = "ctr"
    val_frac: float = 0.1  # newest rows of --data before the test rows
    test_frac: float | None = None  # None: 0.1, or 0 with test_data
    test_data: str | None = None  # an external sample directory used as the test set
    aux_weight: float = 1.0
    emb_l2: float = 0.0
    emb_lr_scale: float = 0.03  # embedding tables learn at lr * this (see param_groups)
    version: str = "1"
    export: bool = True
    quiet: bool = False


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def pick_device(kind: str) -> torch.device:
    if kind == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(kind)


def time_split(ts: np.ndarray, val_frac: float, test_frac: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows ordered by ts (stable): oldest for training, then validation, newest for test."""
    order = np.argsort(ts, kind="mergesort")
    n = len(order)
    n_test, n_val = round(n * test_frac), round(n * val_frac)
    return order[: n - n_val - n_test], order[n - n_val - n_test : n - n_test], order[n - n_test :]


def required_tensors(model: SeqModel) -> list[str]:
    m = model.manifest()
    return [n for n, _, _ in m.input_specs() if n != m.cand_user_index]


def check_data(model: SeqModel, data: smp.SampleSet) -> None:
    m = model.manifest()
    missing = [n for n in required_tensors(model) if n not in data.tensors]
    if missing:
        raise SamplesError(
            str(data.meta.get("source", "samples") if data.meta else "samples"),
            f"model {model.name} needs tensors {missing}; build the sample set from "
            f"`python -m seqlane_train manifest --model {model.name}` (or --model all)",
        )
    for name, _dtype, shape in m.input_specs():
        if name == m.cand_user_index:
            continue
        got = data.tensors[name].shape
        if len(got) != len(shape):
            raise SamplesError(name, f"rank {len(got)} but the model expects {shape}")


def predict(
    model: SeqModel, data: smp.SampleSet, names: list[str], cui: str, device: torch.device, batch_size: int
) -> dict[str, np.ndarray]:
    model.eval()
    outs: dict[str, list[np.ndarray]] = {t: [] for t in model.tasks}
    with torch.no_grad():
        for start in range(0, data.rows, batch_size):
            idx = np.arange(start, min(start + batch_size, data.rows))
            res = model(data.batch(idx, names, cui, device))
            for t in model.tasks:
                outs[t].append(res[t].float().cpu().numpy())
    return {t: np.concatenate(v) if v else np.zeros(0, np.float32) for t, v in outs.items()}


def evaluate(pred: dict[str, np.ndarray], data: smp.SampleSet) -> dict[str, Any]:
    click = data.labels[:, 0]
    res: dict[str, Any] = {"rows": data.rows, "positives": int(click.sum())}
    if "ctr" in pred:
        res.update(
            auc=metrics.auc(click, pred["ctr"]),
            gauc=metrics.gauc(click, pred["ctr"], data.user),
            logloss=metrics.logloss(click, pred["ctr"]),
        )
    if "ctcvr" in pred:
        conv = click * data.labels[:, LABEL_COLUMN["purchase"]]
        res.update(ctcvr_auc=metrics.auc(conv, pred["ctcvr"]), ctcvr_logloss=metrics.logloss(conv, pred["ctcvr"]))
    if data.p_true is not None:
        res.update(oracle_auc=metrics.auc(click, data.p_true), oracle_logloss=metrics.logloss(click, data.p_true))
    return res


# Embedding kinds whose rows the mini-batch-aware L2 penalises (ids with per-row frequency).
MBA_FIELDS = ("item", "category")


class MiniBatchAwareL2:
    """DIN paper section 4.3: L2 on only the embedding rows a mini-batch uses, each scaled by 1/n_j.

    n_j is how often id j occurs in the training rows (any slot or candidate tensor of that
    kind). Summed over an epoch every row is penalised about once however frequent it is, so
    rare ids (a target item seen three times) are pulled to zero while frequent ones keep
    their fit; dense parameters are not touched. Plain Adam weight decay instead shrinks every
    row at every step, which starves the frequent rows and category embeddings.
    """

    def __init__(self, model: SeqModel, train: smp.SampleSet, weight: float) -> None:
        self.weight = weight
        self.tensors: dict[str, list[str]] = {k: [] for k in MBA_FIELDS}
        m = model.manifest()
        for spec in [f for s in m.slots for f in s.fields] + list(m.candidate):
            if spec.field in self.tensors and spec.tensor in train.tensors:
                self.tensors[spec.field].append(spec.tensor)
        self.inv_freq: dict[str, torch.Tensor] = {}
        for kind, names in self.tensors.items():
            size = model.emb.tables[f"t_{kind}"].num_embeddings
            counts = np.zeros(size, dtype=np.float64)
            for n in names:
                counts += np.bincount(train.tensors[n].reshape(-1), minlength=size)[:size]
            counts[0] = 0.0  # padding row: no gradient, no penalty
            inv = np.where(counts > 0, 1.0 / np.maximum(counts, 1.0), 0.0)
            # on the embeddings' device once, not copied there at every step
            self.inv_freq[kind] = torch.from_numpy(inv).float().to(model.emb.tables[f"t_{kind}"].weight.device)

    def __call__(self, model: SeqModel, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        total = torch.zeros((), device=next(model.parameters()).device)
        for kind, names in self.tensors.items():
            if not names:
                continue
            ids = torch.unique(torch.cat([batch[n].reshape(-1) for n in names]))
            w = model.emb.tables[f"t_{kind}"].weight.index_select(0, ids)
            total = total + ((w * w).sum(-1) * self.inv_freq[kind].index_select(0, ids)).sum()
        return self.weight * total


def loss_fn(model: SeqModel, out: dict[str, torch.Tensor], labels: torch.Tensor, aux_weight: float) -> torch.Tensor:
    eps = 1e-7
    click = labels[:, 0]
    loss = F.binary_cross_entropy(out["ctr"].clamp(eps, 1 - eps), click)
    if "ctcvr" in out:  # ESMM: CVR learnt only through CTCVR over all exposures
        loss = loss + F.binary_cross_entropy(out["ctcvr"].clamp(eps, 1 - eps), click * labels[:, 2])
    if model.aux_loss is not None:
        loss = loss + aux_weight * model.aux_loss
    return loss


def param_groups(model: SeqModel, lr: float, emb_lr_scale: float) -> list[dict[str, Any]]:
    """Adam groups: the embedding tables at lr * emb_lr_scale, every dense parameter at lr.

    Measured on the Taobao head (training/README.md, "Why the attention models missed the
    category match"): with one learning rate the item and category rows memorise the training
    labels within a few hundred steps, the random near-orthogonality that lets attention see
    "same category" is lost, and validation AUC peaks far below a count of matching
    categories. Frozen rows (scale 0) reach the count; a small scale keeps that and still
    lets frequent ids learn what they carry (item quality on the generated stream).
    """
    emb = [p for n, p in model.named_parameters() if n.startswith("emb.")]
    dense = [p for n, p in model.named_parameters() if not n.startswith("emb.")]
    groups: list[dict[str, Any]] = [{"params": dense, "lr": lr}]
    if emb and emb_lr_scale > 0:
        groups.append({"params": emb, "lr": lr * emb_lr_scale})
    elif emb:
        for p in emb:
            p.requires_grad_(False)
    return groups


def _log(opts: FitOptions, msg: str) -> None:
    if not opts.quiet:
        print(msg, file=sys.stderr, flush=True)


def check_options(opts: FitOptions) -> None:
    """Every range and combination check that needs no data, so a bad flag fails before a large read."""
    sch.check(
        batch_size=opts.batch_size,
        lr=opts.lr,
        epochs=opts.epochs,
        eval_every=opts.eval_every,
        patience=opts.patience,
        min_steps=opts.min_steps,
    )
    sch.check_fractions(opts.val_frac, opts.test_frac, opts.test_data)
    if opts.test_data is not None and not (Path(opts.test_data) / "meta.json").is_file():
        raise SamplesError(f"{opts.test_data}/meta.json", "missing: --test-data must be a sample directory")
    if opts.model not in REGISTRY:
        raise OptionsError("--model", f"{opts.model!r} unknown", f"one of {sorted(REGISTRY)}")
    if isinstance(opts.threads, bool) or not isinstance(opts.threads, int) or opts.threads < 1:
        raise OptionsError("--threads", f"{opts.threads!r}", "an integer >= 1")
    for flag, v in (
        ("--weight-decay", opts.weight_decay),
        ("--emb-l2", opts.emb_l2),
        ("--aux-weight", opts.aux_weight),
        ("--emb-lr-scale", opts.emb_lr_scale),
    ):
        if not (np.isfinite(v) and v >= 0):
            raise OptionsError(flag, f"{v!r}", "a finite number >= 0")


def _check_split(name: str, part: smp.SampleSet, flag: str) -> None:
    click = part.labels[:, 0]
    if part.rows == 0 or click.min() == click.max():
        raise OptionsError(
            flag,
            f"the {name} split has {part.rows} rows, {int(click.sum())} of them clicked",
            f"a fraction that leaves {name} rows of both classes (AUC needs clicks and non-clicks)",
        )


def split(
    opts: FitOptions, data: smp.SampleSet, cfg: ModelConfig, model: SeqModel
) -> tuple[smp.SampleSet, smp.SampleSet, smp.SampleSet]:
    """Train / validation / test: a time split of --data, or of --data into two and --test-data as test."""
    test_frac = sch.check_fractions(opts.val_frac, opts.test_frac, opts.test_data)
    tr_idx, va_idx, te_idx = time_split(data.ts, opts.val_frac, test_frac)
    train, val = data.subset(tr_idx), data.subset(va_idx)
    if train.rows < 2:
        raise OptionsError("--val-frac/--test-frac", f"{train.rows} training rows of {data.rows}", "at least 2")
    _check_split("validation", val, "--val-frac")
    if opts.test_data is None:
        test = data.subset(te_idx)
        _check_split("test", test, "--test-frac")
        return train, val, test
    test = smp.read(opts.test_data)
    check_data(model, test)
    other = ModelConfig.from_data(test.manifest, head=opts.head)
    diff = [
        f"{k} {getattr(other, k)!r} vs {getattr(cfg, k)!r}" for k in asdict(cfg) if getattr(other, k) != getattr(cfg, k)
    ]
    if diff:
        raise SamplesError(opts.test_data, f"manifest does not match --data's ({'; '.join(diff)}); ids would differ")
    _check_split("test", test, "--test-data")
    if test.ts.min() < train.ts.max():
        _log(opts, f"  note: --test-data starts before the newest training row ({test.ts.min()} < {train.ts.max()})")
    return train, val, test


def train_loop(
    model: SeqModel,
    train: smp.SampleSet,
    val: smp.SampleSet,
    plan: sch.Schedule,
    opts: FitOptions,
    device: torch.device,
) -> tuple[float, int, int, list[dict[str, Any]]]:
    """Adam steps with an evaluation every plan.eval_every steps; leaves the best evaluation's weights loaded.

    Returns (best val AUC, its step, steps taken, one history entry per evaluation).
    """
    names = required_tensors(model)
    cui = model.manifest().cand_user_index
    optim = torch.optim.Adam(
        param_groups(model, plan.lr, opts.emb_lr_scale), lr=plan.lr, weight_decay=opts.weight_decay
    )
    mba = MiniBatchAwareL2(model, train, opts.emb_l2) if opts.emb_l2 > 0 else None
    rng = np.random.default_rng(opts.seed)
    labels_all = torch.from_numpy(train.labels)
    best_auc, best_state, best_step, bad = -1.0, None, 0, 0
    history: list[dict[str, Any]] = []
    step, total, since, t0, stop = 0, 0.0, 0, time.time(), False
    for _ in range(plan.epochs):
        model.train()
        perm = rng.permutation(train.rows)
        for start in range(0, train.rows, plan.batch_size):
            idx = perm[start : start + plan.batch_size]
            if len(idx) < 2:
                continue
            batch = train.batch(idx, names, cui, device)
            out = model(batch)
            loss = loss_fn(model, out, labels_all[idx].to(device), opts.aux_weight)
            if mba is not None:
                loss = loss + mba(model, batch)
            optim.zero_grad()
            loss.backward()
            optim.step()
            step, total, since = step + 1, total + float(loss.detach()), since + 1
            if step % plan.eval_every and step != plan.max_steps:
                continue
            val_metrics = evaluate(predict(model, val, names, cui, device, 1024), val)
            history.append(
                {
                    "step": step,
                    "epoch": round(step / plan.steps_per_epoch, 3),
                    "train_loss": total / since,
                    **val_metrics,
                }
            )
            _log(
                opts,
                f"  step {step} (epoch {step / plan.steps_per_epoch:.2f}): loss {total / since:.4f}  "
                f"val auc {val_metrics['auc']:.4f}  gauc {val_metrics['gauc']:.4f}  ({time.time() - t0:.1f}s)",
            )
            total, since, t0 = 0.0, 0, time.time()
            if val_metrics["auc"] > best_auc:
                best_auc, best_step, bad = val_metrics["auc"], step, 0
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                bad += 1
            if bad >= plan.patience and step >= plan.min_steps:
                _log(opts, f"  early stop at step {step}: no val AUC gain in {bad} evaluations")
                stop = True
                break
            model.train()
        if stop:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    return best_auc, best_step, step, history


def fit(opts: FitOptions, data: smp.SampleSet | None = None) -> dict[str, Any]:
    check_options(opts)
    torch.set_num_threads(opts.threads)
    seed_everything(opts.seed)
    device = pick_device(opts.device)
    data = data or smp.read(opts.data)
    cfg = ModelConfig.from_data(data.manifest, head=opts.head)
    model = REGISTRY[opts.model](cfg).to(device)
    check_data(model, data)
    names = required_tensors(model)
    cui = model.manifest().cand_user_index
    train, val, test = split(opts, data, cfg, model)
    plan = sch.resolve(
        train.rows,
        batch_size=opts.batch_size,
        lr=opts.lr,
        epochs=opts.epochs,
        eval_every=opts.eval_every,
        patience=opts.patience,
        min_steps=opts.min_steps,
    )
    n_params = sum(p.numel() for p in model.parameters())
    _log(
        opts,
        f"fit {opts.model}: {train.rows} train / {val.rows} val / {test.rows} test rows"
        f"{' (--test-data)' if opts.test_data else ''}, {n_params} parameters, tasks {list(model.tasks)}, "
        f"device {device}\n  {plan.describe()}",
    )
    best_auc, best_step, steps, history = train_loop(model, train, val, plan, opts, device)
    model = model.to("cpu")
    test_metrics = evaluate(predict(model, test, names, cui, torch.device("cpu"), 1024), test)
    result: dict[str, Any] = {
        "model": opts.model,
        "architecture": model.architecture,
        "tasks": list(model.tasks),
        "best_epoch": math.ceil(best_step / plan.steps_per_epoch),  # the epoch the best evaluation fell in
        "best_step": best_step,
        "steps": steps,
        "rows": {"train": train.rows, "val": val.rows, "test": test.rows},
        "val_auc": best_auc,
        "test": test_metrics,
        "history": history,
        "parameters": n_params,
        "options": asdict(opts),
        "schedule": asdict(plan),
        "config": asdict(cfg),
    }
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save({"model": opts.model, "config": asdict(cfg), "state": model.state_dict()}, out / "model.pt")
    if opts.export:
        m = ex.export(model, out, version=opts.version)
        idx = np.arange(min(test.rows, 64))
        feed = {k: v.numpy() for k, v in test.batch(idx, names, cui, torch.device("cpu")).items()}
        result["parity_max_abs_diff"] = ex.parity_feed(model, (out / "model.onnx").read_bytes(), m, feed)
    (out / "metrics.json").write_text(json.dumps(result, indent=2, default=float) + "\n")
    _log(
        opts,
        f"test auc {test_metrics.get('auc', float('nan')):.4f} gauc {test_metrics.get('gauc', float('nan')):.4f} "
        f"logloss {test_metrics.get('logloss', float('nan')):.4f} -> {out}",
    )
    return result


def load(checkpoint: str | Path) -> SeqModel:
    ck = torch.load(checkpoint, map_location="cpu", weights_only=True)
    cfg_d = dict(ck["config"])
    cfg_d["hidden"] = tuple(cfg_d["hidden"])
    cfg = replace(ModelConfig(), **cfg_d)
    model = REGISTRY[ck["model"]](cfg)
    model.load_state_dict(ck["state"])
    return model.eval()
