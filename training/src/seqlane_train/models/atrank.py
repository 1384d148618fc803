"""ATRank (AAAI'18): heterogeneous behaviours in one space, self-attention, then target attention.

Raw behaviour space: each record of the recent mixed sequence (`mixed`: click, fav, cart and
purchase records of short_mixed) is item ++ category embedding ++ the embedding of its time
bucket (time_gap), as the paper concatenates a time-bucket embedding to each behaviour.
Behaviour-type projection: one linear map F_k per behaviour type k projects a record of type k
into the shared latent space. Export-safe "gather by type": all K projections are computed and
a float one-hot of the type code selects, per record, the one of its own type (a sum of K
masked terms; no boolean indexing, no data-dependent shapes). Self-attention: one multi-head
transformer block (each head its own latent sub-space, as the paper's multiple "interest
spaces") over the projected records, once per user. Downstream: vanilla attention with the
candidate (target item ++ category) as the query over the self-attention outputs.

Choices: one projection per behaviour code of the contract (1..5: click, fav, cart, purchase,
exposure), so any code the feature layer writes has its own map; short_mixed never holds
exposures, so that map is unused in practice. Padding (code 0) selects no map and is masked.
"""

from __future__ import annotations

import torch
from torch import nn

from ..layers import MultiHeadAttention
from ..manifest import TYPE_CODES
from .base import Inputs, SeqModel
from .blocks import TransformerBlock
from .config import ModelConfig


class TypedProjection(nn.Module):
    """x [B, L, d_in], type codes [B, L] (1..K, 0 = pad) -> F_{type}(x) [B, L, d_out]."""

    def __init__(self, types: int, in_dim: int, out_dim: int) -> None:
        super().__init__()
        self.types = types
        self.weight = nn.Parameter(torch.empty(types, in_dim, out_dim))
        self.bias = nn.Parameter(torch.zeros(types, out_dim))
        bound = in_dim**-0.5
        nn.init.uniform_(self.weight, -bound, bound)

    def forward(self, x: torch.Tensor, type_ids: torch.Tensor) -> torch.Tensor:
        codes = torch.arange(1, self.types + 1, device=type_ids.device, dtype=type_ids.dtype)
        onehot = (type_ids.unsqueeze(-1) == codes).to(x.dtype)  # [B, L, K]
        every = torch.einsum("bld,kde->blke", x, self.weight) + self.bias  # [B, L, K, d_out]
        return (onehot.unsqueeze(-1) * every).sum(-2)


class ATRank(SeqModel):
    name = "atrank"
    family = "transformer"
    architecture = "atrank"
    slot_names = ("mixed",)
    slot_fields = {"mixed": ("item", "category", "type", "time_gap")}

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d = cfg.rep_dim
        self.project = TypedProjection(TYPE_CODES - 1, 2 * d, d)
        self.block = TransformerBlock(d, cfg.heads, cfg.dropout)
        self.target_att = MultiHeadAttention(d, d, d, cfg.heads)
        self.build_head(2 * d)

    def projected(self, inputs: Inputs) -> torch.Tensor:
        """Records in the shared latent space, [U, L, d] (zeros at padding)."""
        raw = torch.cat(
            [self.item_rep(inputs, "mixed"), self.emb("time_gap", self.tensor(inputs, "mixed", "time_gap"))], dim=-1
        )
        return self.project(raw, self.tensor(inputs, "mixed", "type")) * self.mask(inputs, "mixed").unsqueeze(-1)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        m_u = self.mask(inputs, "mixed")
        z_u = self.block(self.projected(inputs), m_u)  # self-attention, once per user
        q = self.target_rep(inputs)
        z, m = self.to_candidates(z_u, inputs), self.to_candidates(m_u, inputs)
        interest = self.target_att(q.unsqueeze(1), z, m).squeeze(1)
        return torch.cat([interest, q], dim=-1)
