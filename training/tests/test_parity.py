"""PyTorch vs onnxruntime (Python) on briefly trained tiny models: max |diff| <= 1e-5.

Each exported graph is checked on batch shapes other than the one it was traced with
(different U, C and, where the axis is dynamic, different lengths).
"""

from __future__ import annotations

import onnx
import pytest
import torch
import torch.nn.functional as F

from seqlane_train import export as ex
from seqlane_train import synthetic
from seqlane_train.models import REGISTRY, ModelConfig, SeqModel

CFG = ModelConfig(
    item_buckets=80,
    cat_buckets=12,
    max_len={
        "clicks": 12,
        "short_clicks": 8,
        "sessions": 5,
        "cat_match": 6,
        "carts": 8,
        "purchases": 8,
        "mixed": 8,
        "device_clicks": 6,
        "exposures": 6,
    },
    max_sessions=3,
)
TOL = 1e-5


def brief_train(model: SeqModel, steps: int = 15) -> None:
    """A few Adam steps so weights, Dice running stats and LayerNorms move off their init."""
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    model.train()
    for step in range(steps):
        feed = {k: torch.from_numpy(v) for k, v in synthetic.inputs(model.manifest(), 8, 16, seed=100 + step).items()}
        out = model(feed)
        target = (feed["target_cat"] % 2).float()
        loss = sum(F.binary_cross_entropy(out[t].clamp(1e-6, 1 - 1e-6), target) for t in out)
        if model.aux_loss is not None:
            loss = loss + model.aux_loss
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_parity(name: str) -> None:
    torch.manual_seed(0)
    model = REGISTRY[name](CFG)
    brief_train(model)
    m = model.manifest()
    graph = ex.to_onnx(model, m)
    onnx.checker.check_model(onnx.load_from_string(graph))
    full = {s.name: s.max_len for s in m.slots}
    shorter = {s.name: (s.max_len if s.name in model.static_length else s.max_len - 3) for s in m.slots}
    for users, cands, lengths in [(1, 1, full), (5, 13, shorter), (4, 4, full)]:
        diff = ex.parity(model, graph, m, users, cands, lengths, seed=users * 31 + cands)
        assert diff <= TOL, f"{name}: U={users} C={cands} lengths={lengths}: max diff {diff}"


def test_dynamic_axes_are_declared() -> None:
    model = REGISTRY["din"](CFG)
    g = onnx.load_from_string(ex.to_onnx(model, model.manifest()))
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in g.graph.input}
    assert dims["clicks_item"] == ["U", "L_clicks"]
    assert dims["target_item"] == ["C"] and dims["cand_user_index"] == ["C"]
    out = {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in g.graph.output}
    assert out["ctr"] == ["C"]


def test_dien_length_is_static() -> None:
    model = REGISTRY["dien"](CFG)
    m = model.manifest()
    assert m.slot("clicks").length_buckets is None
    g = onnx.load_from_string(ex.to_onnx(model, m))
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in g.graph.input}
    assert dims["clicks_item"] == ["U", 12]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_graph_inputs_are_exactly_the_manifest(name: str) -> None:
    """The scorer feeds what the manifest lists: every listed tensor must be a graph input, in order."""
    model = REGISTRY[name](CFG)
    m = model.manifest()
    g = onnx.load_from_string(ex.to_onnx(model, m))
    listed = [n for n, _, _ in m.input_specs()]
    if not m.slots:  # no user blocks to gather: the graph has no use for cand_user_index
        listed.remove(m.cand_user_index)
    assert [i.name for i in g.graph.input] == listed
    assert [o.name for o in g.graph.output] == m.output_names()
