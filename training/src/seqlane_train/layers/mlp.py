"""Fully connected stack with a choice of activation (relu, prelu, dice)."""

from __future__ import annotations

from torch import nn

from .dice import Dice


def activation(kind: str, dim: int) -> nn.Module:
    if kind == "relu":
        return nn.ReLU()
    if kind == "prelu":
        return nn.PReLU(dim)
    if kind == "dice":
        return Dice(dim)
    if kind == "sigmoid":
        return nn.Sigmoid()
    raise ValueError(f"activation {kind!r} unknown, expected relu, prelu, dice or sigmoid")


class MLP(nn.Sequential):
    def __init__(
        self, in_dim: int, hidden: tuple[int, ...], act: str = "relu", out_dim: int | None = None, dropout: float = 0.0
    ) -> None:
        layers: list[nn.Module] = []
        d = in_dim
        for h in hidden:
            layers += [nn.Linear(d, h), activation(act, h)]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            d = h
        if out_dim is not None:
            layers.append(nn.Linear(d, out_dim))
            d = out_dim
        super().__init__(*layers)
        self.out_dim = d
