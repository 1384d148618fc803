"""Dice activation (DIN, KDD'18): a PReLU whose switch point adapts to the input distribution."""

from __future__ import annotations

import torch
from torch import nn


class Dice(nn.Module):
    """p(s) = sigmoid((s - E[s]) / sqrt(Var[s] + eps)); f(s) = p*s + (1-p)*alpha*s.

    Batch statistics in training, running averages at inference (the exported graph is then
    a pure elementwise function, so U/C batch sizes cannot change a candidate's score).
    """

    def __init__(self, dim: int, eps: float = 1e-8, momentum: float = 0.01) -> None:
        super().__init__()
        self.bn = nn.BatchNorm1d(dim, eps=eps, momentum=momentum, affine=False)
        self.alpha = nn.Parameter(torch.zeros(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        flat = x.reshape(-1, shape[-1])
        if self.training and flat.shape[0] > 1:
            normed = self.bn(flat)
        else:
            assert self.bn.running_mean is not None and self.bn.running_var is not None
            normed = (flat - self.bn.running_mean) / torch.sqrt(self.bn.running_var + self.bn.eps)
        p = torch.sigmoid(normed)
        return (p * flat + (1 - p) * self.alpha * flat).reshape(shape)
