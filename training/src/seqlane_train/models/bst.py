"""BST (DLP-KDD'19): one transformer block over ~20 recent clicks plus the target item.

Each behaviour is item ++ category embedding plus a time-gap embedding (the paper's
"position" = how long ago); the target gets its own learned position vector. The block is
built from explicit matmuls (no nn.MultiheadAttention fast path) so the export is exact.
"""

from __future__ import annotations

import torch
from torch import nn

from ..layers import masked_mean
from .base import Inputs, SeqModel
from .blocks import TransformerBlock
from .config import ModelConfig


class BST(SeqModel):
    name = "bst"
    family = "transformer"
    architecture = "bst"
    slot_names = ("short_clicks",)
    slot_fields = {"short_clicks": ("item", "category", "time_gap")}
    head_act = "prelu"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d = cfg.rep_dim
        self.target_pos = nn.Parameter(torch.zeros(d))
        self.block = TransformerBlock(d, cfg.heads, cfg.dropout)
        self.build_head(3 * d)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        seq_u = self.item_rep(inputs, "short_clicks") + self.emb(
            "time_gap", self.tensor(inputs, "short_clicks", "time_gap")
        )
        m_u = self.mask(inputs, "short_clicks")
        q = self.target_rep(inputs)
        seq, m = self.to_candidates(seq_u, inputs), self.to_candidates(m_u, inputs)
        x = torch.cat([seq, (q + self.target_pos).unsqueeze(1)], dim=1)  # [C, L+1, d]
        mask = torch.cat([m, torch.ones_like(m[:, :1])], dim=1)
        out = self.block(x, mask)
        target_out = out[:, -1]
        hist_out = masked_mean(out[:, :-1], m)
        return torch.cat([target_out, hist_out, q], dim=-1)
