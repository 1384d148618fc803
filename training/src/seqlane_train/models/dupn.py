"""DUPN (KDD'18): Deep User Perception Network, LSTM + attention, one shared user representation.

Each step of the recent mixed sequence (`mixed`: every behaviour type of short_mixed) is the
item representation (item ++ category embedding) concatenated with its behaviour *property*
embeddings: the behaviour type (click / fav / cart / purchase) and the time since the request
(time_gap bucket), as the paper embeds behaviour type and time per step. An LSTM, unrolled
over the slot's fixed max_len with masks (padding leaves h and c untouched), reads the
sequence once per user. The attention net scores every hidden state from [h_t, query, p_t]
(p_t the step's property embedding) with a softmax over real steps; the weighted sum of the
hidden states is the user representation, shared by every task; the towers get it with the
candidate and the mean item representation of the sequence.

Choices where the paper leaves one (or has inputs we do not serve):
- the query of the attention net: the paper has the search query and the user; a ranking
  request here has neither, so the query is the candidate (target item ++ category), projected
  by a linear map. Scenario is not an input of the contract and is left out.
- the multi-task part: the paper shares the representation across CTR, L2R, price, shop and
  fashion tasks; here it feeds the ESMM head (tasks ctr, cvr, ctcvr = ctr * cvr), the CVR
  formulation of MODELS.md, so default_head is "esmm".
- the LSTM is a local masked cell (same maths as the cell behind MaskedBiLSTM in
  layers/recurrent.py, one direction, every state returned) so this module does not depend
  on that layer's private helper.
"""

from __future__ import annotations

import torch
from torch import nn

from ..layers import MLP, masked_mean, masked_softmax
from .base import Inputs, SeqModel
from .config import ModelConfig


class MaskedLSTM(nn.Module):
    """Forward LSTM unrolled over L: x [B, L, d], mask [B, L] -> every state [B, L, H].

    At a padding step h and c keep their previous values, so left padding is a no-op.
    """

    def __init__(self, in_dim: int, hidden: int) -> None:
        super().__init__()
        self.hidden = hidden
        self.x2h = nn.Linear(in_dim, 4 * hidden)
        self.h2h = nn.Linear(hidden, 4 * hidden)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        gx = self.x2h(x)
        h = x.new_zeros(x.shape[0], self.hidden)
        c = x.new_zeros(x.shape[0], self.hidden)
        outs = []
        for t in range(x.shape[1]):
            i, f, g, o = (gx[:, t] + self.h2h(h)).chunk(4, dim=-1)
            c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h_new = torch.sigmoid(o) * torch.tanh(c_new)
            m = mask[:, t].unsqueeze(-1)
            c = m * c_new + (1 - m) * c
            h = m * h_new + (1 - m) * h
            outs.append(h)
        return torch.stack(outs, dim=1)


class DUPN(SeqModel):
    name = "dupn"
    family = "rnn"
    architecture = "dupn"
    slot_names = ("mixed",)
    slot_fields = {"mixed": ("item", "category", "type", "time_gap")}
    static_length = ("mixed",)  # the LSTM is unrolled over max_len
    default_head = "esmm"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__(cfg)
        d, h = cfg.rep_dim, cfg.rnn_hidden
        self.lstm = MaskedLSTM(3 * d, h)  # item rep ++ type embedding ++ time embedding
        self.query = nn.Linear(d, h)
        self.att = MLP(h + h + 2 * d, (32,), act="relu", out_dim=1)  # [h_t, q, p_t] -> score
        self.build_head(h + 2 * d)

    def properties(self, inputs: Inputs) -> torch.Tensor:
        """p_t: behaviour type ++ time-gap embedding per step, [U, L, 2d]."""
        return torch.cat(
            [
                self.emb("type", self.tensor(inputs, "mixed", "type")),
                self.emb("time_gap", self.tensor(inputs, "mixed", "time_gap")),
            ],
            dim=-1,
        )

    def attention(self, inputs: Inputs) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(attention weights [C, L], LSTM states [C, L, H], mean item representation [C, d])."""
        e_u = self.item_rep(inputs, "mixed")
        p_u = self.properties(inputs)
        m_u = self.mask(inputs, "mixed")
        h_u = self.lstm(torch.cat([e_u, p_u], dim=-1), m_u)  # once per user
        h, p, m = (self.to_candidates(t, inputs) for t in (h_u, p_u, m_u))
        q = self.query(self.target_rep(inputs)).unsqueeze(1).expand(-1, h.shape[1], -1)
        scores = self.att(torch.cat([h, q, p], dim=-1)).squeeze(-1)
        return masked_softmax(scores, m), h, self.to_candidates(masked_mean(e_u, m_u), inputs)

    def encode(self, inputs: Inputs) -> torch.Tensor:
        a, h, pooled = self.attention(inputs)
        user = (a.unsqueeze(-1) * h).sum(1)  # [C, H], the representation every task shares
        return torch.cat([user, self.target_rep(inputs), pooled], dim=-1)
