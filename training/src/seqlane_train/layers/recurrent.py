"""Recurrent layers unrolled over a fixed length with masks (export-safe: no packed sequences).

Padding positions leave the state untouched (h_t = h_{t-1} where mask = 0), so left- and
right-padded blocks give the same result as the unpadded sequence.
"""

from __future__ import annotations

import torch
from torch import nn


class _GateCell(nn.Module):
    """Input-side projections computed for all steps at once; hidden-side per step."""

    def __init__(self, in_dim: int, hidden: int, gates: int) -> None:
        super().__init__()
        self.hidden = hidden
        self.x2h = nn.Linear(in_dim, gates * hidden)
        self.h2h = nn.Linear(hidden, gates * hidden)


class MaskedGRU(_GateCell):
    """GRU (Cho et al.) returning every hidden state: x [B, L, d], mask [B, L] -> [B, L, H]."""

    def __init__(self, in_dim: int, hidden: int) -> None:
        super().__init__(in_dim, hidden, 3)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        gx = self.x2h(x)
        h = x.new_zeros(x.shape[0], self.hidden)
        outs = []
        for t in range(x.shape[1]):
            xr, xu, xn = gx[:, t].chunk(3, dim=-1)
            hr, hu, hn = self.h2h(h).chunk(3, dim=-1)
            r = torch.sigmoid(xr + hr)
            u = torch.sigmoid(xu + hu)
            n = torch.tanh(xn + r * hn)
            m = mask[:, t].unsqueeze(-1)
            h = m * ((1 - u) * h + u * n) + (1 - m) * h
            outs.append(h)
        return torch.stack(outs, dim=1)


class MaskedAUGRU(_GateCell):
    """GRU with attentional update gate (DIEN): u'_t = a_t * u_t; h_t = (1-u'_t) h_{t-1} + u'_t h~_t.

    x [B, L, d], att [B, L] (attention scores, already masked), mask [B, L] -> final state [B, H].
    """

    def __init__(self, in_dim: int, hidden: int) -> None:
        super().__init__(in_dim, hidden, 3)

    def forward(self, x: torch.Tensor, att: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        gx = self.x2h(x)
        h = x.new_zeros(x.shape[0], self.hidden)
        for t in range(x.shape[1]):
            xr, xu, xn = gx[:, t].chunk(3, dim=-1)
            hr, hu, hn = self.h2h(h).chunk(3, dim=-1)
            r = torch.sigmoid(xr + hr)
            u = att[:, t].unsqueeze(-1) * torch.sigmoid(xu + hu)
            n = torch.tanh(xn + r * hn)
            m = mask[:, t].unsqueeze(-1)
            h = m * ((1 - u) * h + u * n) + (1 - m) * h
        return h


class _LSTMCell(_GateCell):
    def __init__(self, in_dim: int, hidden: int) -> None:
        super().__init__(in_dim, hidden, 4)

    def run(self, gx: torch.Tensor, mask: torch.Tensor, reverse: bool) -> torch.Tensor:
        b, steps = gx.shape[0], gx.shape[1]
        h = gx.new_zeros(b, self.hidden)
        c = gx.new_zeros(b, self.hidden)
        outs: list[torch.Tensor] = []
        order = range(steps - 1, -1, -1) if reverse else range(steps)
        for t in order:
            i, f, g, o = (gx[:, t] + self.h2h(h)).chunk(4, dim=-1)
            c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h_new = torch.sigmoid(o) * torch.tanh(c_new)
            m = mask[:, t].unsqueeze(-1)
            c = m * c_new + (1 - m) * c
            h = m * h_new + (1 - m) * h
            outs.append(h * m)
        if reverse:
            outs.reverse()
        return torch.stack(outs, dim=1)


class MaskedBiLSTM(nn.Module):
    """Bidirectional LSTM: x [B, S, d], mask [B, S] -> [B, S, 2H] (zeros at padding steps)."""

    def __init__(self, in_dim: int, hidden: int) -> None:
        super().__init__()
        self.fwd = _LSTMCell(in_dim, hidden)
        self.bwd = _LSTMCell(in_dim, hidden)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        f = self.fwd.run(self.fwd.x2h(x), mask, reverse=False)
        b = self.bwd.run(self.bwd.x2h(x), mask, reverse=True)
        return torch.cat([f, b], dim=-1)
