"""Offline metrics: AUC (rank statistic with ties), GAUC (impression-weighted per user), logloss."""

from __future__ import annotations

import numpy as np


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Mann-Whitney AUC with average ranks for ties; NaN when only one class is present."""
    y = np.asarray(labels, dtype=np.float64) > 0.5
    pos, n = int(y.sum()), int(y.size)
    if pos == 0 or pos == n:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    s = np.asarray(scores, dtype=np.float64)[order]
    ranks = np.empty(n, dtype=np.float64)
    i = 0
    while i < n:  # average ranks over runs of equal scores
        j = i
        while j + 1 < n and s[j + 1] == s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y].sum() - pos * (pos + 1) / 2.0) / (pos * (n - pos)))


def gauc(labels: np.ndarray, scores: np.ndarray, users: np.ndarray) -> float:
    """Per-user AUC weighted by the user's impressions, over users with both classes (DIN paper)."""
    order = np.argsort(users, kind="mergesort")
    u, y, s = users[order], labels[order], scores[order]
    bounds = np.flatnonzero(np.diff(u)) + 1
    total, weight = 0.0, 0
    for ys, ss in zip(np.split(y, bounds), np.split(s, bounds), strict=True):
        a = auc(ys, ss)
        if not np.isnan(a):
            total += a * len(ys)
            weight += len(ys)
    return total / weight if weight else float("nan")


def logloss(labels: np.ndarray, probs: np.ndarray, eps: float = 1e-7) -> float:
    p = np.clip(np.asarray(probs, dtype=np.float64), eps, 1 - eps)
    y = np.asarray(labels, dtype=np.float64)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()) if y.size else float("nan")
