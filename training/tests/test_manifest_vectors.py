"""The shared manifest vectors (libs/contracts/vectors/manifest/): the verdict and issue paths of
seqlane_train.manifest.check must equal those of libs/models (manifest-vectors.test.ts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seqlane_train import manifest as mf
from seqlane_train.errors import ManifestError

VECTORS = Path(__file__).resolve().parents[2] / "libs/contracts/vectors/manifest"
FILES = sorted(VECTORS.glob("*.json"))


def test_there_are_enough_vectors() -> None:
    verdicts = [json.loads(f.read_text())["valid"] for f in FILES]
    assert verdicts.count(True) >= 6 and verdicts.count(False) >= 15


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_vector(file: Path) -> None:
    v = json.loads(file.read_text())
    assert v["valid"] == (not v["issues"])
    issues = mf.check(v["manifest"])
    assert sorted(i.path for i in issues) == sorted(v["issues"]), [tuple(i) for i in issues]
    if not v["valid"]:
        with pytest.raises(ManifestError) as e:
            mf.from_dict(v["manifest"])
        first = issues[0].path
        assert e.value.field == (first if first == "$" else f"$.{first}")
    elif all("mask" in s for s in v["manifest"]["slots"]):
        m = mf.from_dict(v["manifest"])  # training can build it, and writes back what it read
        assert mf.check(m.to_dict()) == [] and mf.from_dict(m.to_dict()) == m
