"""DIEN (AAAI'19): GRU interest extractor with auxiliary loss, attention, AUGRU interest evolution.

The GRUs are unrolled over the slot's fixed max_len with masks (no packed sequences), so the
exported graph has a static length axis for this slot. The auxiliary loss (next real click vs a
sampled negative, judged from h_t) is computed only in training mode; negatives are items drawn
from other users' sequences in the batch.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..layers import MLP, MaskedAUGRU, MaskedGRU, masked_mean, masked_softmax
from .base import Inputs, SeqModel
from .config import ModelConfig


class DIEN(SeqModel):
    name = "dien"
    family = "rnn"
    architecture = "dien"
    slot_names = ("clicks",)
    static_length = ("clicks",)
    head_act = "dice"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d, h = cfg.rep_dim, cfg.rnn_hidden
        self.gru = MaskedGRU(d, h)
        self.aux = MLP(h + d, (32,), act="sigmoid", out_dim=1)
        self.att = nn.Linear(d, h, bias=False)  # a_t = softmax(h_t W e_target)
        self.augru = MaskedAUGRU(h, h)
        self.build_head(h + 2 * d)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        e_u = self.item_rep(inputs, "clicks")  # [U, L, d]
        m_u = self.mask(inputs, "clicks")
        h_u = self.gru(e_u, m_u)  # [U, L, H]
        self.aux_loss = self._auxiliary(h_u, e_u, m_u) if self.training else None
        q = self.target_rep(inputs)
        h, m = self.to_candidates(h_u, inputs), self.to_candidates(m_u, inputs)
        scores = torch.matmul(h, self.att(q).unsqueeze(-1)).squeeze(-1)  # [C, L]
        a = masked_softmax(scores, m)
        final = self.augru(h, a, m)  # [C, H]
        pooled = self.to_candidates(masked_mean(e_u, m_u), inputs)
        return torch.cat([final, q, pooled], dim=-1)

    def _auxiliary(self, h: torch.Tensor, e: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
        if h.shape[1] < 2:
            return h.new_zeros(())
        pair = m[:, :-1] * m[:, 1:]  # both h_t and e_{t+1} real
        pos = e[:, 1:]
        # negatives: items from a shuffled batch position of the same step (real ones only count)
        perm = torch.randperm(e.shape[0], device=e.device)
        neg, neg_m = pos[perm], m[perm, 1:]
        w = pair * neg_m
        ht = h[:, :-1]
        lp = self.aux(torch.cat([ht, pos], -1)).squeeze(-1)
        ln = self.aux(torch.cat([ht, neg], -1)).squeeze(-1)
        loss = (
            F.binary_cross_entropy_with_logits(lp, torch.ones_like(lp), reduction="none") * w
            + F.binary_cross_entropy_with_logits(ln, torch.zeros_like(ln), reduction="none") * w
        )
        return loss.sum() / w.sum().clamp(min=1.0)
