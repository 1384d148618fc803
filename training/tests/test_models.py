"""Every model: shapes, probabilities, and user-major == one block per candidate."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from seqlane_train import synthetic
from seqlane_train.models import REGISTRY, ModelConfig

CFG = ModelConfig(
    item_buckets=60,
    cat_buckets=12,
    max_len={
        "clicks": 10,
        "short_clicks": 6,
        "sessions": 4,
        "cat_match": 5,
        "carts": 5,
        "purchases": 5,
        "mixed": 6,
        "device_clicks": 5,
        "exposures": 5,
    },
    max_sessions=3,
)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_user_major_equals_expanded(name: str) -> None:
    torch.manual_seed(0)
    model = REGISTRY[name](CFG).eval()
    m = model.manifest()
    feed = synthetic.inputs(m, users=3, cands=7, seed=5)
    with torch.no_grad():
        out = model({k: torch.from_numpy(v) for k, v in feed.items()})
    # the same candidates, each with its own copy of its user block (cand_user_index = arange)
    cui = feed[m.cand_user_index]
    user_slots = {s.name for s in m.slots if s.view != "category_match"}
    expanded = {}
    for s in m.slots:
        for t in [s.mask] + [f.tensor for f in s.fields]:
            expanded[t] = feed[t][cui] if s.name in user_slots else feed[t]
    for c in m.candidate:
        expanded[c.tensor] = feed[c.tensor]
    expanded[m.cand_user_index] = np.arange(len(cui))
    with torch.no_grad():
        ref = model({k: torch.from_numpy(v) for k, v in expanded.items()})
    assert set(out) == set(m.tasks)
    for t in m.tasks:
        assert out[t].shape == (7,) and out[t].dtype == torch.float32
        assert torch.all((out[t] >= 0) & (out[t] <= 1))
        assert torch.allclose(out[t], ref[t], atol=1e-6)


def test_dien_auxiliary_loss_only_in_training() -> None:
    torch.manual_seed(0)
    model = REGISTRY["dien"](CFG)
    feed = {k: torch.from_numpy(v) for k, v in synthetic.inputs(model.manifest(), 4, 6, seed=1).items()}
    model.train()
    model(feed)
    assert model.aux_loss is not None and float(model.aux_loss.detach()) > 0
    model.eval()
    model(feed)
    assert model.aux_loss is None


@pytest.mark.parametrize("name", ["din", "dmt"])
def test_esmm_head_multiplies(name: str) -> None:
    from dataclasses import replace

    model = REGISTRY[name](replace(CFG, head="esmm")).eval()
    feed = {k: torch.from_numpy(v) for k, v in synthetic.inputs(model.manifest(), 2, 4).items()}
    out = model(feed)
    assert model.manifest().tasks == ("ctr", "cvr", "ctcvr")
    assert torch.allclose(out["ctcvr"], out["ctr"] * out["cvr"])
