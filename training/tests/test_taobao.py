from __future__ import annotations

from pathlib import Path

import numpy as np

from seqlane_train import samples
from seqlane_train.ids import bucket
from seqlane_train.taobao import convert

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
    # sessions split at 30 min: [10, 11, 12] and [13]
    sm = s.tensors["sess_mask"][r]
    assert sm.shape[0] == 4 and list(sm.sum(-1)) == [0, 0, 3, 1]
    # the negative row shares the user block, not the target
    assert np.array_equal(s.tensors["clicks_item"][r + 1], clicks) and s.labels[r + 1, 0] == 0
    assert s.ts[r] == 9060 * 1000 and s.user[r] == 1
