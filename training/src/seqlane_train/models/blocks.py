"""Transformer block shared by BST, DSIN and DMT (post-norm, as in the papers)."""

from __future__ import annotations

import torch
from torch import nn

from ..layers import MultiHeadAttention


class TransformerBlock(nn.Module):
    """x [B, L, d], mask [B, L] -> [B, L, d]: self-attention + FFN, each with residual + LayerNorm."""

    def __init__(self, dim: int, heads: int, dropout: float = 0.0, ffn_mult: int = 2) -> None:
        super().__init__()
        self.att = MultiHeadAttention(dim, dim, dim, heads, dropout)
        self.norm1 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn_mult * dim), nn.LeakyReLU(0.01), nn.Linear(ffn_mult * dim, dim))
        self.norm2 = nn.LayerNorm(dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.norm1(x + self.drop(self.att(x, x, mask)))
        return self.norm2(x + self.drop(self.ffn(x)))
