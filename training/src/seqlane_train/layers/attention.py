"""Masked attention operators with no boolean indexing (export-safe: masks are float multipliers)."""

from __future__ import annotations

import torch
from torch import nn

from .mlp import MLP

NEG = -1e9


def masked_softmax(scores: torch.Tensor, mask: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Softmax over real positions; an all-padding row yields all zeros (not NaN)."""
    w = torch.softmax(scores + (1.0 - mask) * NEG, dim=dim)
    return w * mask


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """x [..., L, d], mask [..., L] -> [..., d]; empty rows give zeros."""
    s = (x * mask.unsqueeze(-1)).sum(-2)
    return s / mask.sum(-1, keepdim=True).clamp(min=1.0)


class DinAttention(nn.Module):
    """DIN activation unit: MLP on [q, k, q-k, q*k] -> unnormalised weight, masked weighted sum."""

    def __init__(self, dim: int, hidden: tuple[int, ...] = (36,), act: str = "dice") -> None:
        super().__init__()
        self.mlp = MLP(4 * dim, hidden, act=act, out_dim=1)

    def weights(self, q: torch.Tensor, k: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        qe = q.unsqueeze(-2).expand_as(k)
        w = self.mlp(torch.cat([qe, k, qe - k, qe * k], dim=-1)).squeeze(-1)
        return w * mask  # no softmax: the paper keeps the intensity of interest

    def forward(self, q: torch.Tensor, k: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return (self.weights(q, k, mask).unsqueeze(-1) * k).sum(-2)


class MultiHeadAttention(nn.Module):
    """Scaled dot-product multi-head attention written with plain ops.

    nn.MultiheadAttention takes a fused "fast path" in eval mode whose export differs; this
    module is the same maths as the paper's block with explicit matmuls and an additive mask.
    q [B, Lq, dq], kv [B, Lk, dk], key_mask [B, Lk] (1 = real) -> [B, Lq, dim].
    """

    def __init__(self, q_dim: int, kv_dim: int, dim: int, heads: int, dropout: float = 0.0) -> None:
        super().__init__()
        if dim % heads:
            raise ValueError(f"dim {dim} is not divisible by heads {heads}")
        self.heads, self.head_dim = heads, dim // heads
        self.q = nn.Linear(q_dim, dim)
        self.k = nn.Linear(kv_dim, dim)
        self.v = nn.Linear(kv_dim, dim)
        self.o = nn.Linear(dim, dim)
        self.drop = nn.Dropout(dropout)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, n = x.shape[0], x.shape[1]
        return x.reshape(b, n, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, q: torch.Tensor, kv: torch.Tensor, key_mask: torch.Tensor) -> torch.Tensor:
        qh, kh, vh = self._split(self.q(q)), self._split(self.k(kv)), self._split(self.v(kv))
        scores = torch.matmul(qh, kh.transpose(-1, -2)) / (self.head_dim**0.5)
        m = key_mask.unsqueeze(1).unsqueeze(2)  # [B, 1, 1, Lk]
        w = self.drop(masked_softmax(scores, m))
        out = torch.matmul(w, vh).transpose(1, 2)
        return self.o(out.reshape(out.shape[0], out.shape[1], self.heads * self.head_dim))
