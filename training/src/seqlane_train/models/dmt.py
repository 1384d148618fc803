"""DMT (CIKM'20): Deep Multifaceted Transformers for CTR + CVR.

Separate click, cart and purchase sequences; for each, a transformer encoder (self-attention,
per user, with position embeddings) and a decoder step whose query is the target item
(multi-head target attention over the encoded sequence). The three interest vectors and the
target feed an MMoE with one gate per task; CTCVR = CTR x CVR (ESMM formulation).
"""

from __future__ import annotations

import torch
from torch import nn

from ..layers import MultiHeadAttention
from .base import Inputs, SeqModel
from .blocks import TransformerBlock
from .config import ModelConfig


class DMT(SeqModel):
    name = "dmt"
    family = "transformer"
    architecture = "dmt"
    slot_names = ("clicks", "carts", "purchases")
    slot_fields = {s: ("item", "category", "position") for s in ("clicks", "carts", "purchases")}
    default_head = "mmoe"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d = cfg.rep_dim
        self.encoders = nn.ModuleDict({s: TransformerBlock(d, cfg.heads, cfg.dropout) for s in self.slot_names})
        self.decoders = nn.ModuleDict({s: MultiHeadAttention(d, d, d, cfg.heads) for s in self.slot_names})
        self.build_head(4 * d)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        q = self.target_rep(inputs)
        parts = []
        for s in self.slot_names:
            x = self.item_rep(inputs, s) + self.emb("position", self.tensor(inputs, s, "position"))
            m = self.mask(inputs, s)
            enc = self.encoders[s](x, m)  # [U, L, d], once per user
            kv, km = self.to_candidates(enc, inputs), self.to_candidates(m, inputs)
            parts.append(self.decoders[s](q.unsqueeze(1), kv, km).squeeze(1))
        return torch.cat([*parts, q], dim=-1)
