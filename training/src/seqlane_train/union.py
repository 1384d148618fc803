"""The union manifest: every slot any model needs, so one replayed sample set trains them all."""

from __future__ import annotations

from .manifest import Manifest, Slot
from .models import REGISTRY, ModelConfig


def union_manifest(cfg: ModelConfig, models: list[str] | None = None, version: str = "1") -> Manifest:
    slots: dict[str, Slot] = {}
    for name in models or list(REGISTRY):
        model_manifest = REGISTRY[name](cfg).manifest()
        for s in model_manifest.slots:
            prev = slots.get(s.name)
            if prev is None:
                slots[s.name] = s
            else:  # same slot from several models: the union of fields, no length buckets
                fields = {f.field: f for f in prev.fields + s.fields}
                slots[s.name] = Slot(
                    prev.name,
                    prev.source,
                    prev.view,
                    prev.max_len,
                    tuple(fields.values()),
                    prev.mask,
                    prev.padding,
                    prev.types,
                    None,
                    prev.max_sessions,
                )
    return Manifest(
        name="union",
        version=version,
        family="transformer",
        architecture="union",
        tasks=("ctr", "cvr", "ctcvr"),
        slots=tuple(slots.values()),
        candidate=cfg.candidate(),
        outputs={"ctr": "ctr", "cvr": "cvr", "ctcvr": "ctcvr"},
    )
