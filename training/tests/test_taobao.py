from __future__ import annotations

from pathlib import Path

import numpy as np

from seqlane_train import samples
from seqlane_train.ids import bucket
from seqlane_train.taobao import convert
from seqlane_train.trainer import FitOptions, fit

CSV = """1,10,100,pv,1000
1,11,100,pv,1060
1,12,200,cart,1120
1,13,100,pv,9000
1,14,300,buy,9060
2,20,100,pv,500
2,21,200,pv,560
2,22"""  # the real head file ends in a truncated record like this one


def test_convert_builds_contract_tensors(tmp_path: Path) -> None:
    (tmp_path / "ub.csv").write_text(CSV)
    convert(tmp_path / "ub.csv", tmp_path / "s", negatives=1, item_buckets=1000, cat_buckets=50)
    s = samples.read(tmp_path / "s")
    assert s.rows == 2 * (4 + 1)  # targets: user 1 events 2..5, user 2 event 2; one negative each
    pos = np.flatnonzero(s.labels[:, 0] == 1)
    assert len(pos) == 5
    # the row predicting user 1's buy of item 14 at t=9060: history = 4 events
    r = int(pos[3])
    assert s.tensors["target_item"][r] == bucket(14, 1000) and s.labels[r, 2] == 1
    clicks = s.tensors["clicks_item"][r]
    assert list(clicks[-3:]) == [bucket(10, 1000), bucket(11, 1000), bucket(13, 1000)]
    assert list(s.tensors["clicks_pos"][r][-3:]) == [3, 2, 1] and s.tensors["clicks_mask"][r].sum() == 3
    # gaps in minutes: 8060 s -> 134 min -> 1+floor(log2(135)) = 8; 60 s -> 1 min -> 2
    assert s.tensors["sclk_gap"][r][-1] == 2 and s.tensors["sclk_gap"][r][-3] == 8
    assert list(s.tensors["cart_item"][r][-1:]) == [bucket(12, 1000)]
    # the mixed view keeps every type in time order: pv, pv, cart, pv (codes 1, 1, 3, 1)
    assert list(s.tensors["mix_type"][r][-4:]) == [1, 1, 3, 1] and s.tensors["mix_mask"][r].sum() == 4
    assert list(s.tensors["mix_item"][r][-2:]) == [bucket(12, 1000), bucket(13, 1000)]
    assert s.tensors["dev_mask"][r].sum() == 0 and s.tensors["expo_mask"][r].sum() == 0  # not in this data
    # sessions split at 30 min: [10, 11, 12] and [13]
    sm = s.tensors["sess_mask"][r]
    assert sm.shape[0] == 4 and list(sm.sum(-1)) == [0, 0, 3, 1]
    # the negative row shares the user block, not the target
    assert np.array_equal(s.tensors["clicks_item"][r + 1], clicks) and s.labels[r + 1, 0] == 0
    assert s.ts[r] == 9060 * 1000 and s.user[r] == 1


def _staggered_csv(users: int = 6, events: int = 20) -> tuple[str, dict[int, int]]:
    """User u is active from u*1000 s on, every event a new item: items keep appearing till the end."""
    lines, first_seen = [], {}
    for u in range(1, users + 1):
        for i in range(events):
            item, ts = 1000 * u + i, 1000 * u + 60 * i
            lines.append(f"{u},{item},{1 + i % 3},pv,{ts}")
            first_seen.setdefault(item, ts * 1000)
    return "\n".join(lines) + "\n", first_seen


def test_negatives_are_items_seen_before_the_row(tmp_path: Path) -> None:
    text, first_seen = _staggered_csv()
    (tmp_path / "ub.csv").write_text(text)
    buckets = 100_003
    convert(tmp_path / "ub.csv", tmp_path / "s", negatives=3, item_buckets=buckets, cat_buckets=50)
    s = samples.read(tmp_path / "s")
    item_of = {bucket(i, buckets): i for i in first_seen}
    assert len(item_of) == len(first_seen)  # no collisions: a bucket names one item
    neg = np.flatnonzero(s.labels[:, 0] == 0)
    assert len(neg) == 3 * (s.rows // 4) and len(neg) > 300
    late = [r for r in neg if first_seen[item_of[int(s.tensors["target_item"][r])]] >= s.ts[r]]
    assert late == [], f"{len(late)} of {len(neg)} negatives are items first seen at or after their row's time"


def test_a_target_with_no_past_gets_no_rows(tmp_path: Path) -> None:
    # user 1's second event shares the file's first timestamp: nothing strictly earlier to draw from
    (tmp_path / "ub.csv").write_text("1,10,1,pv,1000\n1,11,1,pv,1000\n1,12,1,pv,1060\n")
    convert(tmp_path / "ub.csv", tmp_path / "s", negatives=1, item_buckets=1000, cat_buckets=50)
    s = samples.read(tmp_path / "s")
    assert s.rows == 2 and list(s.labels[:, 0]) == [1, 0] and list(s.ts) == [1060_000, 1060_000]
    assert s.tensors["target_item"][1] in {bucket(10, 1000), bucket(11, 1000)}


def _drifting_csv(users: int = 40, events: int = 80, seed: int = 0) -> str:
    """Categories come and go: category c (items 1000c..1000c+29) is touched only in tenths c and c+1 of the span.

    Leak-prone: the newest (test) rows are mostly of the last categories, which drawing negatives
    from the whole file made training negatives long before anyone touched them.
    """
    rng = np.random.default_rng(seed)
    lines = []
    for u in range(1, users + 1):
        for ts in np.sort(rng.integers(0, 1_000_000, size=events)):
            tenth = int(ts) // 100_000
            c = int(rng.choice([c for c in (tenth - 1, tenth) if 0 <= c < 10]))
            lines.append(f"{u},{1000 * (c + 1) + int(rng.integers(30))},{c + 1},pv,{1_500_000_000 + int(ts)}")
    return "\n".join(lines) + "\n"


def test_target_only_is_not_below_chance_on_a_drifting_file(tmp_path: Path) -> None:
    # With negatives drawn from the whole file, these settings gave target_only a test AUC of
    # 0.28-0.30 on such files (seeds 0-2; 0.55-0.62 now): it learnt the future categories as negatives.
    (tmp_path / "ub.csv").write_text(_drifting_csv())
    convert(tmp_path / "ub.csv", tmp_path / "s", negatives=1, item_buckets=1000, cat_buckets=50)
    res = fit(
        FitOptions(
            model="target_only",
            data=str(tmp_path / "s"),
            out=str(tmp_path / "o"),
            epochs=4,
            batch_size=64,
            export=False,
            quiet=True,
        )
    )
    assert res["rows"]["test"] == 480
    assert res["val_auc"] > 0.6 and res["test"]["auc"] > 0.5, res["history"]
