"""Embedding tables over hash buckets, one per field kind, shared by slots and candidates."""

from __future__ import annotations

import torch
from torch import nn


class Embeddings(nn.Module):
    """Row 0 is padding (zero vector, no gradient), as in docs/ids.md."""

    def __init__(self, sizes: dict[str, int], dims: dict[str, int]) -> None:
        super().__init__()
        # ModuleDict keys cannot shadow nn.Module attributes such as `type`
        self.tables = nn.ModuleDict({f"t_{k}": nn.Embedding(n, dims[k], padding_idx=0) for k, n in sizes.items()})
        for t in self.tables.values():
            nn.init.normal_(t.weight, std=0.05)
            with torch.no_grad():
                t.weight[0].zero_()

    def dim(self, kind: str) -> int:
        return int(self.tables[f"t_{kind}"].embedding_dim)

    def forward(self, kind: str, ids: torch.Tensor) -> torch.Tensor:
        return self.tables[f"t_{kind}"](ids)
