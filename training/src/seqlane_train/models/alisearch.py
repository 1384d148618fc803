"""AliSearch-style multi-sequence ranking: target attention per sequence, gated fusion, ESMM.

The model the five stored sequences exist for (MODELS.md): one target attention per source,
each pooled to one vector, fused, then CTR and CVR towers with CTCVR = CTR x CVR (ESMM).

Sources (slots) and the per-record side information added to item ++ category embedding:
- `mixed` (short_mixed, every behaviour type): behaviour type + time-gap embeddings;
- `clicks` (long_click): time gap;
- `purchases` (long_purchase): position (the catalogue slot carries no time gap);
- `device_clicks` (device_click): time gap;
- `exposures` (exposure, shown and not clicked since): time gap.
Each source has its own multi-head attention with the candidate as the query (scaled
dot-product, softmax over the source's real records); the user blocks are embedded once per
user and gathered to candidates. A source with no records pools to the attention's constant
output, so "nothing here" is itself a learnable signal.

Fusion (a choice: the survey says only "pooled and fused"): a gate per source, g_s =
sigmoid(w_s . [candidate, v_s] + b_s), scales each pooled vector, and the gated vectors are
concatenated with the candidate and fed to the towers, whose MLPs do the mixing. A gate lets the
model switch a source off per candidate (an exposure history matters for some items and not
others) while concatenation keeps the sources apart, which an average would not.
"""

from __future__ import annotations

import torch
from torch import nn

from ..layers import MultiHeadAttention
from .base import Inputs, SeqModel
from .config import ModelConfig

SIDE = {
    "mixed": ("type", "time_gap"),
    "clicks": ("time_gap",),
    "purchases": ("position",),
    "device_clicks": ("time_gap",),
    "exposures": ("time_gap",),
}


class AliSearch(SeqModel):
    name = "alisearch"
    family = "transformer"
    architecture = "alisearch"
    slot_names = tuple(SIDE)
    slot_fields = {s: ("item", "category", *side) for s, side in SIDE.items()}
    default_head = "esmm"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d = cfg.rep_dim
        self.att = nn.ModuleDict({s: MultiHeadAttention(d, d, d, cfg.heads) for s in self.slot_names})
        self.gates = nn.ModuleDict({s: nn.Linear(2 * d, 1) for s in self.slot_names})
        self.build_head((len(self.slot_names) + 1) * d)

    def records(self, inputs: Inputs, slot: str) -> torch.Tensor:
        x = self.item_rep(inputs, slot)
        for f in SIDE[slot]:
            x = x + self.emb(f, self.tensor(inputs, slot, f))
        return x

    def pooled(self, inputs: Inputs) -> dict[str, torch.Tensor]:
        """Per source, the candidate's attention-pooled vector [C, d] (before the gate)."""
        q = self.target_rep(inputs).unsqueeze(1)
        out = {}
        for s in self.slot_names:
            kv = self.to_candidates(self.records(inputs, s), inputs)
            km = self.to_candidates(self.mask(inputs, s), inputs)
            out[s] = self.att[s](q, kv, km).squeeze(1)
        return out

    def encode(self, inputs: Inputs) -> torch.Tensor:
        q = self.target_rep(inputs)
        parts = []
        for s, v in self.pooled(inputs).items():
            parts.append(torch.sigmoid(self.gates[s](torch.cat([q, v], dim=-1))) * v)
        return torch.cat([*parts, q], dim=-1)
