"""DSIN (IJCAI'19): sessions -> in-session self-attention -> Bi-LSTM across sessions -> attention.

Input slot `sessions` is [U, S, L] (split at 30-minute gaps upstream). Bias encoding adds a
session, a position and a unit bias to every behaviour embedding; one transformer block
(shared by all sessions) extracts each session's interest by average pooling; a Bi-LSTM
unrolled over the S sessions models how interests evolve; the target attends (softmax) over
both the session interests and the Bi-LSTM states. S is unrolled (static), L is dynamic.
"""

from __future__ import annotations

import torch
from torch import nn

from ..layers import MaskedBiLSTM, masked_mean, masked_softmax
from .base import Inputs, SeqModel
from .blocks import TransformerBlock
from .config import ModelConfig


class _Activation(nn.Module):
    """a_k = softmax_k(I_k W x_target) over real sessions, returns the weighted sum."""

    def __init__(self, key_dim: int, q_dim: int) -> None:
        super().__init__()
        self.w = nn.Linear(q_dim, key_dim, bias=False)

    def forward(self, q: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        a = masked_softmax(torch.matmul(keys, self.w(q).unsqueeze(-1)).squeeze(-1), mask)
        return (a.unsqueeze(-1) * keys).sum(1)


class DSIN(SeqModel):
    name = "dsin"
    family = "transformer"
    architecture = "dsin"
    slot_names = ("sessions",)
    slot_fields = {"sessions": ("item", "category", "position")}
    static_length = ("sessions",)
    head_act = "prelu"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d, h = cfg.rep_dim, cfg.rnn_hidden
        self.session_bias = nn.Parameter(torch.zeros(cfg.max_sessions, 1, d))
        self.unit_bias = nn.Parameter(torch.zeros(d))
        self.block = TransformerBlock(d, cfg.heads, cfg.dropout)
        self.lstm = MaskedBiLSTM(d, h)
        self.att_interest = _Activation(d, d)
        self.att_evolved = _Activation(2 * h, d)
        self.build_head(2 * d + 2 * h)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        x = self.item_rep(inputs, "sessions")  # [U, S, L, d]
        m = self.mask(inputs, "sessions")  # [U, S, L]
        u, s, length, d = x.shape[0], x.shape[1], x.shape[2], x.shape[3]
        pos = self.emb("position", self.tensor(inputs, "sessions", "position"))
        x = (x + pos + self.session_bias[:s] + self.unit_bias) * m.unsqueeze(-1)
        flat = self.block(x.reshape(u * s, length, d), m.reshape(u * s, length))
        interests = masked_mean(flat, m.reshape(u * s, length)).reshape(u, s, d)  # [U, S, d]
        s_mask = (m.sum(-1) > 0).to(m.dtype)  # [U, S]
        evolved = self.lstm(interests, s_mask)  # [U, S, 2H]
        q = self.target_rep(inputs)
        i_c, e_c, sm_c = (self.to_candidates(t, inputs) for t in (interests, evolved, s_mask))
        return torch.cat([self.att_interest(q, i_c, sm_c), self.att_evolved(q, e_c, sm_c), q], dim=-1)
