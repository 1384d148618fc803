"""YouTube DNN (RecSys'16) as a ranking baseline: masked mean of clicked items, then an MLP."""

from __future__ import annotations

import torch

from ..layers import masked_mean
from .base import Inputs, SeqModel
from .config import ModelConfig


class YoutubeDNN(SeqModel):
    name = "pooling"
    family = "pooling"
    architecture = "youtube_dnn"
    slot_names = ("clicks",)

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        self.build_head(2 * cfg.rep_dim)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        user = masked_mean(self.item_rep(inputs, "clicks"), self.mask(inputs, "clicks"))  # [U, d], unordered
        return torch.cat([self.to_candidates(user, inputs), self.target_rep(inputs)], dim=-1)
