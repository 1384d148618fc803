"""Pre-built sequence rows (CSV or Parquet) -> a seqlane sample set (docs/samples.md).

Published CTR data sets (DMR's Alimama rows, DIN's Amazon rows) ship one row per exposure with
the user's history already joined in, as list columns ("12|55|7", or a Parquet list) or as
fixed-length column groups (hist_cat_0 .. hist_cat_49). A small JSON mapping (docs/samples.md,
"Importing pre-built sequence rows"; examples in training/examples/import/) says which columns
fill what; this module writes them as the union manifest's tensors (union.py), so every model of
the zoo trains on the result, with taobao.py's conventions: ids through docs/ids.md (id64, then
bucket), left padding with the newest record last, mask float32 1.0 on real positions,
`position` 1 for the newest record, `time_gap` by taobao._gap, user tensors on every row.

- Slots the mapping names (clicks, short_clicks, carts, purchases, sessions) keep the newest
  max_len records of their columns, after dropping "no record" positions (the padding value or
  an empty element) and, when the slot declares a behaviour-type column, the positions whose type
  is not in the slot's `types`. A longer list is truncated, not an error.
- cat_match (SIM's candidate-scoped view) is derived from the clicks records as taobao.py does:
  the newest K whose category id64 equals the target's.
- Slots the mapping does not name are written all padding (mask 0).
- time_gap: from per-position timestamps (`ts`) against the row timestamp when both are mapped.
  Otherwise the FALLBACK is the constant 0, the embedding table's padding row: a zero vector that
  is never trained, so an unknown gap adds nothing to the record. A made-up scale (records assumed
  N minutes apart) would only restate `position`, and a model would learn that invented scale and
  misread the real gaps the scorer computes at serving time.
- Without a `timestamp` column a row's ts is its row index (0, 1, ...), so fit's time split
  becomes file order; a note says so.
- An optional brand (target and per slot) is kept as extra `brand` fields (target_brand,
  clicks_brand, ...): valid manifest fields that today's models ignore.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from . import samples as smp
from .errors import OptionsError, SamplesError
from .ids import bucket_array, id64
from .manifest import FieldSpec, Manifest, Slot
from .models import ModelConfig
from .models.config import FIELD_SUFFIX, SLOT_DEFAULTS
from .taobao import SESSION_GAP_MS, _gap
from .union import union_manifest

TOP_KEYS = (
    "comment",
    "format",
    "delimiter",
    "list_separator",
    "ids",
    "user",
    "timestamp",
    "time_unit",
    "labels",
    "target",
    "list_order",
    "padding",
    "slots",
)
TOP_REQUIRED = ("user", "labels", "target", "slots")
LABEL_KEYS = ("click", "cart", "purchase")
TARGET_KEYS = ("item", "category", "brand")
SLOT_KEYS = ("comment", "item", "category", "brand", "type", "types", "ts", "list_order", "padding")
MAPPABLE = ("clicks", "short_clicks", "carts", "purchases", "sessions")
ORDERS = ("oldest_first", "newest_first")
UNITS = {"s": 1000.0, "ms": 1.0}
_DIGITS = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class SlotMap:
    name: str
    item: str
    category: str
    brand: str | None
    type: str | None
    types: frozenset[str]
    ts: str | None
    order: str
    padding: frozenset[str]


@dataclass(frozen=True)
class Mapping:
    path: str
    format: str | None
    delimiter: str
    list_separator: str
    ids: str  # integer | string
    user: str
    timestamp: str | None
    time_unit: str
    labels: dict[str, str]
    target: dict[str, str]
    slots: dict[str, SlotMap]

    def has_brand(self) -> bool:
        return "brand" in self.target or any(s.brand for s in self.slots.values())


# --- the mapping file ---------------------------------------------------------------------------


def _bad(path: str, where: str, problem: str, expected: str) -> OptionsError:
    return OptionsError(f"mapping {path} {where}", problem, expected)


def _object(path: str, where: str, v: Any, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise _bad(path, where, f"is {type(v).__name__}", "an object")
    for k in v:
        if k not in allowed:
            raise _bad(path, f"{where}.{k}", "unknown key", f"one of {', '.join(allowed)}")
    for k in required:
        if v.get(k) is None:
            raise _bad(path, f"{where}.{k}", "is missing", "a value")
    return v


def _string(path: str, where: str, v: Any, choices: tuple[str, ...] | None = None) -> str:
    if not isinstance(v, str) or v == "":
        raise _bad(path, where, f"got {json.dumps(v)}", "a non-empty string")
    if choices is not None and v not in choices:
        raise _bad(path, where, f"got {json.dumps(v)}", f"one of {', '.join(choices)}")
    return v


def _tokens(path: str, where: str, v: Any) -> frozenset[str]:
    """A value or a list of values (strings or integers), compared as their text."""
    items = v if isinstance(v, list) else [v]
    if not items or any(isinstance(x, bool) or not isinstance(x, (str, int)) for x in items):
        raise _bad(path, where, f"got {json.dumps(v)}", "a string or integer, or a non-empty list of them")
    return frozenset(str(x).strip() for x in items)


def load_mapping(path: str | Path) -> Mapping:
    p = str(path)
    try:
        doc = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise _bad(p, "$", "file not found", "a JSON mapping file") from None
    except json.JSONDecodeError as e:
        raise _bad(p, "$", f"is not JSON ({e.msg} at line {e.lineno})", "a JSON object") from None
    d = _object(p, "$", doc, TOP_KEYS, TOP_REQUIRED)
    fmt = _string(p, "$.format", d["format"], ("csv", "parquet")) if "format" in d else None
    order = _string(p, "$.list_order", d.get("list_order", "oldest_first"), ORDERS)
    padding = _tokens(p, "$.padding", d["padding"]) if "padding" in d else frozenset()
    labels = _object(p, "$.labels", d["labels"], LABEL_KEYS, ("click",))
    target = _object(p, "$.target", d["target"], TARGET_KEYS, ("item", "category"))
    raw_slots = d["slots"]
    if not isinstance(raw_slots, dict):
        raise _bad(p, "$.slots", f"is {type(raw_slots).__name__}", "an object")
    if "cat_match" in raw_slots:
        raise _bad(p, "$.slots.cat_match", "is derived from slots.clicks, not mapped", f"one of {', '.join(MAPPABLE)}")
    _object(p, "$.slots", raw_slots, MAPPABLE, ("clicks",))
    timestamp = _string(p, "$.timestamp", d["timestamp"]) if d.get("timestamp") is not None else None
    slots = {}
    for name, raw in raw_slots.items():
        at = f"$.slots.{name}"
        s = _object(p, at, raw, SLOT_KEYS, ("item", "category"))
        if ("type" in s) != ("types" in s):
            missing = "types" if "type" in s else "type"
            raise _bad(p, f"{at}.{missing}", "is missing", "type (a column) and types (the values to keep) together")
        ts = _string(p, f"{at}.ts", s["ts"]) if s.get("ts") is not None else None
        if ts is not None and timestamp is None:
            raise _bad(p, "$.timestamp", f"is missing but {at}.ts is set", "the row timestamp gaps are measured from")
        if name == "sessions" and ts is None:
            raise _bad(p, f"{at}.ts", "is missing", "per-position timestamps (sessions split at 30-minute gaps)")
        slots[name] = SlotMap(
            name=name,
            item=_string(p, f"{at}.item", s["item"]),
            category=_string(p, f"{at}.category", s["category"]),
            brand=_string(p, f"{at}.brand", s["brand"]) if s.get("brand") is not None else None,
            type=_string(p, f"{at}.type", s["type"]) if "type" in s else None,
            types=_tokens(p, f"{at}.types", s["types"]) if "types" in s else frozenset(),
            ts=ts,
            order=_string(p, f"{at}.list_order", s.get("list_order", order), ORDERS),
            padding=_tokens(p, f"{at}.padding", s["padding"]) if "padding" in s else padding,
        )
    return Mapping(
        path=p,
        format=fmt,
        delimiter=_string(p, "$.delimiter", d.get("delimiter", ",")),
        list_separator=_string(p, "$.list_separator", d.get("list_separator", "|")),
        ids=_string(p, "$.ids", d.get("ids", "integer"), ("integer", "string")),
        user=_string(p, "$.user", d["user"]),
        timestamp=timestamp,
        time_unit=_string(p, "$.time_unit", d.get("time_unit", "s"), tuple(UNITS)),
        labels={k: _string(p, f"$.labels.{k}", v) for k, v in labels.items() if v is not None},
        target={k: _string(p, f"$.target.{k}", v) for k, v in target.items() if v is not None},
        slots=slots,
    )


def import_manifest(mp: Mapping, item_buckets: int, cat_buckets: int, brand_buckets: int) -> Manifest:
    """The union manifest, plus `brand` fields where the mapping names brand columns."""
    m = union_manifest(ModelConfig(item_buckets=item_buckets, cat_buckets=cat_buckets))
    if not mp.has_brand():
        return m
    slots = []
    for s in m.slots:
        src = mp.slots.get("clicks" if s.view == "category_match" else s.name)
        if src is not None and src.brand is not None:
            tensor = f"{SLOT_DEFAULTS[s.name]['prefix']}_{FIELD_SUFFIX['brand']}"
            slots.append(replace(s, fields=(*s.fields, FieldSpec("brand", tensor, brand_buckets))))
        else:
            slots.append(s)
    cand = m.candidate
    if "brand" in mp.target:
        cand = (*cand, FieldSpec("brand", "target_brand", brand_buckets))
    return replace(m, slots=tuple(slots), candidate=cand)


# --- reading rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A mapped column: one list column (index) or a fixed-length group (indices, oldest index first)."""

    ref: str
    indices: tuple[int, ...]
    group: bool


