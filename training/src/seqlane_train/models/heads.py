"""Task heads on top of any encoder: single CTR tower, ESMM (CTR x CVR = CTCVR), and MMoE-ESMM."""

from __future__ import annotations

import torch
from torch import nn

from ..layers import MLP


class CTRHead(nn.Module):
    tasks = ("ctr",)

    def __init__(self, in_dim: int, hidden: tuple[int, ...], act: str, dropout: float) -> None:
        super().__init__()
        self.tower = MLP(in_dim, hidden, act=act, out_dim=1, dropout=dropout)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"ctr": torch.sigmoid(self.tower(x).squeeze(-1))}


class ESMMHead(nn.Module):
    """ESMM (SIGIR'18): pCTCVR = pCTR * pCVR, both towers trained over the whole exposure space.

    The CVR tower gets no direct loss; it is learnt through the CTCVR product, which removes the
    sample-selection bias of training CVR on clicked impressions only.
    """

    tasks = ("ctr", "cvr", "ctcvr")

    def __init__(self, in_dim: int, hidden: tuple[int, ...], act: str, dropout: float) -> None:
        super().__init__()
        self.ctr = MLP(in_dim, hidden, act=act, out_dim=1, dropout=dropout)
        self.cvr = MLP(in_dim, hidden, act=act, out_dim=1, dropout=dropout)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        ctr = torch.sigmoid(self.ctr(x).squeeze(-1))
        cvr = torch.sigmoid(self.cvr(x).squeeze(-1))
        return {"ctr": ctr, "cvr": cvr, "ctcvr": ctr * cvr}


class MMoEHead(nn.Module):
    """MMoE (KDD'18): shared experts, one softmax gate per task, ESMM product for CTCVR (DMT)."""

    tasks = ("ctr", "cvr", "ctcvr")

    def __init__(self, in_dim: int, hidden: tuple[int, ...], experts: int, dropout: float) -> None:
        super().__init__()
        width = hidden[0]
        self.experts = nn.ModuleList([MLP(in_dim, (width,), act="relu", dropout=dropout) for _ in range(experts)])
        self.gates = nn.ModuleList([nn.Linear(in_dim, experts) for _ in range(2)])
        self.towers = nn.ModuleList([MLP(width, hidden[1:], act="relu", out_dim=1) for _ in range(2)])

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        e = torch.stack([ex(x) for ex in self.experts], dim=1)  # [C, E, w]
        probs = []
        for gate, tower in zip(self.gates, self.towers, strict=True):
            g = torch.softmax(gate(x), dim=-1).unsqueeze(-1)
            probs.append(torch.sigmoid(tower((g * e).sum(1)).squeeze(-1)))
        ctr, cvr = probs
        return {"ctr": ctr, "cvr": cvr, "ctcvr": ctr * cvr}


def make_head(kind: str, in_dim: int, hidden: tuple[int, ...], act: str, dropout: float, experts: int) -> nn.Module:
    if kind == "ctr":
        return CTRHead(in_dim, hidden, act, dropout)
    if kind == "esmm":
        return ESMMHead(in_dim, hidden, act, dropout)
    if kind == "mmoe":
        return MMoEHead(in_dim, hidden, experts, dropout)
    raise ValueError(f"head {kind!r} unknown, expected ctr, esmm or mmoe")
