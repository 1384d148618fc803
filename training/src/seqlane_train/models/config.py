"""Model hyper-parameters and the canonical slot catalogue shared by every model.

Tensor names are the same across models for the same (slot, field), so one replayed sample
set built from the union manifest (`seqlane_train manifest --model all`) trains any model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..errors import ManifestError
from ..manifest import FieldSpec, Manifest, Slot

SLOT_DEFAULTS: dict[str, dict[str, object]] = {
    # name: source, view, types, max_len, max_sessions, fields, prefix
    "clicks": {
        "source": "long_click",
        "view": "plain",
        "max_len": 50,
        "prefix": "clicks",
        "fields": ("item", "category", "time_gap", "position"),
    },
    "short_clicks": {
        "source": "short_mixed",
        "view": "plain",
        "types": ("click",),
        "max_len": 20,
        "prefix": "sclk",
        "fields": ("item", "category", "time_gap", "position"),
    },
    "sessions": {
        "source": "short_mixed",
        "view": "sessions",
        "max_len": 10,
        "max_sessions": 4,
        "prefix": "sess",
        "fields": ("item", "category", "position"),
    },
    "cat_match": {
        "source": "long_click",
        "view": "category_match",
        "max_len": 20,
        "prefix": "cm",
        "fields": ("item", "category", "time_gap"),
    },
    "carts": {
        "source": "short_mixed",
        "view": "plain",
        "types": ("cart",),
        "max_len": 20,
        "prefix": "cart",
        "fields": ("item", "category", "position"),
    },
    "purchases": {
        "source": "long_purchase",
        "view": "plain",
        "max_len": 20,
        "prefix": "buy",
        "fields": ("item", "category", "position"),
    },
    # every behaviour type of short_mixed (no `types` filter): DUPN, ATRank, TiSSA, AliSearch-style
    "mixed": {
        "source": "short_mixed",
        "view": "plain",
        "max_len": 20,
        "prefix": "mix",
        "fields": ("item", "category", "type", "time_gap", "position"),
    },
    "device_clicks": {
        "source": "device_click",
        "view": "plain",
        "max_len": 20,
        "prefix": "dev",
        "fields": ("item", "category", "time_gap", "position"),
    },
    "exposures": {
        "source": "exposure",
        "view": "plain",
        "max_len": 20,
        "prefix": "expo",
        "fields": ("item", "category", "time_gap", "position"),
    },
}
FIELD_SUFFIX = {
    "item": "item",
    "category": "cat",
    "brand": "brand",
    "type": "type",
    "time_gap": "gap",
    "position": "pos",
}


@dataclass(frozen=True)
class ModelConfig:
    item_buckets: int = 100_000
    cat_buckets: int = 1_000
    gap_buckets: int = 16
    item_dim: int = 16
    cat_dim: int = 32  # wide enough that distinct categories stay near-orthogonal (see Embeddings)
    hidden: tuple[int, ...] = (64, 32)
    heads: int = 2
    rnn_hidden: int = 24
    experts: int = 4
    dropout: float = 0.0
    head: str = "ctr"  # ctr | esmm
    max_len: dict[str, int] = field(default_factory=dict)  # slot -> override
    max_sessions: int = 4

    @property
    def rep_dim(self) -> int:
        """Width of one item representation: item embedding ++ category embedding."""
        return self.item_dim + self.cat_dim

    def slot(self, name: str, dynamic_length: bool = True, fields: tuple[str, ...] | None = None) -> Slot:
        """The catalogue slot `name`, restricted to `fields` (default: every catalogue field)."""
        d = SLOT_DEFAULTS[name]
        max_len = int(self.max_len.get(name, d["max_len"]))  # type: ignore[arg-type]
        prefix = str(d["prefix"])
        specs = []
        for f in d["fields"]:  # type: ignore[union-attr]
            if fields is not None and f not in fields:
                continue
            buckets = {"item": self.item_buckets, "category": self.cat_buckets, "time_gap": self.gap_buckets}.get(
                str(f)
            )
            specs.append(FieldSpec(str(f), f"{prefix}_{FIELD_SUFFIX[str(f)]}", buckets))
        buckets = None
        if dynamic_length and max_len >= 8:
            buckets = tuple(sorted({max(1, max_len // 4), max(1, max_len // 2), max_len}))
        return Slot(
            name=name,
            source=str(d["source"]),
            view=str(d["view"]),
            max_len=max_len,
            fields=tuple(specs),
            mask=f"{prefix}_mask",
            padding="left",
            types=d.get("types"),  # type: ignore[arg-type]
            length_buckets=buckets,
            max_sessions=self.max_sessions if d["view"] == "sessions" else None,
        )

    def candidate(self) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec("item", "target_item", self.item_buckets),
            FieldSpec("category", "target_cat", self.cat_buckets),
        )

    @staticmethod
    def from_data(data: Manifest, **overrides: object) -> ModelConfig:
        """Adopt bucket counts and lengths from a sample set's manifest (ids are already bucketed)."""
        cand = {c.field: c for c in data.candidate}
        if "item" not in cand or "category" not in cand:
            raise ManifestError("$.candidate", f"fields {sorted(cand)}", "item and category candidate fields")
        gap = next((f.buckets for s in data.slots for f in s.fields if f.field == "time_gap" and f.buckets), 16)
        lengths = {s.name: s.max_len for s in data.slots}
        sessions = next((s.max_sessions for s in data.slots if s.view == "sessions" and s.max_sessions), 4)
        cfg = ModelConfig(
            item_buckets=int(cand["item"].buckets or 0),
            cat_buckets=int(cand["category"].buckets or 0),
            gap_buckets=int(gap),
            max_len=lengths,
            max_sessions=int(sessions),
        )
        return replace(cfg, **overrides)  # type: ignore[arg-type]