class _Source:
    """Header and rows of the input, with the row/line a message names."""

    def __init__(self, path: Path, mp: Mapping, fmt: str) -> None:
        self.path, self.mp, self.fmt = path, mp, fmt
        if fmt == "csv":
            with path.open(newline="", encoding="utf-8-sig") as f:
                reader = csv.reader(f, delimiter=mp.delimiter)
                self.header = next(reader, None)
                if self.header is None:
                    raise SamplesError(str(path), "is empty (expected a header row naming the columns)")
                self.rows = sum(1 for _ in reader)
        else:
            pq = _pyarrow(path)
            self._pq = pq.ParquetFile(path)
            self.header = list(self._pq.schema_arrow.names)
            self.rows = int(self._pq.metadata.num_rows)
        self.line = 0

    def where(self, row: int, col: str) -> str:
        line = f" (line {self.line})" if self.fmt == "csv" else ""
        return f"row {row}{line}, column {col}"

    def error(self, row: int, col: str, problem: str) -> SamplesError:
        return SamplesError(str(self.path), f"{self.where(row, col)}: {problem}")

    def column(self, ref: str, key: str) -> Column:
        index = {name: i for i, name in enumerate(self.header)}
        if "*" not in ref:
            if ref not in index:
                raise SamplesError(
                    str(self.path),
                    f"column {ref!r} (mapping {key}) is not in the file; its columns: {_names(self.header)}",
                )
            return Column(ref, (index[ref],), False)
        prefix, _, suffix = ref.partition("*")
        pat = re.compile(re.escape(prefix) + r"([0-9]+)" + re.escape(suffix) + r"\Z")
        found = {int(g.group(1)): i for name, i in index.items() if (g := pat.match(name))}
        if not found:
            raise SamplesError(
                str(self.path),
                f"column group {ref!r} (mapping {key}) matches no column; its columns: {_names(self.header)}",
            )
        lo, hi = min(found), max(found)
        if lo not in (0, 1):
            raise SamplesError(str(self.path), f"column group {ref!r} (mapping {key}) starts at {prefix}{lo}{suffix}")
        gap = next(k for k in range(lo, hi + 2) if k not in found)
        if gap <= hi:
            raise SamplesError(
                str(self.path),
                f"column group {ref!r} (mapping {key}) has a gap: {prefix}{gap}{suffix} is missing "
                f"between {prefix}{lo}{suffix} and {prefix}{hi}{suffix}",
            )
        return Column(ref, tuple(found[k] for k in range(lo, hi + 1)), True)

    def __iter__(self) -> Iterator[list[Any]]:
        if self.fmt == "csv":
            with self.path.open(newline="", encoding="utf-8-sig") as f:
                reader = csv.reader(f, delimiter=self.mp.delimiter)
                next(reader)
                for n, values in enumerate(reader, start=1):
                    self.line = reader.line_num
                    if len(values) != len(self.header):
                        raise SamplesError(
                            str(self.path),
                            f"row {n} (line {self.line}): {len(values)} fields, the header has {len(self.header)}",
                        )
                    yield values
        else:
            names = self.header
            for batch in self._pq.iter_batches(batch_size=8192):
                cols = [batch.column(i).to_pylist() for i in range(len(names))]
                yield from (list(r) for r in zip(*cols, strict=True))


