"""SIM (CIKM'20): search-based interest model.

General search unit = hard search by category, done OUTSIDE the graph by the feature layer:
the candidate-scoped slot `cat_match` [C, K] holds, for each candidate, the newest K long-term
clicks whose category equals the candidate's. Exact search unit = multi-head target attention
over those records, each embedded as item ++ category ++ time-gap embedding. As in the paper's
full model, a DIN unit over the recent clicks supplies the short-term interest.
"""

from __future__ import annotations

import torch

from ..layers import DinAttention, MultiHeadAttention
from .base import Inputs, SeqModel
from .config import ModelConfig


class SIM(SeqModel):
    name = "sim"
    family = "transformer"
    architecture = "sim"
    slot_names = ("cat_match", "clicks")
    slot_fields = {"cat_match": ("item", "category", "time_gap")}
    head_act = "dice"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d = cfg.rep_dim
        self.esu = MultiHeadAttention(d, 2 * d, d, cfg.heads)
        self.short = DinAttention(d, hidden=(36,), act="dice")
        self.build_head(3 * d)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        q = self.target_rep(inputs)  # [C, d]
        # candidate-scoped: already [C, K], no gather
        long_keys = torch.cat(
            [self.item_rep(inputs, "cat_match"), self.emb("time_gap", self.tensor(inputs, "cat_match", "time_gap"))],
            dim=-1,
        )
        long_interest = self.esu(q.unsqueeze(1), long_keys, self.mask(inputs, "cat_match")).squeeze(1)
        short_keys = self.to_candidates(self.item_rep(inputs, "clicks"), inputs)
        short_interest = self.short(q, short_keys, self.to_candidates(self.mask(inputs, "clicks"), inputs))
        return torch.cat([long_interest, short_interest, q], dim=-1)
