from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from seqlane_train import samples, synthetic
from seqlane_train.errors import SamplesError
from seqlane_train.models import ModelConfig
from seqlane_train.union import union_manifest


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    m = union_manifest(ModelConfig(item_buckets=50, cat_buckets=10))
    s = synthetic.sample_set(m, 40, seed=3)
    samples.write(s, tmp_path, source="test")
    back = samples.read(tmp_path)
    assert back.rows == 40 and back.manifest == m
    for k, v in s.tensors.items():
        np.testing.assert_array_equal(back.tensors[k], v)
    np.testing.assert_array_equal(back.labels, s.labels)
    np.testing.assert_array_equal(back.user, s.user)
    assert back.p_true is not None
    batch = back.batch(np.array([3, 5]), ["clicks_item"], "cand_user_index", __import__("torch").device("cpu"))
    assert batch["cand_user_index"].tolist() == [0, 1]
    assert tuple(batch["clicks_item"].shape) == (2, 50)


def test_truncated_tensor_file_is_reported(tmp_path: Path) -> None:
    m = union_manifest(ModelConfig(item_buckets=50, cat_buckets=10))
    samples.write(synthetic.sample_set(m, 10), tmp_path, source="test")
    f = tmp_path / "clicks_item.bin"
    f.write_bytes(f.read_bytes()[:-8])
    with pytest.raises(SamplesError, match=r"clicks_item\.bin.*bytes, expected"):
        samples.read(tmp_path)


def test_not_a_sample_dir(tmp_path: Path) -> None:
    with pytest.raises(SamplesError, match=r"meta\.json"):
        samples.read(tmp_path)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda m: m["tensors"][0].update(dtype="int8"), "tensors/0/dtype"),
        (lambda m: m.update(rows=-1), "rows"),
        (lambda m: m.update(labels=["click"]), "labels"),
        (lambda m: m.pop("tensors"), "$"),
    ],
)
def test_meta_json_is_checked_against_the_samples_meta_contract(tmp_path: Path, change, where: str) -> None:
    import json

    m = union_manifest(ModelConfig(item_buckets=50, cat_buckets=10))
    samples.write(synthetic.sample_set(m, 10), tmp_path, source="test")
    meta_path = tmp_path / "meta.json"
    meta = json.loads(meta_path.read_text())
    change(meta)
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(SamplesError, match=rf"meta\.json.*{re.escape(where)}: "):
        samples.read(tmp_path)
