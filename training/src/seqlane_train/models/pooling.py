"""YouTube DNN (RecSys'16) as a ranking baseline: masked mean of clicked items, then an MLP.

The paper scores a candidate by the inner product of the pooled user vector and the item
vector (its candidate-generation softmax). The MLP here gets that inner product's terms,
user * item elementwise, beside the two vectors: a ReLU MLP on [user, item] alone has to
approximate a bilinear form and, measured on the Taobao head, stayed 0.1 AUC below a count
of the user's clicks in the candidate's category, which the inner product of mean-pooled
near-orthogonal category rows is (training/README.md).
"""

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
        self.build_head(3 * cfg.rep_dim)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        user = masked_mean(self.item_rep(inputs, "clicks"), self.mask(inputs, "clicks"))  # [U, d], unordered
        u, v = self.to_candidates(user, inputs), self.target_rep(inputs)
        return torch.cat([u, v, u * v], dim=-1)
