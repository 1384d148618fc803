"""Model manifest v1 (docs/manifest.md): dataclasses, validation, JSON read/write, tensor specs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ManifestError

FAMILIES = ("pooling", "target_attention", "rnn", "capsule", "transformer", "graph")
TASKS = ("ctr", "cvr", "ctcvr")
SOURCES = ("short_mixed", "long_click", "long_purchase", "device_click", "exposure")
VIEWS = ("plain", "sessions", "category_match")
BEHAVIOURS = {"click": 1, "fav": 2, "cart": 3, "purchase": 4, "exposure": 5}
SLOT_FIELDS = ("item", "category", "brand", "type", "time_gap", "position")
HASHED_FIELDS = ("item", "category", "brand")
CANDIDATE_FIELDS = ("item", "category", "brand")
CONTEXT_FIELDS = ("hour_of_day", "day_of_week", "position")
TYPE_CODES = 6  # behaviour codes 1..5 plus padding 0
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
VERSION_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SLOT_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TENSOR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:/-]{0,127}$")


@dataclass(frozen=True)
class FieldSpec:
    field: str
    tensor: str
    buckets: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"field": self.field, "tensor": self.tensor}
        if self.buckets is not None:
            d["buckets"] = self.buckets
        return d


@dataclass(frozen=True)
class Slot:
    name: str
    source: str
    view: str
    max_len: int
    fields: tuple[FieldSpec, ...]
    mask: str
    padding: str = "left"
    types: tuple[str, ...] | None = None
    length_buckets: tuple[int, ...] | None = None
    max_sessions: int | None = None

    def field_spec(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.field == name), None)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "source": self.source, "view": self.view}
        if self.types is not None:
            d["types"] = list(self.types)
        d["max_len"] = self.max_len
        if self.length_buckets is not None:
            d["length_buckets"] = list(self.length_buckets)
        if self.max_sessions is not None:
            d["max_sessions"] = self.max_sessions
        d["padding"] = self.padding
        d["fields"] = [f.to_dict() for f in self.fields]
        d["mask"] = self.mask
        return d


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    family: str
    architecture: str
    tasks: tuple[str, ...]
    slots: tuple[Slot, ...]
    candidate: tuple[FieldSpec, ...]
    outputs: dict[str, str]
    context: tuple[FieldSpec, ...] = ()
    cand_user_index: str = "cand_user_index"
    manifest_version: int = 1
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "manifest_version": self.manifest_version, "name": self.name, "version": self.version,
            "family": self.family, "architecture": self.architecture, "tasks": list(self.tasks),
            "slots": [s.to_dict() for s in self.slots],
            "candidate": [c.to_dict() for c in self.candidate],
        }
        if self.context:
            d["context"] = [c.to_dict() for c in self.context]
        d["cand_user_index"] = self.cand_user_index
        d["outputs"] = dict(self.outputs)
        return d

    def input_specs(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(tensor, dtype, symbolic shape) for every graph input, in a stable order."""
        specs: list[tuple[str, str, tuple[str, ...]]] = []
        for s in self.slots:
            lead = ("C",) if s.view == "category_match" else ("U",)
            length = f"L_{s.name}"
            shape = (*lead, f"S_{s.name}", length) if s.view == "sessions" else (*lead, length)
            specs.extend((f.tensor, "int64", shape) for f in s.fields)
            specs.append((s.mask, "float32", shape))
        specs.extend((c.tensor, "int64", ("C",)) for c in self.candidate)
        specs.extend((c.tensor, "int64", ("U",)) for c in self.context)
        specs.append((self.cand_user_index, "int64", ("C",)))
        return specs

    def output_names(self) -> list[str]:
        return [self.outputs[t] for t in self.tasks]

    def slot(self, name: str) -> Slot:
        for s in self.slots:
            if s.name == name:
                return s
        raise ManifestError(f"slots[{name}]", "no such slot", f"one of {[s.name for s in self.slots]}")


def _req(d: dict[str, Any], key: str, path: str) -> Any:
    if key not in d:
        raise ManifestError(f"{path}.{key}", "missing", "a value")
    return d[key]


def _check(ok: bool, path: str, value: Any, expected: str) -> None:
    if not ok:
        raise ManifestError(path, f"got {value!r}", expected)


def _buckets(v: Any, path: str, required: bool) -> int | None:
    if v is None:
        _check(not required, path, v, "an integer >= 2")
        return None
    _check(isinstance(v, int) and not isinstance(v, bool) and 2 <= v <= 2**32, path, v, "an integer in [2, 2^32]")
    return int(v)


def _tensor(v: Any, path: str) -> str:
    _check(isinstance(v, str) and bool(TENSOR_RE.match(v)), path, v, f"a tensor name matching {TENSOR_RE.pattern}")
    return str(v)


def _field(d: Any, path: str, allowed: tuple[str, ...], need_buckets: bool) -> FieldSpec:
    _check(isinstance(d, dict), path, d, "an object")
    name = _req(d, "field", path)
    _check(name in allowed, f"{path}.field", name, f"one of {allowed}")
    required = need_buckets or name in HASHED_FIELDS or name == "time_gap"
    return FieldSpec(name, _tensor(_req(d, "tensor", path), f"{path}.tensor"),
                     _buckets(d.get("buckets"), f"{path}.buckets", required))


