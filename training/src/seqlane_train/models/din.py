"""DIN (KDD'18): target attention with an MLP on [q, k, q-k, q*k], unnormalised weights, Dice."""

from __future__ import annotations

import torch

from ..layers import DinAttention, masked_mean
from .base import Inputs, SeqModel
from .config import ModelConfig


class DIN(SeqModel):
    name = "din"
    family = "target_attention"
    architecture = "din"
    slot_names = ("clicks",)
    head_act = "dice"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        self.att = DinAttention(cfg.rep_dim, hidden=(36,), act="dice")
        self.build_head(3 * cfg.rep_dim)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        keys_u = self.item_rep(inputs, "clicks")  # [U, L, d]
        mask_u = self.mask(inputs, "clicks")
        q = self.target_rep(inputs)  # [C, d]
        keys, mask = self.to_candidates(keys_u, inputs), self.to_candidates(mask_u, inputs)
        interest = self.att(q, keys, mask)  # [C, d] sum-pooled with activation weights
        pooled = self.to_candidates(masked_mean(keys_u, mask_u), inputs)
        return torch.cat([interest, q, pooled], dim=-1)
