"""Reference replay: `seqlane gen` JSONL -> sample set, in Python, for cross-checking.

The product path is `seqlane replay --samples` (TypeScript: same sequence code as the scorer).
This module re-derives the same views with the Taobao converter's simple rules (long_click =
clicks, long_purchase = purchases, short_mixed = newest 100 non-exposure events) so that a
quality run can compare the two sample sets: if models learn here but not on the replayed
samples, the replay is wrong. Labels follow services/cli/src/samples/labels.ts: the same user
acts on the same item within 30 min (click) or 24 h (cart, purchase) after the exposure.
"""

from __future__ import annotations

import json
import sys
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path

import numpy as np

from . import samples as smp
from .ids import bucket_array, id64
from .manifest import BEHAVIOURS
from .models import ModelConfig
from .taobao import _Writer, fill_user_blocks
from .union import union_manifest

WINDOWS_MS = (30 * 60_000, 24 * 3_600_000, 24 * 3_600_000)
LABELLED = {"click": 0, "cart": 1, "purchase": 2}


def _signed(v: int) -> int:
    """id64 as the int64 with the same bits (event arrays are int64; bucket_array reads them back as uint64)."""
    return v - (1 << 64) if v >= 1 << 63 else v


def convert(
    events_path: str | Path,
    out: str | Path,
    item_buckets: int = 100_000,
    cat_buckets: int = 1_000,
    max_rows: int | None = None,
) -> smp.SampleSet:
    seen: set[str] = set()
    per_user: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    exposures: list[tuple[int, int, int, int, float, str]] = []
    outcomes: dict[tuple[int, int], list[list[int]]] = defaultdict(lambda: [[], [], []])
    with Path(events_path).open() as lines:
        for line in lines:
            e = json.loads(line)
            if e.get("event_id") in seen:
                continue
            seen.add(e["event_id"])
            u, it = id64(e["user_id"]), id64(e["item_id"])
            cat = id64(e["category_id"]) if "category_id" in e else 0
            if e["type"] == "exposure":
                exposures.append((u, it, cat, int(e["ts"]), float(e.get("p_click", float("nan"))), e["event_id"]))
            else:
                per_user[u].append((_signed(it), _signed(cat), BEHAVIOURS[e["type"]], int(e["ts"])))
                if e["type"] in LABELLED:
                    outcomes[(u, it)][LABELLED[e["type"]]].append(int(e["ts"]))
    hist = {u: np.array(sorted(v, key=lambda r: r[3]), dtype=np.int64) for u, v in per_user.items()}
    hist_ts = {u: a[:, 3] for u, a in hist.items()}
    for v in outcomes.values():
        for arr in v:
            arr.sort()
    exposures = exposures[:max_rows] if max_rows else exposures
    m = union_manifest(ModelConfig(item_buckets=item_buckets, cat_buckets=cat_buckets))
    slots = {s.name: s for s in m.slots}
    n = len(exposures)
    w = _Writer(m, n)
    labels = np.zeros((n, 3), np.float32)
    ts, user, p_true = np.zeros(n), np.zeros(n, np.uint64), np.zeros(n, np.float32)
    cand = np.zeros((n, 2), np.uint64)
    empty = np.zeros((0, 4), np.int64)
    for r, (u, it, cat, t, p, _eid) in enumerate(exposures):
        h = hist.get(u, empty)
        past = h[: bisect_left(hist_ts[u], t)] if len(h) else empty  # strictly before the exposure
        fill_user_blocks(w, slots, r, 1, past, t)
        clicks = past[past[:, 2] == 1]
        w.block(r, slots["cat_match"], clicks[clicks[:, 1] == _signed(cat)], t)
        for k, win in enumerate(WINDOWS_MS):
            times = outcomes.get((u, it), [[], [], []])[k]
            i = bisect_left(times, t)
            labels[r, k] = 1.0 if i < len(times) and times[i] <= t + win else 0.0
        ts[r], user[r], p_true[r] = t, u, p
        cand[r] = (it, cat)
        if r % 50000 == 0:
            print(f"genstream: {r}/{n} exposures", file=sys.stderr, flush=True)
    w.t["target_item"] = bucket_array(cand[:, 0], item_buckets)
    w.t["target_cat"] = bucket_array(cand[:, 1], cat_buckets)
    s = smp.SampleSet(m, w.t, labels, ts, user, p_true, {"source": str(events_path)})
    smp.write(s, out, source=f"seqlane_train genstream (reference replay) of {Path(events_path).name}")
    return s