def _slot(d: Any, path: str) -> Slot:
    _check(isinstance(d, dict), path, d, "an object")
    name = _req(d, "name", path)
    _check(isinstance(name, str) and bool(SLOT_NAME_RE.match(name)), f"{path}.name", name, SLOT_NAME_RE.pattern)
    source = _req(d, "source", path)
    _check(source in SOURCES, f"{path}.source", source, f"one of {SOURCES}")
    view = _req(d, "view", path)
    _check(view in VIEWS, f"{path}.view", view, f"one of {VIEWS}")
    max_len = _req(d, "max_len", path)
    _check(isinstance(max_len, int) and 1 <= max_len <= 100000, f"{path}.max_len", max_len, "an integer in [1, 100000]")
    padding = _req(d, "padding", path)
    _check(padding in ("left", "right"), f"{path}.padding", padding, "left or right")
    types = d.get("types")
    if types is not None:
        _check(isinstance(types, list) and len(set(types)) == len(types) and all(t in BEHAVIOURS for t in types),
               f"{path}.types", types, f"unique values from {list(BEHAVIOURS)}")
        types = tuple(types)
    lb = d.get("length_buckets")
    if lb is not None:
        _check(isinstance(lb, list) and len(lb) > 0 and all(isinstance(x, int) and x >= 1 for x in lb)
               and lb == sorted(set(lb)) and lb[-1] == max_len,
               f"{path}.length_buckets", lb, "ascending positive integers ending with max_len")
        lb = tuple(lb)
    ms = d.get("max_sessions")
    if view == "sessions":
        _check(isinstance(ms, int) and 1 <= ms <= 1000, f"{path}.max_sessions", ms, "an integer in [1, 1000] for view=sessions")
    elif ms is not None:  # allowed by the schema (the doc's example has one) but unused
        _check(isinstance(ms, int) and 1 <= ms <= 1000, f"{path}.max_sessions", ms, "an integer in [1, 1000]")
    fields_raw = _req(d, "fields", path)
    _check(isinstance(fields_raw, list) and len(fields_raw) > 0, f"{path}.fields", fields_raw, "a non-empty list")
    fields = tuple(_field(f, f"{path}.fields[{i}]", SLOT_FIELDS, False) for i, f in enumerate(fields_raw))
    _check(len({f.field for f in fields}) == len(fields), f"{path}.fields", [f.field for f in fields], "each field once")
    mask = _tensor(_req(d, "mask", path), f"{path}.mask")
    return Slot(name, source, view, max_len, fields, mask, padding, types, lb, ms)


def from_dict(d: Any) -> Manifest:
    """Validate a parsed manifest.json; raises ManifestError naming the first bad field."""
    _check(isinstance(d, dict), "$", d, "an object")
    known = {"manifest_version", "name", "version", "family", "architecture", "tasks", "slots",
             "candidate", "context", "cand_user_index", "outputs"}
    extra = sorted(set(d) - known)
    _check(not extra, "$", extra, f"only the keys {sorted(known)}")
    _check(_req(d, "manifest_version", "$") == 1, "$.manifest_version", d["manifest_version"], "1")
    name = _req(d, "name", "$")
    _check(isinstance(name, str) and bool(NAME_RE.match(name)), "$.name", name, NAME_RE.pattern)
    version = _req(d, "version", "$")
    _check(isinstance(version, str) and bool(VERSION_RE.match(version)), "$.version", version, VERSION_RE.pattern)
    family = _req(d, "family", "$")
    _check(family in FAMILIES, "$.family", family, f"one of {FAMILIES}")
    arch = _req(d, "architecture", "$")
    _check(isinstance(arch, str) and 1 <= len(arch) <= 64, "$.architecture", arch, "a string of 1..64 chars")
    tasks = _req(d, "tasks", "$")
    _check(isinstance(tasks, list) and len(tasks) > 0 and len(set(tasks)) == len(tasks) and all(t in TASKS for t in tasks),
           "$.tasks", tasks, f"a non-empty unique subset of {TASKS}")
    slots_raw = _req(d, "slots", "$")
    _check(isinstance(slots_raw, list), "$.slots", slots_raw, "a list")
    slots = tuple(_slot(s, f"$.slots[{i}]") for i, s in enumerate(slots_raw))
    _check(len({s.name for s in slots}) == len(slots), "$.slots", [s.name for s in slots], "unique slot names")
    cand_raw = _req(d, "candidate", "$")
    _check(isinstance(cand_raw, list) and len(cand_raw) > 0, "$.candidate", cand_raw, "a non-empty list")
    cand = tuple(_field(c, f"$.candidate[{i}]", CANDIDATE_FIELDS, True) for i, c in enumerate(cand_raw))
    ctx_raw = d.get("context", [])
    _check(isinstance(ctx_raw, list), "$.context", ctx_raw, "a list")
    ctx = tuple(_field(c, f"$.context[{i}]", CONTEXT_FIELDS, False) for i, c in enumerate(ctx_raw))
    cui = _tensor(_req(d, "cand_user_index", "$"), "$.cand_user_index")
    outputs = _req(d, "outputs", "$")
    _check(isinstance(outputs, dict) and set(outputs) == set(tasks), "$.outputs", outputs, f"one tensor per task {tasks}")
    outs = {t: _tensor(v, f"$.outputs.{t}") for t, v in outputs.items()}
    m = Manifest(name, version, family, arch, tuple(tasks), slots, cand, outs, ctx, cui)
    names = [n for n, _, _ in m.input_specs()] + list(outs.values())
    dup = sorted({n for n in names if names.count(n) > 1})
    _check(not dup, "$", dup, "every tensor name used once")
    return m


def read(path: str | Path) -> Manifest:
    try:
        doc = json.loads(Path(path).read_text())
    except json.JSONDecodeError as e:
        raise ManifestError("$", f"{path} is not JSON: {e}", "a JSON object") from e
    return from_dict(doc)


def write(m: Manifest, path: str | Path) -> None:
    from_dict(m.to_dict())  # never write what we would refuse to read
    Path(path).write_text(json.dumps(m.to_dict(), indent=2) + "\n")
