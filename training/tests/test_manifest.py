from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from seqlane_train import manifest as mf
from seqlane_train.errors import ManifestError
from seqlane_train.models import REGISTRY, ModelConfig
from seqlane_train.union import union_manifest

DOC = Path(__file__).resolve().parents[2] / "docs/manifest.md"


def test_doc_example_validates() -> None:
    block = DOC.read_text().split("```json", 1)[1].split("```", 1)[0]
    doc = json.loads(re.sub(r"//[^\n]*", "", block))
    m = mf.from_dict(doc)
    assert m.slots[0].field_spec("item").buckets == 100000  # type: ignore[union-attr]
    assert mf.from_dict(m.to_dict()) == m


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_model_manifest_round_trips(name: str, tmp_path: Path) -> None:
    m = REGISTRY[name](ModelConfig(item_buckets=100, cat_buckets=10)).manifest(version="7")
    mf.write(m, tmp_path / "manifest.json")
    back = mf.read(tmp_path / "manifest.json")
    assert back == m and back.version == "7" and set(back.outputs) == set(back.tasks)


def test_union_manifest_is_valid() -> None:
    m = union_manifest(ModelConfig())
    assert mf.from_dict(m.to_dict()) == m
    assert {s.name for s in m.slots} >= {"clicks", "sessions", "cat_match", "carts", "purchases"}


@pytest.mark.parametrize(
    ("path", "mutate"),
    [
        ("$.name", lambda d: d.update(name="Bad Name")),
        ("$.tasks", lambda d: d.update(tasks=[])),
        ("$.slots[0].view", lambda d: d["slots"][0].update(view="tree")),
        ("$.slots[0].length_buckets", lambda d: d["slots"][0].update(length_buckets=[8, 4])),
        ("$.slots[0].fields[0].buckets", lambda d: d["slots"][0]["fields"][0].pop("buckets")),
        ("$.outputs.ctr", lambda d: d.update(outputs={"cvr": "cvr"})),  # the first of two: ctr missing, cvr untasked
        ("$.candidate", lambda d: d.update(candidate=[])),
    ],
)
def test_validation_names_the_field(path: str, mutate, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d = REGISTRY["din"](ModelConfig()).manifest().to_dict()
    mutate(d)
    with pytest.raises(ManifestError) as e:
        mf.from_dict(d)
    assert e.value.field == path
    assert path in str(e.value) and "expected" in str(e.value)
