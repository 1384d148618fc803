"""ONNX export with dynamic U, C (and length) axes, manifest.json beside it, and a parity check."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import manifest as mf
from . import synthetic
from .models import SeqModel
from .parity_files import write_parity_files

OPSET = 17


class _Positional(nn.Module):
    """ONNX export needs positional inputs; this zips them back into the model's dict."""

    def __init__(self, model: SeqModel, names: list[str], outputs: list[str], tasks: list[str]) -> None:
        super().__init__()
        self.model, self.names, self.tasks = model, names, tasks

    def forward(self, *tensors: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = self.model(dict(zip(self.names, tensors, strict=True)))
        return tuple(out[t] for t in self.tasks)


def dynamic_axes(model: SeqModel, m: mf.Manifest) -> dict[str, dict[int, str]]:
    axes: dict[str, dict[int, str]] = {}
    for name, _dtype, shape in m.input_specs():
        ax: dict[int, str] = {}
        for i, sym in enumerate(shape):
            static = any(sym in (f"L_{s}", f"S_{s}") for s in model.static_length)
            if sym.startswith("S_"):
                static = True  # sessions are unrolled by the Bi-LSTM
            if not static:
                ax[i] = sym
        axes[name] = ax
    for out in m.output_names():
        axes[out] = {0: "C"}
    return axes


def to_onnx(model: SeqModel, m: mf.Manifest) -> bytes:
    """Trace with a small synthetic batch (U=2, C=3) and return the serialised graph."""
    model = model.eval()
    specs = m.input_specs()
    names = [n for n, _, _ in specs]
    feed = synthetic.inputs(m, users=2, cands=3, seed=1)
    args = tuple(torch.from_numpy(feed[n]) for n in names)
    wrapper = _Positional(model, names, m.output_names(), list(m.tasks))
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper,
            args,
            buf,
            dynamo=False,
            input_names=names,
            output_names=m.output_names(),
            dynamic_axes=dynamic_axes(model, m),
            opset_version=OPSET,
            do_constant_folding=True,
        )
    return buf.getvalue()


def export(model: SeqModel, out_dir: str | Path, version: str = "1") -> mf.Manifest:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    m = model.manifest(version=version)
    (out / "model.onnx").write_bytes(to_onnx(model, m))
    mf.write(m, out / "manifest.json")
    # Inputs and PyTorch's outputs beside the model: `seqlane models publish` replays them
    # through onnxruntime-node, the scorer's runtime, before the model can serve.
    write_parity_files(model, m, out)
    return m


def parity(
    model: SeqModel,
    onnx_bytes: bytes,
    m: mf.Manifest,
    users: int,
    cands: int,
    lengths: dict[str, int] | None = None,
    seed: int = 7,
) -> float:
    """Max |torch - onnxruntime| over all outputs for one synthetic batch."""
    return parity_feed(model, onnx_bytes, m, synthetic.inputs(m, users, cands, lengths, seed=seed))


def parity_feed(model: SeqModel, onnx_bytes: bytes, m: mf.Manifest, feed: dict[str, np.ndarray]) -> float:
    """Max |torch - onnxruntime| over all outputs for the given input arrays."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(onnx_bytes, opts, providers=["CPUExecutionProvider"])
    want_names = {i.name for i in sess.get_inputs()}
    got = sess.run(m.output_names(), {k: v for k, v in feed.items() if k in want_names})
    model.eval()
    with torch.no_grad():
        ref = model({k: torch.from_numpy(v) for k, v in feed.items()})
    return max(float(np.abs(g - ref[t].numpy()).max()) if g.size else 0.0 for g, t in zip(got, m.tasks, strict=True))


def write_parity_report(path: Path, results: dict[str, float]) -> None:
    path.write_text(json.dumps(results, indent=2) + "\n")