def _names(header: list[str], limit: int = 12) -> str:
    more = f", ... ({len(header)} in all)" if len(header) > limit else ""
    return ", ".join(header[:limit]) + more


def _pyarrow(path: Path) -> Any:
    try:
        import pyarrow.parquet as pq  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise SamplesError(
            str(path), "reading Parquet needs the pyarrow package (pip install pyarrow), which is not installed"
        ) from None
    return pq


def _text(v: Any) -> str:
    """A cell or list element as text: None is empty, integral floats lose their '.0'."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v).strip()


def _elements(v: Any, sep: str) -> list[str]:
    """A list cell: a real list (Parquet), or text split on `sep`; '[a, b]' (a dumped list) is read too."""
    if isinstance(v, (list, tuple)):
        return [_text(x) for x in v]
    s = _text(v)
    if s.startswith("[") and s.endswith("]"):
        return [x.strip().strip("'\"") for x in s[1:-1].split(",")] if s[1:-1].strip() else []
    return s.split(sep) if s else []


# --- the conversion -----------------------------------------------------------------------------


class _Rows:
    """Raw id64 / ts staging per slot, bucketed and derived in one go at the end."""

    def __init__(self, m: Manifest, rows: int) -> None:
        self.shape: dict[str, tuple[int, ...]] = {}
        self.item: dict[str, np.ndarray] = {}
        self.cat: dict[str, np.ndarray] = {}
        self.brand: dict[str, np.ndarray] = {}
        self.ts: dict[str, np.ndarray] = {}
        self.mask: dict[str, np.ndarray] = {}
        for s in m.slots:
            shape = (rows, s.max_sessions or 1, s.max_len) if s.view == "sessions" else (rows, s.max_len)
            self.shape[s.name] = shape
            self.item[s.name] = np.zeros(shape, np.uint64)
            self.cat[s.name] = np.zeros(shape, np.uint64)
            self.brand[s.name] = np.zeros(shape, np.uint64)
            self.ts[s.name] = np.zeros(shape, np.float64)
            self.mask[s.name] = np.zeros(shape, np.float32)

    def put(self, name: str, at: tuple[int, ...], recs: list[tuple[int, int, int, float]]) -> None:
        """recs oldest -> newest, at most max_len of them: left padding, newest last."""
        if not recs:
            return
        length = self.shape[name][-1]
        sl = slice(length - len(recs), length)
        items, cats, brands, times = zip(*recs, strict=True)
        self.item[name][at][sl] = np.array(items, np.uint64)
        self.cat[name][at][sl] = np.array(cats, np.uint64)
        self.brand[name][at][sl] = np.array(brands, np.uint64)
        self.ts[name][at][sl] = np.array(times, np.float64)
        self.mask[name][at][sl] = 1.0


def _sessions(recs: list[tuple[int, int, int, float]], s: Slot) -> list[list[tuple[int, int, int, float]]]:
    """taobao.py's sessions view: split where consecutive records are > 30 min apart, newest S, newest L each."""
    out: list[list[tuple[int, int, int, float]]] = []
    for r in recs:
        if out and r[3] - out[-1][-1][3] <= SESSION_GAP_MS:
            out[-1].append(r)
        else:
            out.append([r])
    return [block[-s.max_len :] for block in out[-int(s.max_sessions or 1) :]]


