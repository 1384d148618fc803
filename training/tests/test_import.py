"""`python -m seqlane_train import`: pre-built sequence rows + a JSON mapping -> a sample set."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from seqlane_train import samples
from seqlane_train.cli import main
from seqlane_train.errors import OptionsError, SamplesError
from seqlane_train.ids import bucket, id64
from seqlane_train.importer import convert
from seqlane_train.trainer import FitOptions, fit

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "import"
IB, CB, BB = 1000, 100, 500  # item, category, brand buckets


def _csv(path: Path, header: list[str], rows: list[list[Any]], delimiter: str = ",") -> Path:
    with path.open("w", newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def _mapping(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc))
    return path


def _import(tmp_path: Path, data: Path, mapping: Path, **kw: Any) -> samples.SampleSet:
    convert(data, mapping, tmp_path / "out", item_buckets=IB, cat_buckets=CB, brand_buckets=BB, **kw)
    return samples.read(tmp_path / "out")  # what was written, validated as any sample set


def _tail(a: np.ndarray, n: int) -> list[int]:
    return [int(x) for x in a[-n:]]


# --- DMR's Alimama layout (examples/import/dmr.json) ---------------------------------------------

DMR_HEADER = ["clk", "btag_his", "cate_his", "brand_his", "userid", "adgroup_id", "cate_id", "brand", "price", "pid"]


def _dmr_rows() -> list[list[Any]]:
    long_his = "^".join(str(1000 + i) for i in range(60))
    return [
        # types 1 = pv (clicks), 2 = cart, 4 = buy; the brand "0" at position 6 is padding (no record)
        [1, "1^1^2^1^4^1", "100^200^100^300^100^100", "11^12^13^14^15^0", 7, 9001, 100, 500, 1.0, 1],
        [0, "", "", "", 8, 9002, 200, 501, 2.0, 1],  # a user with no history
        [0, "^".join(["1"] * 60), "^".join(["100"] * 60), long_his, 9, 9003, 100, 502, 3.0, 2],
    ]


def test_dmr_example_fills_slots_by_btag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _csv(tmp_path / "taobaoad.csv", DMR_HEADER, _dmr_rows())
    s = _import(tmp_path, data, EXAMPLES / "dmr.json")
    assert s.rows == 3
    t = s.tensors
    # row 0: clicks are the btag-1 records 11 (c100), 12 (c200), 14 (c300), oldest first, left padded
    assert t["clicks_item"].shape == (3, 50)
    assert _tail(t["clicks_item"][0], 4) == [0, bucket(11, IB), bucket(12, IB), bucket(14, IB)]
    assert _tail(t["clicks_cat"][0], 3) == [bucket(100, CB), bucket(200, CB), bucket(300, CB)]
    assert _tail(t["clicks_pos"][0], 4) == [0, 3, 2, 1] and t["clicks_mask"][0].sum() == 3
    assert t["clicks_mask"].dtype == np.float32 and set(np.unique(t["clicks_mask"])) <= {0.0, 1.0}
    assert _tail(t["cart_item"][0], 2) == [0, bucket(13, IB)] and t["cart_mask"][0].sum() == 1
    assert _tail(t["buy_item"][0], 2) == [0, bucket(15, IB)] and t["buy_mask"][0].sum() == 1
    assert _tail(t["sclk_item"][0], 3) == _tail(t["clicks_item"][0], 3)
    # cat_match: the clicks whose category equals the target's (100): only 11
    assert _tail(t["cm_item"][0], 2) == [0, bucket(11, IB)] and t["cm_mask"][0].sum() == 1
    # no per-position times: the time-gap fallback is 0 everywhere
    assert not t["sclk_gap"].any() and not t["cm_gap"].any()
    # target: item = brand, category = cate_id; labels; user; ts = row order
    assert list(t["target_item"]) == [bucket(500, IB), bucket(501, IB), bucket(502, IB)]
    assert list(t["target_cat"]) == [bucket(100, CB), bucket(200, CB), bucket(100, CB)]
    assert s.labels.tolist() == [[1, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert list(s.user) == [7, 8, 9] and list(s.ts) == [0.0, 1.0, 2.0]
    # row 1: no history, every slot all padding
    assert all(not t[n][1].any() for n in t if n.endswith("_mask"))
    # row 2: 60 clicks -> the newest 50 (1010..1059), short_clicks and cat_match the newest 20
    assert list(t["clicks_item"][2]) == [bucket(1000 + i, IB) for i in range(10, 60)]
    assert list(t["clicks_pos"][2]) == list(range(50, 0, -1))
    assert list(t["sclk_item"][2]) == [bucket(1000 + i, IB) for i in range(40, 60)]
    assert list(t["cm_item"][2]) == [bucket(1000 + i, IB) for i in range(40, 60)]
    # sessions cannot be filled from this source: all padding, so every model still trains
    assert t["sess_item"].shape == (3, 4, 10) and not t["sess_mask"].any()
    err = capsys.readouterr().err
    assert "ts = their row order" in err and "time_gap is 0" in err


# --- DIN's Amazon layout (examples/import/amazon-din.json) ---------------------------------------

AMAZON_HEADER = ["label", "userID", "itemID", "cateID", "hist_item_list", "hist_cate_list"]


def _b(raw: str, buckets: int) -> int:
    return bucket(id64(raw), buckets)


def test_amazon_din_example_hashes_string_ids(tmp_path: Path) -> None:
    rows = [
        [1, "A2SUAM1J3GNN3B", "0553092626", "Books", "0000031852|0001|B00ABC", "Books|Music|Books"],
        [0, "A1", "0001", "Music", "0000031852", "Books"],
    ]
    s = _import(tmp_path, _csv(tmp_path / "amazon.csv", AMAZON_HEADER, rows), EXAMPLES / "amazon-din.json")
    t = s.tensors
    items = [_b("0000031852", IB), _b("0001", IB), _b("B00ABC", IB)]
    assert id64("0001") >= 2**63  # a leading zero keeps it a string id (docs/ids.md)
    assert _tail(t["clicks_item"][0], 4) == [0, *items] and _tail(t["clicks_pos"][0], 3) == [3, 2, 1]
    assert _tail(t["clicks_cat"][0], 3) == [_b("Books", CB), _b("Music", CB), _b("Books", CB)]
    assert _tail(t["sclk_item"][0], 3) == items
    assert _tail(t["cm_item"][0], 3) == [0, items[0], items[2]]  # the two "Books" records
    assert t["target_item"][0] == _b("0553092626", IB) and t["target_cat"][1] == _b("Music", CB)
    assert t["cm_mask"][1].sum() == 0  # row 1's one click is Books, its target Music
    assert s.user[0] == id64("A2SUAM1J3GNN3B") and list(s.labels[:, 0]) == [1, 0]
    assert not t["cart_mask"].any() and not t["buy_mask"].any() and not t["sess_mask"].any()


# --- fixed-length groups, newest first, per-position times, sessions, brand -----------------------

GROUP_MAPPING = {
    "user": "uid",
    "timestamp": "t",
    "time_unit": "s",
    "labels": {"click": "clk", "cart": "carted"},
    "target": {"item": "iid", "category": "cid", "brand": "bid"},
    "list_order": "newest_first",
    "padding": "-1",
    "slots": {
        "clicks": {"item": "h_item_*", "category": "h_cat_*", "brand": "h_brand_*", "ts": "h_t_*"},
        "short_clicks": {"item": "h_item_*", "category": "h_cat_*", "ts": "h_t_*"},
        "sessions": {"item": "h_item_*", "category": "h_cat_*", "ts": "h_t_*"},
    },
}
GROUP_HEADER = ["uid", "t", "clk", "carted", "iid", "cid", "bid"] + [
    f"h_{k}_{i}" for k in ("item", "cat", "brand", "t") for i in range(4)
]


def test_groups_newest_first_with_times(tmp_path: Path) -> None:
    now = 100_000
    # newest first: 41 at now-60 s, 42 at now-120 s, then 43 two hours earlier; slot 3 is padding (-1)
    items, cats, brands, times = (
        [41, 42, 43, -1],
        [5, 6, 5, -1],
        [71, "", 73, -1],
        [now - 60, now - 120, now - 7320, -1],
    )
    hist = [*items, *cats, *brands, *times]
    rows = [[3, now, 1, 1, 40, 5, 70, *hist], [4, now + 5, 0, 0, 40, 6, "", *([-1] * 16)]]
    data = _csv(tmp_path / "g.csv", GROUP_HEADER, rows)
    s = _import(tmp_path, data, _mapping(tmp_path / "g.json", GROUP_MAPPING))
    t = s.tensors
    # reversed into oldest-first: 43, 42, 41 (newest last)
    assert _tail(t["clicks_item"][0], 3) == [bucket(43, IB), bucket(42, IB), bucket(41, IB)]
    assert _tail(t["clicks_pos"][0], 4) == [0, 3, 2, 1]
    # brand fields: an empty brand is the padding row 0
    assert _tail(t["clicks_brand"][0], 3) == [bucket(73, BB), 0, bucket(71, BB)]
    assert t["target_brand"].tolist() == [bucket(70, BB), 0]
    assert _tail(t["cm_brand"][0], 2) == [bucket(73, BB), bucket(71, BB)]  # category 5: 43 and 41
    # gaps by taobao._gap in minutes: 122 min -> 1+floor(log2(123)) = 7; 2 min -> 2; 1 min -> 2
    assert _tail(t["sclk_gap"][0], 4) == [0, 7, 2, 2]
    assert _tail(t["cm_gap"][0], 3) == [0, 7, 2]
    # sessions split at 30 min: [43] then [42, 41], newest session last
    assert t["sess_mask"][0].sum(-1).tolist() == [0, 0, 1, 2]
    assert _tail(t["sess_item"][0][3], 2) == [bucket(42, IB), bucket(41, IB)]
    assert _tail(t["sess_pos"][0][3], 3) == [0, 2, 1]
    assert s.ts.tolist() == [now * 1000.0, (now + 5) * 1000.0]
    assert s.labels.tolist() == [[1, 1, 0], [0, 0, 0]]
    assert not t["clicks_mask"][1].any() and not t["sess_mask"][1].any()
    meta = json.loads((tmp_path / "out" / "meta.json").read_text())
    assert {"field": "brand", "tensor": "target_brand", "buckets": BB} in meta["manifest"]["candidate"]


# --- Parquet --------------------------------------------------------------------------------------


def test_parquet_list_columns(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "label": [1, 0],
            "userID": ["u1", "u2"],
            "itemID": ["i9", "i8"],
            "cateID": ["c1", "c2"],
            "hist_item_list": [["i1", "i2"], []],
            "hist_cate_list": [["c1", "c2"], []],
        }
    )
    pq.write_table(table, tmp_path / "a.parquet")
    s = _import(tmp_path, tmp_path / "a.parquet", EXAMPLES / "amazon-din.json")
    assert _tail(s.tensors["clicks_item"][0], 3) == [0, _b("i1", IB), _b("i2", IB)]
    assert not s.tensors["clicks_mask"][1].any()


def test_parquet_without_pyarrow_names_the_package(tmp_path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("pyarrow is installed")
    (tmp_path / "a.parquet").write_bytes(b"PAR1")
    with pytest.raises(SamplesError, match=r"a\.parquet.*pyarrow"):
        _import(tmp_path, tmp_path / "a.parquet", EXAMPLES / "amazon-din.json")


# --- fit trains on an imported set ----------------------------------------------------------------


def test_fit_trains_on_imported_rows(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    rows = []
    for r in range(200):
        cats = rng.integers(0, 5, size=int(rng.integers(1, 12)))
        target_cat = int(rng.integers(0, 5))
        label = int(target_cat in cats[-3:]) if rng.random() < 0.8 else int(rng.integers(0, 2))
        items = "|".join(f"i{c}_{int(rng.integers(0, 20))}" for c in cats)
        rows.append(
            [label, f"u{r % 40}", f"i{target_cat}_{r % 20}", f"c{target_cat}", items, "|".join(f"c{c}" for c in cats)]
        )
    data = _csv(tmp_path / "amazon.csv", AMAZON_HEADER, rows)
    s = _import(tmp_path, data, EXAMPLES / "amazon-din.json")
    assert s.rows == 200
    opts = FitOptions(
        model="din",
        data=str(tmp_path / "out"),
        out=str(tmp_path / "fit"),
        epochs=1,
        min_steps=0,
        export=False,
        quiet=True,
        device="cpu",
    )
    res = fit(opts)
    assert res["rows"]["train"] + res["rows"]["val"] + res["rows"]["test"] == 200
    assert np.isfinite(res["test"]["logloss"])


# --- errors: one line naming the file, the row and the column -------------------------------------


def _dmr_error(tmp_path: Path, rows: list[list[Any]], header: list[str] = DMR_HEADER) -> str:
    data = _csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(SamplesError) as e:
        convert(data, EXAMPLES / "dmr.json", tmp_path / "out", item_buckets=IB, cat_buckets=CB)
    msg = str(e.value)
    assert "\n" not in msg and "bad.csv" in msg
    return msg


def test_error_mapped_column_missing(tmp_path: Path) -> None:
    header = [c if c != "cate_his" else "cat_his" for c in DMR_HEADER]
    msg = _dmr_error(tmp_path, _dmr_rows(), header)
    assert "column 'cate_his'" in msg and "slots.clicks.category" in msg and "cat_his" in msg


def test_error_non_integer_and_empty_ids(tmp_path: Path) -> None:
    rows = _dmr_rows()
    rows[1][4] = "u8"
    assert "row 2 (line 3), column userid: 'u8' is not a non-negative integer id" in _dmr_error(tmp_path, rows)
    rows = _dmr_rows()
    rows[2][7] = ""
    assert "row 3 (line 4), column brand: empty id" in _dmr_error(tmp_path, rows)
    rows = _dmr_rows()
    rows[0][2] = "100^x^100^300^100^100"
    assert "row 1 (line 2), column cate_his: 'x' is not" in _dmr_error(tmp_path, rows)


def test_error_label_not_binary(tmp_path: Path) -> None:
    rows = _dmr_rows()
    rows[2][0] = 2
    assert "row 3 (line 4), column clk: label '2' is not 0 or 1" in _dmr_error(tmp_path, rows)


def test_error_list_lengths_differ(tmp_path: Path) -> None:
    rows = _dmr_rows()
    rows[0][2] = "100^200"
    assert "row 1 (line 2), column cate_his: 2 values but brand_his" in _dmr_error(tmp_path, rows)


def test_error_group_with_a_gap(tmp_path: Path) -> None:
    header = [c for c in GROUP_HEADER if c != "h_cat_1"]
    data = _csv(tmp_path / "gap.csv", header, [[0] * len(header)])
    with pytest.raises(SamplesError, match=r"gap\.csv: column group 'h_cat_\*' .*h_cat_1 is missing"):
        convert(data, _mapping(tmp_path / "g.json", GROUP_MAPPING), tmp_path / "out")


def test_error_mapping_key_unknown_or_missing(tmp_path: Path) -> None:
    data = _csv(tmp_path / "d.csv", DMR_HEADER, _dmr_rows())
    doc = json.loads((EXAMPLES / "dmr.json").read_text())
    typo = json.loads(json.dumps(doc))
    typo["slots"]["clicks"]["itme"] = typo["slots"]["clicks"].pop("item")
    with pytest.raises(OptionsError, match=r"typo\.json \$\.slots\.clicks\.itme: unknown key"):
        convert(data, _mapping(tmp_path / "typo.json", typo), tmp_path / "out")
    missing = {k: v for k, v in doc.items() if k != "user"}
    with pytest.raises(OptionsError, match=r"missing\.json \$\.user: is missing"):
        convert(data, _mapping(tmp_path / "missing.json", missing), tmp_path / "out")
    no_clicks = dict(doc, slots={"carts": doc["slots"]["carts"]})
    with pytest.raises(OptionsError, match=r"\$\.slots\.clicks: is missing"):
        convert(data, _mapping(tmp_path / "nc.json", no_clicks), tmp_path / "out")


def test_cli_prints_errors_like_other_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _dmr_rows()
    rows[0][0] = "yes"
    data = _csv(tmp_path / "bad.csv", DMR_HEADER, rows)
    rc = main(["import", "--data", str(data), "--mapping", str(EXAMPLES / "dmr.json"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and err[-1].startswith("seqlane_train import: error: samples ")
    assert err[-1].endswith("bad.csv: row 1 (line 2), column clk: label 'yes' is not 0 or 1")
    data = _csv(tmp_path / "d.csv", DMR_HEADER, _dmr_rows())
    args = ["--mapping", str(EXAMPLES / "dmr.json"), "--out", str(tmp_path / "o"), "--max-rows", "2"]
    ok = main(["import", "--data", str(data), *args])
    assert ok == 0 and samples.read(tmp_path / "o").rows == 2
