"""fit: time-based split, seeded training with early stopping on validation AUC, metrics, export."""

from __future__ import annotations

import json
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
from .errors import SamplesError
from .models import REGISTRY, ModelConfig, SeqModel

LABEL_COLUMN = {"click": 0, "cart": 1, "purchase": 2}


@dataclass(frozen=True)
class FitOptions:
    model: str
    data: str
    out: str
    epochs: int = 10
    batch_size: int = 256
    lr: float = 2e-3
    weight_decay: float = 0.0
    patience: int = 2
    seed: int = 42
    threads: int = 1
    device: str = "auto"
    head: str = "ctr"
    val_frac: float = 0.1
    test_frac: float = 0.1
    aux_weight: float = 1.0
    emb_l2: float = 0.0
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


def _log(opts: FitOptions, msg: str) -> None:
    if not opts.quiet:
        print(msg, file=sys.stderr, flush=True)


def fit(opts: FitOptions, data: smp.SampleSet | None = None) -> dict[str, Any]:
    torch.set_num_threads(opts.threads)
    seed_everything(opts.seed)
    device = pick_device(opts.device)
    data = data or smp.read(opts.data)
    if opts.model not in REGISTRY:
        raise ValueError(f"model {opts.model!r} unknown, expected one of {sorted(REGISTRY)}")
    cfg = ModelConfig.from_data(data.manifest, head=opts.head)
    model = REGISTRY[opts.model](cfg).to(device)
    check_data(model, data)
    names = required_tensors(model)
    cui = model.manifest().cand_user_index
    tr_idx, va_idx, te_idx = time_split(data.ts, opts.val_frac, opts.test_frac)
    train, val, test = data.subset(tr_idx), data.subset(va_idx), data.subset(te_idx)
    n_params = sum(p.numel() for p in model.parameters())
    _log(
        opts,
        f"fit {opts.model}: {train.rows} train / {val.rows} val / {test.rows} test rows, "
        f"{n_params} parameters, tasks {list(model.tasks)}, device {device}",
    )
    optim = torch.optim.Adam(model.parameters(), lr=opts.lr, weight_decay=opts.weight_decay)
    mba = MiniBatchAwareL2(model, train, opts.emb_l2) if opts.emb_l2 > 0 else None
    rng = np.random.default_rng(opts.seed)
    labels_all = torch.from_numpy(train.labels)
    best_auc, best_state, best_epoch, bad = -1.0, None, 0, 0
    history = []
    for epoch in range(1, opts.epochs + 1):
        model.train()
        t0, total, steps = time.time(), 0.0, 0
        perm = rng.permutation(train.rows)
        for start in range(0, train.rows, opts.batch_size):
            idx = perm[start : start + opts.batch_size]
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
            total, steps = total + float(loss.detach()), steps + 1
        val_metrics = evaluate(predict(model, val, names, cui, device, 1024), val)
        history.append({"epoch": epoch, "train_loss": total / max(steps, 1), **val_metrics})
        _log(
            opts,
            f"  epoch {epoch}: loss {total / max(steps, 1):.4f}  val auc {val_metrics.get('auc', float('nan')):.4f}"
            f"  gauc {val_metrics.get('gauc', float('nan')):.4f}  ({time.time() - t0:.1f}s)",
        )
        if val_metrics.get("auc", -1) > best_auc:
            best_auc, best_epoch, bad = val_metrics["auc"], epoch, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= opts.patience:
                _log(opts, f"  early stop: no val AUC gain for {opts.patience} epochs")
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    model = model.to("cpu")
    test_metrics = evaluate(predict(model, test, names, cui, torch.device("cpu"), 1024), test)
    result: dict[str, Any] = {
        "model": opts.model,
        "architecture": model.architecture,
        "tasks": list(model.tasks),
        "best_epoch": best_epoch,
        "val_auc": best_auc,
        "test": test_metrics,
        "history": history,
        "parameters": n_params,
        "options": asdict(opts),
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
