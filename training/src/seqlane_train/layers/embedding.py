"""Embedding tables over hash buckets, one per field kind, shared by slots and candidates."""

from __future__ import annotations

import torch
from torch import nn


class Embeddings(nn.Module):
    """Row 0 is padding (zero vector, no gradient), as in docs/ids.md.

    Rows start at N(0, 1/dim): each id's vector has an expected squared norm of 1 and two
    different ids have a dot product of about N(0, 1/dim). That makes "same id" (q*k summed
    over a slot's dims) visible to an attention unit from the first step, for every id,
    however rarely it is seen. The earlier N(0, 0.05^2) rows put q*k 20x below q and k in
    the attention MLP's input, and DIN on the Taobao head did not learn the category match
    before the item rows had memorised the training labels (training/README.md, "Why the
    attention models missed the category match").
    """

    def __init__(self, sizes: dict[str, int], dims: dict[str, int]) -> None:
        super().__init__()
        # ModuleDict keys cannot shadow nn.Module attributes such as `type`
        self.tables = nn.ModuleDict({f"t_{k}": nn.Embedding(n, dims[k], padding_idx=0) for k, n in sizes.items()})
        for t in self.tables.values():
            nn.init.normal_(t.weight, std=max(t.embedding_dim, 1) ** -0.5)
            with torch.no_grad():
                t.weight[0].zero_()

    def dim(self, kind: str) -> int:
        return int(self.tables[f"t_{kind}"].embedding_dim)

    def forward(self, kind: str, ids: torch.Tensor) -> torch.Tensor:
        return self.tables[f"t_{kind}"](ids)
