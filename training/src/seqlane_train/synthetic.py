"""Random user-major inputs that follow a manifest's shapes (for parity tests and smoke runs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .manifest import Manifest, Slot

if TYPE_CHECKING:
    from .samples import SampleSet


def _block(slot: Slot, lead: int, length: int, sessions: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    shape = (lead, sessions, length) if slot.view == "sessions" else (lead, length)
    real = rng.integers(0, length + 1, size=shape[:-1])  # per-row real length, some empty
    idx = np.arange(length)
    if slot.padding == "left":
        mask = (idx >= (length - real)[..., None]).astype(np.float32)
    else:
        mask = (idx < real[..., None]).astype(np.float32)
    out: dict[str, np.ndarray] = {slot.mask: mask}
    for f in slot.fields:
        if f.field == "position":
            # 1 = newest; newest is the last real record for left padding, the last one for right
            rank = (
                np.cumsum(mask[..., ::-1], axis=-1)[..., ::-1] if slot.padding == "left" else np.cumsum(mask, axis=-1)
            )
            vals = rank.astype(np.int64) if slot.padding == "left" else (real[..., None] - rank + 1).astype(np.int64)
        elif f.field == "type":
            vals = rng.integers(1, 6, size=shape)
        else:
            vals = rng.integers(1, int(f.buckets or 2), size=shape)
        out[f.tensor] = (vals * mask).astype(np.int64)
    return out


def inputs(
    m: Manifest, users: int, cands: int, lengths: dict[str, int] | None = None, seed: int = 0
) -> dict[str, np.ndarray]:
    """A batch of `users` user blocks and `cands` candidates (cand_user_index random, every user used)."""
    rng = np.random.default_rng(seed)
    lengths = lengths or {}
    out: dict[str, np.ndarray] = {}
    for s in m.slots:
        lead = cands if s.view == "category_match" else users
        out.update(_block(s, lead, lengths.get(s.name, s.max_len), s.max_sessions or 1, rng))
    for c in m.candidate:
        out[c.tensor] = rng.integers(1, int(c.buckets or 2), size=cands).astype(np.int64)
    for c in m.context:
        out[c.tensor] = rng.integers(1, int(c.buckets or 2), size=users).astype(np.int64)
    cui = np.concatenate([np.arange(min(users, cands)), rng.integers(0, users, size=max(0, cands - users))])
    out[m.cand_user_index] = rng.permutation(cui).astype(np.int64)
    return out


def sample_set(m: Manifest, rows: int, seed: int = 0, users: int = 50) -> SampleSet:
    """A learnable sample set: clicks are likelier when the target's category is in the history.

    The signal lives in the `clicks` slot only. For tests and smoke runs; quality runs use the
    TypeScript generator + replay.
    """
    from .samples import SampleSet

    rng = np.random.default_rng(seed)
    t = inputs(m, rows, rows, seed=seed)
    t.pop(m.cand_user_index)
    target_cat = next(c.tensor for c in m.candidate if c.field == "category")
    hit = np.zeros(rows, dtype=bool)
    for s in m.slots:
        cat = s.field_spec("category")
        if cat is None:
            continue
        if s.view == "category_match":  # the hard search keeps only the target's category
            t[cat.tensor] = (t[target_cat][:, None] * t[s.mask]).astype(np.int64)
        elif s.name == "clicks" or len(m.slots) == 1:  # the signal lives in one slot
            flat = t[cat.tensor].reshape(rows, -1)
            hit |= (flat == t[target_cat][:, None]).any(axis=1)
    p = 1.0 / (1.0 + np.exp(-(-1.0 + 2.5 * hit)))
    click = (rng.random(rows) < p).astype(np.float32)
    buy = click * (rng.random(rows) < 0.3)
    labels = np.stack([click, buy, buy], axis=1).astype(np.float32)
    ts = np.sort(rng.random(rows) * 1e9).astype(np.float64)
    user = rng.integers(1, users + 1, size=rows).astype(np.uint64)
    return SampleSet(m, t, labels, ts, user, p.astype(np.float32), {"source": "synthetic"})
