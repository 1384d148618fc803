"""DHAN (SIGIR'20): item-level target attention, attribute clusters, cluster-level attention.

The simplified DHAN of the paper (one attribute dimension, category; two attention levels):
1. item level: a DIN activation unit scores every click against the candidate (s_i) and gives
   the item-level interest sum_i s_i e_i (unnormalised, as DIN);
2. clustering: clicks are grouped by category; cluster l's representation is the weighted mean
   of its members, c_l = sum_{i in l} w_i e_i / sum_{i in l} w_i;
3. cluster level: a second activation unit scores each cluster against the candidate and the
   weighted sum of the cluster representations is the hierarchical interest.
The hierarchical interest, the item-level interest and the candidate feed the MLP, the
paper's remedy for over-centralised attention.

Export-safe grouping (a one-hot group matmul with no data-dependent shapes): categories are
compared pairwise into a float same-category matrix G [L, L] (G_ij = 1 when records i and j are
real and share a category), so row i of softmax_j(s_j | G_ij) @ E is the representation of
record i's cluster. Each cluster is counted once in the second attention through a float
"representative" mask: a record represents its cluster when no later real record shares its
category (the newest member). Number of clusters and their order never become shapes.

Choice: the member weights are w_i = exp(s_i), i.e. a softmax of the item-level scores within
the cluster. The paper normalises the activation weights by their in-cluster sum; DIN's
activation weights are unbounded reals (a sum can be zero or negative), and exp keeps the
weighted mean well defined, monotone in s_i and identical in spirit.
"""

from __future__ import annotations

import torch

from ..layers import DinAttention, masked_softmax
from .base import Inputs, SeqModel
from .config import ModelConfig


class DHAN(SeqModel):
    name = "dhan"
    family = "rnn"
    architecture = "dhan"
    slot_names = ("clicks",)
    head_act = "dice"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d = cfg.rep_dim
        self.item_att = DinAttention(d, hidden=(36,), act="dice")
        self.cluster_att = DinAttention(d, hidden=(36,), act="dice")
        self.build_head(3 * d)

    @staticmethod
    def groups(cat: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(same-category matrix [B, L, L], representative mask [B, L]) from category ids [B, L]."""
        same = (cat.unsqueeze(-1) == cat.unsqueeze(-2)).to(mask.dtype) * mask.unsqueeze(-1) * mask.unsqueeze(-2)
        idx = torch.arange(cat.shape[-1], device=cat.device)
        later = (idx.unsqueeze(0) > idx.unsqueeze(1)).to(mask.dtype)  # [i, j] = 1 where j is after i
        rep = mask * ((same * later).sum(-1) == 0).to(mask.dtype)
        return same, rep

    def clusters(self, inputs: Inputs) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """(item scores s [C, L], records E [C, L, d], cluster of each record [C, L, d], representative mask [C, L])."""
        e_u = self.item_rep(inputs, "clicks")
        m_u = self.mask(inputs, "clicks")
        same_u, rep_u = self.groups(self.tensor(inputs, "clicks", "category"), m_u)  # once per user
        e, m, same, rep = (self.to_candidates(t, inputs) for t in (e_u, m_u, same_u, rep_u))
        s = self.item_att.weights(self.target_rep(inputs), e, m)  # [C, L]
        w = masked_softmax(s.unsqueeze(1).expand(-1, s.shape[1], -1), same)  # [C, L(record i), L(member j)]
        return s, e, torch.matmul(w, e), rep

    def encode(self, inputs: Inputs) -> torch.Tensor:
        q = self.target_rep(inputs)
        s, e, c, rep = self.clusters(inputs)
        item_interest = (s.unsqueeze(-1) * e).sum(1)
        cluster_interest = self.cluster_att(q, c, rep)
        return torch.cat([cluster_interest, item_interest, q], dim=-1)
