"""Taobao UserBehavior.csv -> a seqlane sample set (docs/samples.md) for the next-item task.

Task: for each user event (pv/fav/cart/buy), rank the item the user actually touched next
against `negatives` items drawn from the global event distribution of the past (so popularity
alone does not separate them), given only the events before it. Labels: click = positive row;
cart and purchase = positive row whose behaviour was cart / buy. Chosen over "purchase given
cart" because the 84k-event head holds ~76k candidate events but only ~1.7k purchases, and the
next-item task is where the survey's sequence models differ.

Negatives, exactly: all events of the file (every user) are sorted by timestamp (stable); for a
target event at time T the pool is the prefix of events with a timestamp strictly below T, and
each negative is one event drawn uniformly from that prefix, so an item is drawn in proportion
to how often it had been touched before T (the popularity pool as it stood at T, built up in
time order). A target with an empty pool (nothing happened before it) gets no rows. Why: drawing
from the whole file let training rows carry test-period items as negatives (55 % of the test
positives' items were training negatives on the head file), so a model learnt "this item is a
negative" from the future and scored test positives low (target_only 0.459, below chance).
With the past-only pool a negative's item can never be an item first seen after its row's
time: no row holds anything from later than its own timestamp (tests/test_taobao.py).

The sequence views mirror docs/manifest.md: long_click = pv history, long_purchase = buy
history, short_mixed = newest 100 events of any type; sessions split at 30-minute gaps;
category_match = newest K pv records whose category equals the candidate's. Research data:
read it from ../shared/data, never copy it into the repository.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from . import samples as smp
from .ids import bucket_array
from .manifest import BEHAVIOURS, Manifest, Slot
from .models import ModelConfig
from .union import union_manifest

CODES = {"pv": BEHAVIOURS["click"], "fav": BEHAVIOURS["fav"], "cart": BEHAVIOURS["cart"], "buy": BEHAVIOURS["purchase"]}
SHORT_MIXED = 100
SESSION_GAP_MS = 30 * 60 * 1000


def read_csv(path: str | Path) -> dict[int, np.ndarray]:
    """user id64 -> int64 array [n, 4] (item, category, code, ts_ms), time-ordered (stable)."""
    raw = Path(path).read_bytes()
    lines = raw.split(b"\n")
    if not raw.endswith(b"\n"):
        lines = lines[:-1]  # the head file ends in a truncated record
    per_user: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for line in lines:
        parts = line.split(b",")
        if len(parts) != 5 or parts[3].decode() not in CODES or not parts[4].isdigit():
            continue
        per_user[int(parts[0])].append((int(parts[1]), int(parts[2]), CODES[parts[3].decode()], int(parts[4]) * 1000))
    out = {}
    for u, ev in per_user.items():
        a = np.array(ev, dtype=np.int64)
        out[u] = a[np.argsort(a[:, 3], kind="mergesort")]
    return out


def _gap(now: int, ts: np.ndarray, buckets: int) -> np.ndarray:
    gap_min = np.maximum(0, now - ts) / 60000.0
    return 1 + np.minimum(buckets - 2, np.floor(np.log2(1 + gap_min))).astype(np.int64)


class _Writer:
    """Fills the union manifest's tensors row by row (left padding, newest last)."""

    def __init__(self, m: Manifest, rows: int) -> None:
        self.m = m
        self.t: dict[str, np.ndarray] = {}
        for s in m.slots:
            shape = (rows, s.max_sessions, s.max_len) if s.view == "sessions" else (rows, s.max_len)
            for f in s.fields:
                self.t[f.tensor] = np.zeros(shape, np.int64)
            self.t[s.mask] = np.zeros(shape, np.float32)
        for c in m.candidate:
            self.t[c.tensor] = np.zeros(rows, np.int64)

    def block(self, row: int, s: Slot, ev: np.ndarray, now: int, sess: int | None = None) -> None:
        """ev: [n, 4] oldest -> newest; keeps the newest max_len."""
        ev = ev[-s.max_len :]
        n = len(ev)
        if n == 0:
            return
        at = (row, sess) if sess is not None else (row,)
        sl = slice(s.max_len - n, s.max_len)
        for f in s.fields:
            dst = self.t[f.tensor][at]
            if f.field == "item":
                dst[sl] = bucket_array(ev[:, 0].astype(np.uint64), int(f.buckets or 2))
            elif f.field == "category":
                dst[sl] = bucket_array(ev[:, 1].astype(np.uint64), int(f.buckets or 2))
            elif f.field == "type":
                dst[sl] = ev[:, 2]
            elif f.field == "time_gap":
                dst[sl] = _gap(now, ev[:, 3], int(f.buckets or 16))
            elif f.field == "position":
                dst[sl] = np.arange(n, 0, -1)
        self.t[s.mask][at][sl] = 1.0