def convert(
    data: str | Path,
    mapping: str | Path,
    out: str | Path,
    item_buckets: int = 200_003,
    cat_buckets: int = 10_007,
    brand_buckets: int = 100_003,
    max_rows: int | None = None,
) -> smp.SampleSet:
    buckets = {"--item-buckets": item_buckets, "--cat-buckets": cat_buckets, "--brand-buckets": brand_buckets}
    for flag, v in buckets.items():
        if v < 2:
            raise OptionsError(flag, f"got {v}", "an integer >= 2 (row 0 is padding)")
    if max_rows is not None and max_rows < 1:
        raise OptionsError("--max-rows", f"got {max_rows}", "an integer >= 1")
    mp = load_mapping(mapping)
    path = Path(data)
    if not path.exists():
        raise SamplesError(str(path), "not found")
    fmt = mp.format or {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(
        path.suffix.lower()
    )
    if fmt is None:
        raise _bad(mp.path, "$.format", f"is missing and {path.name} has no known extension", "csv or parquet")
    src = _Source(path, mp, fmt)
    m = import_manifest(mp, item_buckets, cat_buckets, brand_buckets)
    slots = {s.name: s for s in m.slots}
    n = src.rows if max_rows is None else min(src.rows, max_rows)
    if n == 0:
        raise SamplesError(str(path), "has no data rows")

    # every mapped column resolved against the header up front: a typo fails before any row is read
    cols: dict[str, Column] = {}

    def need(ref: str, key: str) -> None:
        if ref not in cols:
            cols[ref] = src.column(ref, key)

    need(mp.user, "$.user")
    if mp.timestamp:
        need(mp.timestamp, "$.timestamp")
    for k, ref in mp.labels.items():
        need(ref, f"$.labels.{k}")
    for k, ref in mp.target.items():
        need(ref, f"$.target.{k}")
    for sm in mp.slots.values():
        for key in ("item", "category", "brand", "type", "ts"):
            ref = getattr(sm, key)
            if ref is not None:
                need(ref, f"$.slots.{sm.name}.{key}")
    for ref, c in cols.items():
        scalar = ref in (mp.user, mp.timestamp, *mp.labels.values(), *mp.target.values())
        if scalar and c.group:
            raise _bad(mp.path, f"column {ref!r}", "is a column group", "one column for a per-row value")

    unit = UNITS[mp.time_unit]
    ids_integer = mp.ids == "integer"

    known: dict[str, int] = {}  # id text -> id64: ids repeat across rows and slots

    def ident(row: int, col: str, text: str, optional: bool = False) -> int:
        v = known.get(text)
        if v is not None:
            return v
        if text == "":
            if optional:
                return 0
            raise src.error(row, col, "empty id")
        if ids_integer and not _DIGITS.match(text):
            raise src.error(row, col, f"{text!r} is not a non-negative integer id (mapping ids: integer)")
        v = id64(str(int(text)) if ids_integer else text)
        if len(known) >= 1 << 20:
            known.clear()
        known[text] = v
        return v

    def number(row: int, col: str, text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            v = float("nan")
        if not np.isfinite(v):
            raise src.error(row, col, f"{text!r} is not a timestamp (a number in {mp.time_unit})")
        return v * unit

    labels = np.zeros((n, 3), np.float32)
    ts = np.arange(n, dtype=np.float64)
    user = np.zeros(n, np.uint64)
    target = {k: np.zeros(n, np.uint64) for k in mp.target}
    st = _Rows(m, n)
    cm = slots.get("cat_match")

    for r, values in enumerate(src):
        if r >= n:
            break
        row = r + 1

        def cell(ref: str, values: list[Any] = values) -> str:
            return _text(values[cols[ref].indices[0]])

        def listed(ref: str, values: list[Any] = values) -> list[str]:
            c = cols[ref]
            if c.group:
                return [_text(values[i]) for i in c.indices]
            return _elements(values[c.indices[0]], mp.list_separator)

        user[r] = ident(row, mp.user, cell(mp.user))
        if mp.timestamp:
            ts[r] = number(row, mp.timestamp, cell(mp.timestamp))
        for j, k in enumerate(LABEL_KEYS):
            if k in mp.labels:
                text = cell(mp.labels[k])
                try:
                    v = float(text)
                except ValueError:
                    v = -1.0
                if v not in (0.0, 1.0):
                    raise src.error(row, mp.labels[k], f"label {text!r} is not 0 or 1")
                labels[r, j] = v
        for k, ref in mp.target.items():
            target[k][r] = ident(row, ref, cell(ref), optional=k == "brand")
        now = ts[r]
        parsed: dict[str, list[str]] = {}
        clicks: list[tuple[int, int, int, float]] = []
        for sm in mp.slots.values():
            keys = [k for k in ("item", "category", "brand", "type", "ts") if getattr(sm, k) is not None]
            lists = {}
            for k in keys:
                ref = getattr(sm, k)
                if ref not in parsed:
                    parsed[ref] = listed(ref)
                lists[k] = parsed[ref]
            length = len(lists["item"])
            for k in keys:
                if len(lists[k]) != length:
                    raise src.error(
                        row,
                        getattr(sm, k),
                        f"{len(lists[k])} values but {sm.item} (slots.{sm.name}.item) has {length}",
                    )
            recs = []
            for i in range(length):
                it = lists["item"][i]
                if it == "" or it in sm.padding:
                    continue  # no record
                if sm.type is not None and lists["type"][i] not in sm.types:
                    continue
                cat = ident(row, sm.category, lists["category"][i])
                brand = ident(row, sm.brand, lists["brand"][i], optional=True) if sm.brand else 0
                at = number(row, sm.ts, lists["ts"][i]) if sm.ts else now
                recs.append((ident(row, sm.item, it), cat, brand, at))
            if sm.order == "newest_first":
                recs.reverse()
            s = slots[sm.name]
            if s.view == "sessions":
                blocks = _sessions(recs, s)
                offset = int(s.max_sessions or 1) - len(blocks)
                for b, block in enumerate(blocks):
                    st.put(s.name, (r, offset + b), block)
            else:
                st.put(s.name, (r,), recs[-s.max_len :])
            if sm.name == "clicks":
                clicks = recs
        if cm is not None:
            tc = int(target["category"][r])
            st.put(cm.name, (r,), [c for c in clicks if c[1] == tc][-cm.max_len :])

    tensors: dict[str, np.ndarray] = {}
    for s in m.slots:
        mask = st.mask[s.name]
        real = mask > 0
        source = mp.slots.get("clicks" if s.view == "category_match" else s.name)
        for f in s.fields:
            if f.field in ("item", "category", "brand"):
                raw = {"item": st.item, "category": st.cat, "brand": st.brand}[f.field][s.name]
                v = np.where(real, bucket_array(raw, int(f.buckets or 2)), 0)
                if f.field == "brand":
                    v = np.where(raw == 0, 0, v)  # an absent brand is the padding row (docs/ids.md)
            elif f.field == "time_gap":
                if source is not None and source.ts is not None:
                    now = ts.reshape((-1,) + (1,) * (mask.ndim - 1))
                    v = np.where(real, _gap(now, st.ts[s.name], int(f.buckets or 16)), 0)
                else:
                    v = np.zeros(mask.shape, np.int64)  # the fallback: 0, unknown (module docstring)
            elif f.field == "position":
                length = mask.shape[-1]
                v = np.where(real, length - np.arange(length), 0)
            else:
                v = np.zeros(mask.shape, np.int64)
            tensors[f.tensor] = np.ascontiguousarray(v, dtype=np.int64)
        tensors[s.mask] = mask
    for c in m.candidate:
        v = bucket_array(target[c.field], int(c.buckets or 2))
        if c.field == "brand":
            v = np.where(target[c.field] == 0, 0, v)
        tensors[c.tensor] = v.astype(np.int64)

    s_out = smp.SampleSet(m, tensors, labels, ts, user, None, {"source": str(path)})
    smp.write(s_out, out, source=f"seqlane_train import {path.name} (mapping {Path(mapping).name})")
    if not mp.timestamp:
        print(
            "import: note: the mapping has no timestamp column: rows get ts = their row order (0..N-1), "
            "so fit's time split follows file order",
            file=sys.stderr,
        )
    no_ts = [
        s.name
        for s in m.slots
        if s.field_spec("time_gap") is not None
        and (src_slot := mp.slots.get("clicks" if s.view == "category_match" else s.name)) is not None
        and src_slot.ts is None
    ]
    if no_ts:
        print(
            f"import: note: no per-position ts for {', '.join(no_ts)}: their time_gap is 0 (unknown)", file=sys.stderr
        )
    empty = [s.name for s in m.slots if s.name not in mp.slots and s.view != "category_match"]
    print(
        f"import: {n} rows of {path.name} -> {out}; slots from the file: {', '.join(mp.slots)}, cat_match derived"
        f"{'; all padding: ' + ', '.join(empty) if empty else ''}",
        file=sys.stderr,
    )
    return s_out
