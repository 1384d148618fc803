"""The third parity leg: PyTorch's outputs against the scorer's own runtime, onnxruntime-node.

Each model is briefly trained, exported with its parity files, and published with
`seqlane models publish`, which refuses a model whose onnxruntime-node outputs differ from
PyTorch's by more than 1e-5. Needs the TypeScript build (`npm test` builds it first).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import torch
from test_parity import CFG, brief_train

from seqlane_train import export as ex
from seqlane_train.models import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "services" / "cli" / "dist" / "main.js"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_onnxruntime_node_matches_pytorch(name: str, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not CLI.exists():
        pytest.skip(f"needs node and the built CLI ({CLI}); run `npm run build` first")
    torch.manual_seed(0)
    model = REGISTRY[name](CFG)
    brief_train(model)
    out = tmp_path / "export"
    m = ex.export(model, out)  # writes the parity files too
    assert (out / "parity" / "meta.json").exists()
    r = subprocess.run(
        [
            node,
            str(CLI),
            "models",
            "publish",
            "--from",
            str(out),
            "--registry",
            str(tmp_path / "reg"),
            "--require-parity",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert f"published {m.name} v1" in r.stdout
    assert (tmp_path / "reg" / m.name / "1" / "model.onnx").exists()
