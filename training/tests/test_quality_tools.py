"""The no-learning rule, the seed-aggregated table and plot, and the embedding learning-rate scale."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from seqlane_train import rules, samples, synthetic, table
from seqlane_train.cli import main
from seqlane_train.errors import OptionsError
from seqlane_train.models import REGISTRY, ModelConfig
from seqlane_train.trainer import param_groups, time_split
from seqlane_train.union import union_manifest

CFG = ModelConfig(
    item_buckets=50,
    cat_buckets=10,
    max_len={"clicks": 6, "short_clicks": 4, "sessions": 3, "cat_match": 3, "carts": 3, "purchases": 3},
    max_sessions=2,
)


def small_set(rows: int = 40, seed: int = 3) -> samples.SampleSet:
    return synthetic.sample_set(union_manifest(CFG), rows, seed=seed)


def test_cat_share_counts_matching_past_clicks_only() -> None:
    s = small_set(3)
    s.tensors["clicks_cat"][:] = np.array([[0, 0, 4, 4, 5, 9], [1, 2, 3, 5, 6, 7], [0, 0, 0, 0, 0, 0]])
    s.tensors["clicks_mask"][:] = np.array([[0, 0, 1, 1, 1, 1], [0, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]], np.float32)
    s.tensors["target_cat"][:] = np.array([4, 1, 0])  # row 1: category 1 sits in a padded position
    np.testing.assert_allclose(rules.score(s, "cat_share"), [0.5, 0.0, 0.0])


def test_rule_scores_fits_test_rows_and_renders_as_a_reference_row(tmp_path: Path) -> None:
    s = small_set(200)
    samples.write(s, tmp_path / "d", source="test")
    res = rules.evaluate(tmp_path / "d", tmp_path / "rule", "cat_share", val_frac=0.2, test_frac=0.25)
    _, _, te = time_split(s.ts, 0.2, 0.25)
    assert res["test"]["rows"] == len(te) and res["test"]["logloss"] is None
    written = json.loads((tmp_path / "rule" / "metrics.json").read_text())
    assert written["kind"] == "rule" and written["model"] == "rule:cat_share"
    md = table.render([tmp_path / "rule"])
    assert "**rule:cat_share**" in md and "no learning" in md
    with pytest.raises(OptionsError, match="--rule"):
        rules.score(s, "popularity")


def _metrics(d: Path, model: str, auc: float, seed: int, oracle: float | None = None) -> Path:
    d.mkdir(parents=True)
    test = {"auc": auc, "gauc": auc - 0.01, "logloss": 0.5}
    if oracle is not None:
        test["oracle_auc"] = oracle
    doc = {"model": model, "architecture": model, "test": test, "best_step": 100 * seed}
    doc["parity_max_abs_diff"] = 1e-7
    (d / "metrics.json").write_text(json.dumps(doc))
    return d


def test_table_gives_mean_sd_and_range_over_seeds_and_the_oracle(tmp_path: Path) -> None:
    dirs = [_metrics(tmp_path / f"din{s}", "din", a, s, 0.9) for s, a in ((1, 0.70), (2, 0.72), (3, 0.74))]
    dirs.append(_metrics(tmp_path / "pool1", "pooling", 0.60, 1))
    md = table.render(dirs).splitlines()
    din = next(line for line in md if line.startswith("| din "))
    assert "| 3 | 0.7200 ± 0.0200 | 0.7000 to 0.7400 |" in din
    assert "| 200 |" in din  # mean best step
    pool = next(line for line in md if line.startswith("| pooling "))
    assert "| 1 | 0.6000 | - |" in pool
    assert md[-1].startswith("| **oracle** ") and "0.9000" in md[-1]
    svg = table.plot_svg(dirs, "t")
    assert svg.count("<circle") == 2 and "oracle 0.900" in svg and "din: 0.7200 ± 0.0200 over 3 seeds" in svg


def test_cli_table_writes_the_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _metrics(tmp_path / "a", "bst", 0.8, 1)
    assert main(["table", str(d), "--svg", str(tmp_path / "p.svg")]) == 0
    assert "| bst |" in capsys.readouterr().out
    assert (tmp_path / "p.svg").read_text().startswith("<svg")


def test_embedding_tables_learn_at_the_scaled_rate_and_zero_freezes_them() -> None:
    def steps(scale: float) -> tuple[float, float]:
        torch.manual_seed(0)
        model = REGISTRY["din"](CFG)
        before = {n: p.detach().clone() for n, p in model.named_parameters()}
        opt = torch.optim.Adam(param_groups(model, 1e-2, scale), lr=1e-2)
        feed = {k: torch.from_numpy(v) for k, v in synthetic.inputs(model.manifest(), 4, 8, seed=1).items()}
        for _ in range(3):
            loss = model(feed)["ctr"].mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        moved = {n: float((p.detach() - before[n]).abs().max()) for n, p in model.named_parameters()}
        emb = max(v for n, v in moved.items() if n.startswith("emb."))
        dense = max(v for n, v in moved.items() if not n.startswith("emb."))
        return emb, dense

    emb_full, dense_full = steps(1.0)
    emb_small, dense_small = steps(0.03)
    emb_zero, _ = steps(0.0)
    assert emb_zero == 0.0
    assert 0 < emb_small < 0.1 * emb_full  # Adam's step is about lr per element: 0.03 x
    assert dense_small > 0.5 * dense_full


def test_embedding_rows_start_near_unit_norm() -> None:
    model = REGISTRY["din"](ModelConfig(item_buckets=5000, cat_buckets=2000))
    w = model.emb.tables["t_category"].weight.detach()[1:]
    norms = (w * w).sum(-1)
    assert abs(float(norms.mean()) - 1.0) < 0.05
    assert float(model.emb.tables["t_category"].weight.detach()[0].abs().max()) == 0.0  # padding row stays zero
