"""id64 and bucket exactly as docs/ids.md (pinned by libs/features/test-vectors/hash-vectors.json)."""

from __future__ import annotations

import re

import numpy as np

MASK64 = (1 << 64) - 1
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
_NUMERIC = re.compile(r"^(0|[1-9][0-9]{0,18})$")


def canonical(raw: str | int) -> str:
    """Canonical id string: integers become their decimal string; strings are kept."""
    if isinstance(raw, bool):
        raise TypeError("an id is a string or a non-negative integer, not a bool")
    if isinstance(raw, int):
        if raw < 0 or raw > 2**53 - 1:
            raise ValueError(f"integer id {raw} is not a non-negative safe integer")
        return str(raw)
    return raw


def fnv1a64(data: bytes) -> int:
    h = FNV_OFFSET
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK64
    return h


def id64(raw: str | int) -> int:
    """Canonical id -> unsigned 64-bit id (numeric ids below 2^63 stay as they are)."""
    s = canonical(raw)
    if _NUMERIC.match(s):
        v = int(s)
        if v < 2**63:
            return v
    return fnv1a64(s.encode("utf-8")) | (1 << 63)


def splitmix64_finalize(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def bucket(value: int, buckets: int) -> int:
    """id64 -> embedding row in [1, buckets); row 0 (padding) is chosen by callers via the mask."""
    if buckets < 2:
        raise ValueError(f"buckets must be >= 2, got {buckets}")
    return 1 + splitmix64_finalize(value & MASK64) % (buckets - 1)


def bucket_array(values: np.ndarray, buckets: int) -> np.ndarray:
    """Vectorised bucket() over a uint64 array; returns int64 rows."""
    if buckets < 2:
        raise ValueError(f"buckets must be >= 2, got {buckets}")
    z = values.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (np.uint64(1) + z % np.uint64(buckets - 1)).astype(np.int64)


def hex_id(value: int) -> str:
    """How replay prints a hashed id: '#' + 16 lowercase hex digits; numeric ids print as is."""
    return f"#{value:016x}" if value >= 2**63 else str(value)
