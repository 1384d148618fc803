"""Known-answer vectors for docs/ids.md, plus the shared vectors file when it exists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from seqlane_train.ids import bucket, bucket_array, fnv1a64, hex_id, id64

# Computed independently from the spec with a BigInt implementation in Node (not this module).
KNOWN = [
    # raw, id64, {B: bucket}
    ("a", 0xAF63DC4C8601EC8C, {2: 1, 16: 2, 1000: 149, 100000: 49136}),
    ("0", 0, {2: 1, 16: 1, 1000: 1, 100000: 1}),
    ("123", 123, {2: 1, 16: 9, 1000: 27, 100000: 96633}),
    ("9223372036854775807", 0x7FFFFFFFFFFFFFFF, {16: 14, 1000: 332, 100000: 92843}),
    ("9223372036854775808", 0xF7CEF8DA42D0E432, {16: 10, 1000: 532, 100000: 73783}),
    ("00", 0x87FC1807B4BD222D, {16: 11, 1000: 470, 100000: 40952}),
    ("item-42", 0xE3EF766B69258D57, {16: 9, 1000: 978, 100000: 8160}),
    ("\u00e9", 0x8AC21707B7181E01, {16: 13, 1000: 580, 100000: 65821}),
    ("18446744073709551615", 0xEDF2A76B38FC3C54, {16: 12, 1000: 525, 100000: 92568}),
]

SHARED = Path(__file__).resolve().parents[2] / "libs/features/test-vectors/hash-vectors.json"


def test_fnv1a64_of_a() -> None:
    assert fnv1a64(b"a") == 0xAF63DC4C8601EC8C


@pytest.mark.parametrize(("raw", "want", "buckets"), KNOWN)
def test_known_answers(raw: str, want: int, buckets: dict[int, int]) -> None:
    assert id64(raw) == want
    for b, row in buckets.items():
        assert bucket(want, b) == row
        assert bucket_array(np.array([want], dtype=np.uint64), b)[0] == row


def test_integer_ids_are_canonicalised() -> None:
    assert id64(123) == id64("123") == 123
    with pytest.raises(ValueError):
        id64(-1)


def test_hex_id_prints_hashed_ids() -> None:
    assert hex_id(id64("a")) == "#af63dc4c8601ec8c"
    assert hex_id(id64("123")) == "123"


def test_bucket_range_property() -> None:
    rng = np.random.default_rng(0)
    vals = rng.integers(0, 2**63, size=2000, dtype=np.uint64) * np.uint64(2)
    for b in (2, 3, 17, 1000):
        rows = bucket_array(vals, b)
        assert rows.min() >= 1 and rows.max() < b
        assert all(bucket(int(v), b) == r for v, r in zip(vals[:50], rows[:50], strict=True))


def _entries(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, dict):
        for key in ("vectors", "cases", "entries"):
            if isinstance(doc.get(key), list):
                return doc[key]
    if isinstance(doc, list):
        return doc
    raise AssertionError(f"unrecognised layout of {SHARED}")


def _as_int(v: Any) -> int:
    if isinstance(v, int):
        return v
    s = str(v)
    if s.startswith("#"):
        return int(s[1:], 16)
    return int(s, 16) if s.lower().startswith("0x") else int(s)


@pytest.mark.skipif(
    not SHARED.exists(), reason=f"shared vectors {SHARED} not written yet (TypeScript side, libs/features)"
)
def test_shared_vectors() -> None:
    entries = _entries(json.loads(SHARED.read_text()))
    assert entries, "shared vectors file is empty"
    for e in entries:
        raw = e.get("raw", e.get("input", e.get("id")))
        want = _as_int(e.get("id64", e.get("hash")))
        assert id64(raw) == want, f"id64({raw!r})"
        buckets = e.get("buckets", {})
        items = (
            buckets.items()
            if isinstance(buckets, dict)
            else [(x["B"] if "B" in x else x["size"], x["bucket"]) for x in buckets]
        )
        for b, row in items:
            assert bucket(want, int(b)) == int(row), f"bucket({raw!r}, {b})"
