"""SeqModel: user-major inputs in, per-task probabilities [C] out, and its own manifest."""

from __future__ import annotations

from typing import ClassVar

import torch
from torch import nn

from ..layers import Embeddings
from ..manifest import TYPE_CODES, Manifest, Slot
from .config import ModelConfig
from .heads import make_head

Inputs = dict[str, torch.Tensor]


class SeqModel(nn.Module):
    """Subclasses set the class attributes and implement `encode` -> [C, feature_dim].

    User blocks ([U, ...]) are embedded once per user and expanded to candidates inside the
    graph with index_select on cand_user_index, never copied C times by the caller.
    """

    name: ClassVar[str]
    family: ClassVar[str]
    architecture: ClassVar[str]
    slot_names: ClassVar[tuple[str, ...]]
    slot_fields: ClassVar[dict[str, tuple[str, ...]]] = {}  # slot -> fields used (default item, category)
    static_length: ClassVar[tuple[str, ...]] = ()  # slots whose L (or S) is unrolled at export
    head_act: ClassVar[str] = "relu"
    default_head: ClassVar[str] = "ctr"

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.slots = {
            n: cfg.slot(
                n, dynamic_length=n not in self.static_length, fields=self.slot_fields.get(n, ("item", "category"))
            )
            for n in self.slot_names
        }
        longest = max([s.max_len for s in self.slots.values()] + [1])
        self.emb = Embeddings(
            {
                "item": cfg.item_buckets,
                "category": cfg.cat_buckets,
                "time_gap": cfg.gap_buckets,
                "position": longest + 1,
                "type": TYPE_CODES,
            },
            {
                "item": cfg.item_dim,
                "category": cfg.cat_dim,
                "time_gap": cfg.rep_dim,
                "position": cfg.rep_dim,
                "type": cfg.rep_dim,
            },
        )
        self.aux_loss: torch.Tensor | None = None
        self.head_kind = self.default_head if cfg.head == "ctr" else cfg.head

    def build_head(self, in_dim: int) -> None:
        kind = self.head_kind
        self.head = make_head(kind, in_dim, self.cfg.hidden, self.head_act, self.cfg.dropout, self.cfg.experts)

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(self.head.tasks)  # type: ignore[arg-type]

    # ---- helpers shared by the families ----
    def tensor(self, inputs: Inputs, slot: str, field: str) -> torch.Tensor:
        spec = self.slots[slot].field_spec(field)
        assert spec is not None, f"slot {slot} has no field {field}"
        return inputs[spec.tensor]

    def mask(self, inputs: Inputs, slot: str) -> torch.Tensor:
        return inputs[self.slots[slot].mask]

    def item_rep(self, inputs: Inputs, slot: str) -> torch.Tensor:
        """[..., L] ids -> [..., L, item_dim + cat_dim]."""
        return torch.cat(
            [
                self.emb("item", self.tensor(inputs, slot, "item")),
                self.emb("category", self.tensor(inputs, slot, "category")),
            ],
            dim=-1,
        )

    def target_rep(self, inputs: Inputs) -> torch.Tensor:
        return torch.cat([self.emb("item", inputs["target_item"]), self.emb("category", inputs["target_cat"])], dim=-1)

    @staticmethod
    def to_candidates(x: torch.Tensor, inputs: Inputs) -> torch.Tensor:
        return x.index_select(0, inputs["cand_user_index"])

    # ---- contract ----
    def encode(self, inputs: Inputs) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, inputs: Inputs) -> dict[str, torch.Tensor]:
        return self.head(self.encode(inputs))

    def manifest(self, version: str = "1", name: str | None = None) -> Manifest:
        slots: tuple[Slot, ...] = tuple(self.slots[n] for n in self.slot_names)
        tasks = self.tasks
        return Manifest(
            name=name or self.name,
            version=version,
            family=self.family,
            architecture=self.architecture,
            tasks=tasks,
            slots=slots,
            candidate=self.cfg.candidate(),
            outputs={t: t for t in tasks},
            cand_user_index="cand_user_index",
        )
