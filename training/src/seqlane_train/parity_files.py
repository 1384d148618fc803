"""Parity fixtures beside an exported model, for the TypeScript side's onnxruntime-node leg.

`<out>/parity/meta.json` lists input and expected output tensors (PyTorch's outputs); each
tensor is a raw little-endian file `<name>.bin`. `seqlane models publish` runs the same inputs
through onnxruntime-node and refuses the model unless every output agrees within `tolerance`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from . import manifest as mf
from . import synthetic
from .models import SeqModel

TOLERANCE = 1e-5


def write_parity_files(
    model: SeqModel, m: mf.Manifest, out_dir: str | Path, users: int = 3, cands: int = 7, seed: int = 11
) -> Path:
    """Writes one synthetic user-major batch and the model's PyTorch outputs for it."""
    lengths = {s.name: s.max_len for s in m.slots if s.name in getattr(model, "static_length", ())}
    feed = synthetic.inputs(m, users, cands, lengths or None, seed=seed)
    model.eval()
    with torch.no_grad():
        out = model({k: torch.from_numpy(v) for k, v in feed.items()})
    pdir = Path(out_dir) / "parity"
    pdir.mkdir(parents=True, exist_ok=True)

    def put(name: str, arr: np.ndarray) -> dict[str, object]:
        arr = np.ascontiguousarray(arr)
        dtype = {np.dtype(np.int64): "int64", np.dtype(np.float32): "float32"}[arr.dtype]
        (pdir / f"{name}.bin").write_bytes(arr.astype(arr.dtype.newbyteorder("<")).tobytes())
        return {"name": name, "dtype": dtype, "shape": list(arr.shape), "file": f"{name}.bin"}

    meta = {
        "tolerance": TOLERANCE,
        "inputs": [put(n, feed[n]) for n, _, _ in m.input_specs()],
        "outputs": [put(m.outputs[t], out[t].numpy().astype(np.float32)) for t in m.tasks],
    }
    (pdir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return pdir