def fill_user_blocks(w: _Writer, slots: dict[str, Slot], first: int, count: int, hist: np.ndarray, now: int) -> None:
    """Every user-scoped slot for rows first..first+count-1 from the events before `now`."""
    clicks, buys = hist[hist[:, 2] == 1], hist[hist[:, 2] == 4]
    short = hist[-SHORT_MIXED:]
    w.block(first, slots["clicks"], clicks, now)
    if "short_clicks" in slots:
        w.block(first, slots["short_clicks"], short[short[:, 2] == 1], now)
    if "carts" in slots:
        w.block(first, slots["carts"], short[short[:, 2] == 3], now)
    if "purchases" in slots:
        w.block(first, slots["purchases"], buys, now)
    if "mixed" in slots:  # every behaviour type (DUPN, ATRank, TiSSA, AliSearch-style)
        w.block(first, slots["mixed"], short, now)
    if "sessions" in slots:
        s = slots["sessions"]
        cuts = np.flatnonzero(np.diff(short[:, 3]) > SESSION_GAP_MS) + 1
        sessions = np.split(short, cuts) if len(short) else []
        sessions = sessions[-int(s.max_sessions or 1) :]
        offset = int(s.max_sessions or 1) - len(sessions)
        for i, block in enumerate(sessions):
            w.block(first, s, block, now, sess=offset + i)
    user_tensors = [
        n for sl in w.m.slots if sl.view != "category_match" for n in [sl.mask] + [f.tensor for f in sl.fields]
    ]
    for n in user_tensors:
        w.t[n][first + 1 : first + count] = w.t[n][first]


def past_pool(users: dict[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Every event [n, 4] sorted by ts (stable) and its ts column: events[:searchsorted(ts, T)] precede T."""
    events = np.concatenate(list(users.values()))
    events = events[np.argsort(events[:, 3], kind="mergesort")]
    return events, np.ascontiguousarray(events[:, 3])


def convert(
    csv: str | Path,
    out: str | Path,
    negatives: int = 1,
    max_events_per_user: int = 60,
    seed: int = 0,
    item_buckets: int = 200_003,
    cat_buckets: int = 10_007,
) -> smp.SampleSet:
    rng = np.random.default_rng(seed)
    users = read_csv(csv)
    m = union_manifest(ModelConfig(item_buckets=item_buckets, cat_buckets=cat_buckets))
    pool, pool_ts = past_pool(users)
    targets = [
        (u, t)
        for u, ev in users.items()
        for t in range(max(1, len(ev) - max_events_per_user), len(ev))
        if np.searchsorted(pool_ts, ev[t, 3], side="left") > 0
    ]
    rows = len(targets) * (1 + negatives)
    w = _Writer(m, rows)
    labels = np.zeros((rows, 3), np.float32)
    ts = np.zeros(rows, np.float64)
    user_col = np.zeros(rows, np.uint64)
    cand = np.zeros((rows, 2), np.int64)  # raw item, category ids
    slots = {s.name: s for s in m.slots}
    row = 0
    for k, (u, t) in enumerate(targets):
        ev, now = users[u], int(users[u][t, 3])
        hist = ev[:t]
        clicks = hist[hist[:, 2] == 1]
        negs = pool[rng.integers(0, np.searchsorted(pool_ts, now, side="left"), size=negatives)]
        cands = np.concatenate([ev[t : t + 1], negs])
        first = row
        for j, c in enumerate(cands):
            r = row + j
            cand[r] = c[:2]
            labels[r, 0] = 1.0 if j == 0 else 0.0
            labels[r, 1] = 1.0 if j == 0 and c[2] == 3 else 0.0
            labels[r, 2] = 1.0 if j == 0 and c[2] == 4 else 0.0
            ts[r], user_col[r] = now, u
            if "cat_match" in slots:
                w.block(r, slots["cat_match"], clicks[clicks[:, 1] == c[1]], now)
        fill_user_blocks(w, slots, first, len(cands), hist, now)
        row += len(cands)
        if k % 10000 == 0:
            print(f"taobao: {k}/{len(targets)} targets", file=sys.stderr, flush=True)
    w.t["target_item"] = bucket_array(cand[:, 0].astype(np.uint64), item_buckets)
    w.t["target_cat"] = bucket_array(cand[:, 1].astype(np.uint64), cat_buckets)
    s = smp.SampleSet(m, w.t, labels, ts, user_col, None, {"source": str(csv)})
    smp.write(
        s, out, source=f"taobao-userbehavior next-item, {negatives} negative(s) from the past pool, {Path(csv).name}"
    )
    print(f"taobao: {rows} rows ({len(targets)} targets, {len(users)} users) -> {out}", file=sys.stderr)
    return s
