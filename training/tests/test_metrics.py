from __future__ import annotations

import itertools

import numpy as np

from seqlane_train.metrics import auc, gauc, logloss


def brute_auc(y: np.ndarray, s: np.ndarray) -> float:
    pairs = [(a, b) for a, b in itertools.product(s[y == 1], s[y == 0])]
    return sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs) / len(pairs)


def test_auc_matches_pair_counting_with_ties() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        y = rng.integers(0, 2, 30)
        if y.min() == y.max():
            continue
        s = rng.integers(0, 5, 30).astype(float)  # many ties
        assert abs(auc(y, s) - brute_auc(y, s)) < 1e-12


def test_auc_single_class_is_nan() -> None:
    assert np.isnan(auc(np.ones(4), np.arange(4.0)))


def test_gauc_weights_users_by_impressions_and_skips_one_class_users() -> None:
    y = np.array([1, 0, 1, 0, 0, 1, 1])
    s = np.array([0.9, 0.1, 0.2, 0.8, 0.5, 0.3, 0.3])
    u = np.array([1, 1, 2, 2, 2, 3, 3])  # user 3 has only positives
    want = (2 * 1.0 + 3 * 0.0) / 5
    assert abs(gauc(y, s, u) - want) < 1e-12


def test_logloss() -> None:
    assert abs(logloss(np.array([1, 0]), np.array([0.5, 0.5])) - np.log(2)) < 1e-12
