"""Training sample sets (docs/samples.md): read a directory into arrays, write one, batch it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

from . import contracts
from . import manifest as mf
from .errors import SamplesError

# The dtypes a sample tensor may have: the samples-meta contract's list (numpy names them alike).
_META = contracts.schema("samples-meta.v1")
DTYPES = {name: np.dtype(name).type for name in _META["properties"]["tensors"]["items"]["properties"]["dtype"]["enum"]}
LABELS = ("click", "cart", "purchase")


@dataclass
class SampleSet:
    """One row per candidate; user tensors repeat the candidate's user block (cand_user_index = row)."""

    manifest: mf.Manifest
    tensors: dict[str, np.ndarray]
    labels: np.ndarray  # float32 [N, 3] click, cart, purchase
    ts: np.ndarray  # float64 [N] ms
    user: np.ndarray  # uint64 [N]
    p_true: np.ndarray | None = None
    meta: dict[str, Any] | None = None

    @property
    def rows(self) -> int:
        return int(self.labels.shape[0])

    def subset(self, idx: np.ndarray) -> SampleSet:
        return SampleSet(
            self.manifest,
            {k: v[idx] for k, v in self.tensors.items()},
            self.labels[idx],
            self.ts[idx],
            self.user[idx],
            None if self.p_true is None else self.p_true[idx],
            self.meta,
        )

    def batch(
        self, idx: np.ndarray, names: list[str], cand_user_index: str, device: torch.device
    ) -> dict[str, torch.Tensor]:
        """Model inputs for rows idx; each row is its own user block, so cand_user_index = arange."""
        out = {n: torch.from_numpy(np.ascontiguousarray(self.tensors[n][idx])).to(device) for n in names}
        out[cand_user_index] = torch.arange(len(idx), dtype=torch.int64, device=device)
        return out


def _read_bin(path: Path, dtype: Any, shape: tuple[int, ...]) -> np.ndarray:
    if not path.exists():
        raise SamplesError(str(path), "missing")
    want = int(np.prod(shape)) * np.dtype(dtype).itemsize
    got = path.stat().st_size
    if got != want:
        raise SamplesError(str(path), f"has {got} bytes, expected {want} for {np.dtype(dtype).name}{list(shape)}")
    return np.fromfile(path, dtype=np.dtype(dtype).newbyteorder("<")).astype(dtype, copy=False).reshape(shape)


def read(directory: str | Path) -> SampleSet:
    d = Path(directory)
    meta_path = d / "meta.json"
    if not meta_path.exists():
        raise SamplesError(str(meta_path), "missing (is this a seqlane sample directory?)")
    meta = json.loads(meta_path.read_text())
    if not isinstance(meta, dict) or meta.get("format") != "seqlane-samples" or meta.get("format_version") != 1:
        got = meta if not isinstance(meta, dict) else f"{meta.get('format')!r} v{meta.get('format_version')!r}"
        raise SamplesError(str(meta_path), f"format {got}, expected seqlane-samples v1")
    # The rest of meta.json's structure: libs/contracts/schemas/samples-meta.v1.schema.json.
    error = next(iter(contracts.validator("samples-meta.v1").iter_errors(meta)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "$"
        raise SamplesError(str(meta_path), f"{where}: {error.message}")
    n = meta["rows"]
    manifest = mf.from_dict(meta["manifest"])
    tensors: dict[str, np.ndarray] = {}
    for t in meta.get("tensors", []):
        shape = tuple(int(x) for x in t["shape"])
        if not shape or shape[0] != n:
            raise SamplesError(t["name"], f"shape {list(shape)} does not start with rows={n}")
        if t["dtype"] not in DTYPES:
            raise SamplesError(t["name"], f"dtype {t['dtype']!r} unknown, expected one of {sorted(DTYPES)}")
        tensors[t["name"]] = _read_bin(d / f"{t['name']}.bin", DTYPES[t["dtype"]], shape)
    labels = _read_bin(d / "labels.bin", np.float32, (n, 3))
    ts = _read_bin(d / "ts.bin", np.float64, (n,))
    user = _read_bin(d / "user.bin", np.uint64, (n,))
    p_true = _read_bin(d / "p_true.bin", np.float32, (n,)) if (d / "p_true.bin").exists() else None
    return SampleSet(manifest, tensors, labels, ts, user, p_true, meta)


def write(s: SampleSet, directory: str | Path, source: str) -> None:
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    specs = []
    for name, raw in s.tensors.items():
        arr = np.ascontiguousarray(raw)
        arr.astype(arr.dtype.newbyteorder("<"), copy=False).tofile(d / f"{name}.bin")
        specs.append({"name": name, "dtype": arr.dtype.name, "shape": list(arr.shape)})
    s.labels.astype("<f4").tofile(d / "labels.bin")
    s.ts.astype("<f8").tofile(d / "ts.bin")
    s.user.astype("<u8").tofile(d / "user.bin")
    if s.p_true is not None:
        s.p_true.astype("<f4").tofile(d / "p_true.bin")
    meta = {
        "format": "seqlane-samples",
        "format_version": 1,
        "rows": s.rows,
        "manifest": s.manifest.to_dict(),
        "tensors": specs,
        "labels": list(LABELS),
        "source": source,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (d / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
