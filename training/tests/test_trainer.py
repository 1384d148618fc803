from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from seqlane_train import manifest as mf
from seqlane_train import samples, schedule, synthetic
from seqlane_train.cli import main
from seqlane_train.errors import OptionsError, SamplesError
from seqlane_train.models import REGISTRY, ModelConfig
from seqlane_train.trainer import FitOptions, fit, time_split
from seqlane_train.union import union_manifest


def make_data(tmp: Path, rows: int = 3000, items: int = 200, cats: int = 40, seed: int = 1, name: str = "data") -> Path:
    cfg = ModelConfig(
        item_buckets=items,
        cat_buckets=cats,
        max_len={"clicks": 16, "short_clicks": 8, "sessions": 4, "cat_match": 6, "carts": 6, "purchases": 6},
        max_sessions=3,
    )
    samples.write(synthetic.sample_set(union_manifest(cfg), rows, seed=seed), tmp / name, source="test")
    return tmp / name


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


def test_defaults_train_a_10k_row_set_past_the_first_evaluation(tmp_path: Path) -> None:
    # With the old epoch-counted defaults (batch 512, patience 2) such a set got 17 steps an
    # epoch and stopped after epoch 1, untrained (logloss 0.693).
    data = make_data(tmp_path, rows=10_000, items=20, cats=30)
    res = fit(FitOptions(model="din", data=str(data), out=str(tmp_path / "o"), export=False, quiet=True))
    plan, hist = res["schedule"], res["history"]
    assert (plan["batch_size"], plan["steps_per_epoch"], plan["eval_every"]) == (64, 125, 50)
    assert plan["lr"] == pytest.approx(2e-3 / 8**0.5)
    assert res["steps"] >= 500 and len(hist) >= 10  # never stopped before min_steps
    assert res["best_step"] > hist[0]["step"], hist  # the best weights come from after the first evaluation
    assert res["val_auc"] > 0.56 and res["test"]["auc"] > 0.55, hist
    assert res["test"]["logloss"] < 0.69


def test_schedule_rules_scale_with_the_data() -> None:
    assert [schedule.auto_batch_size(n) for n in (100, 8_000, 64_000, 720_000, 10_000_000)] == [32, 64, 512, 512, 512]
    assert schedule.auto_lr(512) == pytest.approx(2e-3) and schedule.auto_lr(128) == pytest.approx(1e-3)
    big = schedule.resolve(8_000_000, batch_size=None, lr=None, epochs=10, eval_every=None, patience=4, min_steps=500)
    assert (big.batch_size, big.steps_per_epoch, big.eval_every) == (512, 15625, 3907)  # 4 evaluations an epoch
    small = schedule.resolve(640, batch_size=None, lr=None, epochs=1, eval_every=None, patience=4, min_steps=500)
    assert (small.batch_size, small.steps_per_epoch, small.eval_every, small.max_steps) == (32, 20, 50, 20)
    assert schedule.steps_per_epoch(65, 32) == 2 and schedule.steps_per_epoch(66, 32) == 3  # 1-row tail skipped


def test_early_stop_counts_evaluations_and_waits_for_min_steps(tmp_path: Path) -> None:
    data = make_data(tmp_path, rows=2000)
    opts = FitOptions(
        model="target_only",
        data=str(data),
        out=str(tmp_path / "o"),
        epochs=50,
        batch_size=32,
        eval_every=10,
        patience=2,
        min_steps=120,
        export=False,
        quiet=True,
    )
    res = fit(opts)
    hist = res["history"]
    assert [h["step"] for h in hist] == list(range(10, res["steps"] + 1, 10))
    assert 120 <= res["steps"] < 50 * 50  # stopped early, not before min_steps
    best = max(h["auc"] for h in hist[:-2])
    assert all(h["auc"] <= best for h in hist[-2:])  # the last two evaluations brought no gain
    assert res["best_step"] == next(h["step"] for h in hist if h["auc"] == res["val_auc"])


def test_fractions_are_honoured(tmp_path: Path) -> None:
    data = make_data(tmp_path, rows=3000)
    res = fit(
        FitOptions(
            model="pooling",
            data=str(data),
            out=str(tmp_path / "o"),
            epochs=1,
            val_frac=0.2,
            test_frac=0.05,
            export=False,
            quiet=True,
        )
    )
    assert res["rows"] == {"train": 2250, "val": 600, "test": 150} and res["test"]["rows"] == 150


def test_test_data_is_used_as_the_test_set(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = make_data(tmp_path, rows=3000)
    other = make_data(tmp_path, rows=700, seed=7, name="later")
    out = tmp_path / "o"
    argv = ["fit", "--model", "pooling", "--data", str(data), "--out", str(out), "--epochs", "1", "--no-export"]
    assert main([*argv, "--test-data", str(other), "--val-frac", "0.25", "--quiet"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["rows"] == {"train": 2250, "val": 750, "test": 700}  # all of --data is train + validation
    truth = samples.read(other).labels[:, 0]
    assert metrics["test"]["positives"] == int(truth.sum())
    # a set hashed into other buckets would give the model different ids: refused, naming the field
    mismatched = make_data(tmp_path, rows=700, items=300, name="other-buckets")
    with pytest.raises(SamplesError, match=r"item_buckets 300 vs 200"):
        fit(FitOptions(model="pooling", data=str(data), out=str(out), test_data=str(mismatched), quiet=True))


@pytest.mark.parametrize(
    ("change", "flag"),
    [
        ({"val_frac": 0.0}, "--val-frac"),
        ({"val_frac": 1.0}, "--val-frac"),
        ({"test_frac": -0.1}, "--test-frac"),
        ({"test_frac": 0.0}, "--test-frac"),
        ({"val_frac": 0.5, "test_frac": 0.5}, "--val-frac/--test-frac"),
        ({"test_frac": 0.1, "test_data": "x"}, "--test-frac"),
        ({"epochs": 0}, "--epochs"),
        ({"batch_size": 1}, "--batch-size"),
        ({"lr": 0.0}, "--lr"),
        ({"lr": float("nan")}, "--lr"),
        ({"patience": 0}, "--patience"),
        ({"eval_every": 0}, "--eval-every"),
        ({"min_steps": -1}, "--min-steps"),
        ({"threads": 0}, "--threads"),
        ({"emb_l2": -1.0}, "--emb-l2"),
    ],
)
def test_bad_options_are_refused_before_reading_data(tmp_path: Path, change: dict, flag: str) -> None:
    opts = FitOptions(model="din", data=str(tmp_path / "nowhere"), out=str(tmp_path / "o"), quiet=True, **change)
    with pytest.raises(OptionsError) as e:
        fit(opts)
    assert e.value.option == flag and str(e.value).startswith(f"option {flag}: ")


def test_bad_splits_and_paths_give_clear_errors(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = make_data(tmp_path, rows=60)
    with pytest.raises(OptionsError, match=r"--val-frac: the validation split has 0 rows"):
        fit(FitOptions(model="pooling", data=str(data), out=str(tmp_path / "o"), val_frac=0.005, quiet=True))
    with pytest.raises(SamplesError, match=r"--test-data must be a sample directory"):
        fit(FitOptions(model="pooling", data=str(data), out=str(tmp_path / "o"), test_data=str(tmp_path), quiet=True))
    argv = ["fit", "--model", "pooling", "--data", str(data), "--out", str(tmp_path / "o")]
    assert main([*argv, "--val-frac", "1.5"]) == 2
    err = capsys.readouterr().err
    assert "error: option --val-frac: 1.5 (expected a fraction strictly between 0 and 1)" in err
