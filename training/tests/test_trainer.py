from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from seqlane_train import manifest as mf
from seqlane_train import samples, synthetic
from seqlane_train.cli import main
from seqlane_train.models import REGISTRY, ModelConfig
from seqlane_train.trainer import FitOptions, fit, time_split
from seqlane_train.union import union_manifest


def make_data(tmp: Path, rows: int = 3000, items: int = 200, cats: int = 40) -> Path:
    cfg = ModelConfig(
        item_buckets=items,
        cat_buckets=cats,
        max_len={"clicks": 16, "short_clicks": 8, "sessions": 4, "cat_match": 6, "carts": 6, "purchases": 6},
        max_sessions=3,
    )
    samples.write(synthetic.sample_set(union_manifest(cfg), rows, seed=1), tmp / "data", source="test")
    return tmp / "data"


def test_time_split_is_ordered() -> None:
    ts = np.array([5.0, 1, 4, 2, 3, 9, 8, 7, 6, 0])
    tr, va, te = time_split(ts, 0.2, 0.2)
    assert ts[tr].max() <= ts[va].min() and ts[va].max() <= ts[te].min()
    assert len(tr) == 6 and len(va) == 2 and len(te) == 2


def test_fit_din_writes_model_metrics_and_matching_onnx(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    opts = FitOptions(
        model="din", data=str(data), out=str(tmp_path / "out"), epochs=3, batch_size=128, lr=5e-3, quiet=True
    )
    res = fit(opts)
    out = tmp_path / "out"
    for f in ("model.pt", "model.onnx", "manifest.json", "metrics.json"):
        assert (out / f).exists(), f
    metrics = json.loads((out / "metrics.json").read_text())
    assert {"auc", "gauc", "logloss", "oracle_auc"} <= set(metrics["test"])
    assert res["parity_max_abs_diff"] <= 1e-5
    m = mf.read(out / "manifest.json")
    assert m.name == "din" and m.slot("clicks").max_len == 16
    assert m.candidate[0].buckets == 200  # adopted from the data
    # deterministic: the same seed gives the same validation curve
    again = fit(FitOptions(**{**opts.__dict__, "out": str(tmp_path / "out2"), "export": False}))
    assert [h["auc"] for h in again["history"]] == [h["auc"] for h in res["history"]]


def test_din_learns_the_sequence_signal(tmp_path: Path) -> None:
    # few items so that the only thing to learn is "target category in the click history"
    data = make_data(tmp_path, rows=6000, items=20, cats=30)
    res = fit(
        FitOptions(
            model="din",
            data=str(data),
            out=str(tmp_path / "o"),
            epochs=4,
            batch_size=128,
            lr=5e-3,
            quiet=True,
            export=False,
        )
    )
    assert res["val_auc"] > 0.6, res["history"]


def test_cli_fit_esmm_and_export(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = make_data(tmp_path, rows=800)
    out = tmp_path / "o"
    assert (
        main(
            [
                "fit",
                "--model",
                "pooling",
                "--data",
                str(data),
                "--out",
                str(out),
                "--epochs",
                "1",
                "--head",
                "esmm",
                "--quiet",
            ]
        )
        == 0
    )
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "ctcvr_auc" in line["test"]
    assert main(["export", "--checkpoint", str(out / "model.pt"), "--out", str(tmp_path / "e")]) == 0
    assert mf.read(tmp_path / "e" / "manifest.json").tasks == ("ctr", "cvr", "ctcvr")
    assert main(["parity", "--checkpoint", str(out / "model.pt"), "--dir", str(tmp_path / "e")]) == 0


def test_missing_slot_is_explained(tmp_path: Path) -> None:
    cfg = ModelConfig(item_buckets=50, cat_buckets=10)
    m = REGISTRY["pooling"](cfg).manifest()
    samples.write(synthetic.sample_set(m, 50), tmp_path / "d", source="test")
    try:
        fit(FitOptions(model="dmt", data=str(tmp_path / "d"), out=str(tmp_path / "o"), quiet=True))
    except Exception as e:
        assert "needs tensors" in str(e) and "manifest --model dmt" in str(e)
    else:
        raise AssertionError("expected a SamplesError")


def test_mini_batch_aware_l2_penalises_only_the_batch_rows_by_inverse_frequency(tmp_path: Path) -> None:
    import torch

    from seqlane_train.trainer import MiniBatchAwareL2

    data = samples.read(make_data(tmp_path))
    model = REGISTRY["din"](ModelConfig.from_data(data.manifest))
    reg = MiniBatchAwareL2(model, data, weight=0.5)
    assert set(reg.tensors["item"]) == {"clicks_item", "target_item"}
    counts = np.bincount(
        np.concatenate([data.tensors["clicks_item"].ravel(), data.tensors["target_item"].ravel()]),
        minlength=model.emb.tables["t_item"].num_embeddings,
    )
    with torch.no_grad():  # only item row 7 and category row 3 are non-zero
        for t in model.emb.tables.values():
            t.weight.zero_()
        model.emb.tables["t_item"].weight[7] = 2.0
        model.emb.tables["t_category"].weight[3] = 1.0
    item_dim = model.emb.dim("item")
    cat_dim = model.emb.dim("category")
    batch = {
        "clicks_item": torch.tensor([[0, 7, 7]]),
        "target_item": torch.tensor([7]),
        "clicks_cat": torch.tensor([[0, 3, 5]]),
        "target_cat": torch.tensor([5]),
    }
    assert counts[7] > 0
    cat_counts = np.bincount(np.concatenate([data.tensors["clicks_cat"].ravel(), data.tensors["target_cat"].ravel()]))
    expected = 0.5 * (4.0 * item_dim / counts[7] + 1.0 * cat_dim / cat_counts[3])  # row 7 once, however often used
    assert float(reg(model, batch).detach()) == pytest.approx(expected, rel=1e-5)
    batch["target_item"] = torch.tensor([9])
    batch["clicks_item"] = torch.tensor([[0, 9, 9]])  # row 7 not in the batch: no penalty on it
    assert float(reg(model, batch).detach()) == pytest.approx(0.5 * cat_dim / cat_counts[3], rel=1e-5)
    # the padding row never counts, and gets no gradient either
    assert float(reg.inv_freq["item"][0]) == 0.0


def test_fit_with_embedding_l2_records_the_option(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    res = fit(
        FitOptions(
            model="pooling",
            data=str(data),
            out=str(tmp_path / "o"),
            epochs=1,
            batch_size=256,
            emb_l2=0.5,
            export=False,
            quiet=True,
        )
    )
    assert res["options"]["emb_l2"] == 0.5 and np.isfinite(res["history"][0]["train_loss"])
