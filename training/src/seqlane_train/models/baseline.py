"""No-sequence baseline: the candidate alone (item and category embeddings) through an MLP.

Whatever a sequence model gains over this is what the behaviour sequences contribute; the
quality tables report it next to pooling and the attention models.
"""

from __future__ import annotations

import torch

from .base import Inputs, SeqModel
from .config import ModelConfig


class TargetOnly(SeqModel):
    name = "target_only"
    family = "pooling"
    architecture = "target_only_mlp"
    slot_names = ()

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        self.build_head(cfg.rep_dim)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        return self.target_rep(inputs)
