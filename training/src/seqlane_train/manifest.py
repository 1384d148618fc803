"""Model manifest v1 (docs/manifest.md): dataclasses, validation, JSON read/write, tensor specs.

Validation, as in libs/models/src/manifest/validate.ts, has two parts:

- the structural rules: libs/contracts/schemas/manifest.v1.schema.json, the one definition,
  read from the repository and checked with jsonschema's Draft202012Validator;
- the rules JSON Schema cannot say (`_semantic` below), written here and in validate.ts in the
  same order with the same paths, run only on a manifest that passed the schema.

libs/contracts/vectors/manifest/ pins both languages to the same verdicts and issue paths.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from jsonschema import Draft202012Validator, ValidationError, validators

from .contracts import SCHEMAS
from .errors import ManifestError

SCHEMA_PATH = SCHEMAS / "manifest.v1.schema.json"
BEHAVIOURS = {"click": 1, "fav": 2, "cart": 3, "purchase": 4, "exposure": 5}  # libs/sequences BEHAVIOUR_CODES
TYPE_CODES = 6  # behaviour codes 1..5 plus padding 0


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
            "manifest_version": self.manifest_version,
            "name": self.name,
            "version": self.version,
            "family": self.family,
            "architecture": self.architecture,
            "tasks": list(self.tasks),
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


class Issue(NamedTuple):
    """One way a manifest breaks v1: the field (`slots[0].max_len`, `$` for the whole document),
    what is wrong and what was expected. Paths are written as libs/models writes them."""

    path: str
    problem: str
    expected: str


# --- structural rules: the schema file, checked by jsonschema ---------------------------------


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    r"""A schema `pattern` (ECMA-262, as Ajv reads it) as a Python regex. The one difference our
    patterns meet: ECMA's `$` is the end of the input, Python's `$` also matches before a final
    newline; so an unescaped `$` outside a character class becomes `\Z`."""
    out: list[str] = []
    in_class, i = False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            c, i = pattern[i : i + 2], i + 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "$":
            c = r"\Z"
        out.append(c)
        i += 1
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, _node: Any) -> Iterator[ValidationError]:
    """jsonschema's `pattern` keyword with ECMA-262 semantics (see _ecma)."""
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The manifest v1 JSON Schema, read from libs/contracts (the file libs/models compiles)."""
    doc: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(doc)
    return doc


@lru_cache(maxsize=1)
def _validator() -> Any:
    return validators.extend(Draft202012Validator, {"pattern": _pattern})(schema())


def _path(keys: Any, prop: str | None = None) -> str:
    """As pointerToPath in libs/contracts/src/describe.ts: `slots[0].fields[1]`, `$` for the root."""
    path = ""
    for key in [*keys, *([] if prop is None else [prop])]:
        k = str(key)
        path += f"[{k}]" if k.isascii() and k.isdigit() else (k if path == "" else f".{k}")
    return path or "$"


def _expected(node: Any) -> str:
    n = node if isinstance(node, dict) else {}
    if isinstance(n.get("$ref"), str):
        n = schema()["$defs"][n["$ref"].removeprefix("#/$defs/")]
    if "enum" in n:
        return "one of " + ", ".join(map(str, n["enum"]))
    if "const" in n:
        return json.dumps(n["const"])
    word = {"integer": "an integer", "array": "an array", "object": "an object"}.get(n.get("type", ""))
    word = word or (f"a {n['type']}" if "type" in n else "a valid value")
    return f"{word} matching {n['pattern']}" if "pattern" in n else word


def _short(v: Any) -> str:
    return "an object" if isinstance(v, dict) else "an array" if isinstance(v, list) else json.dumps(v)[:40]


def _structural(doc: Any) -> list[Issue]:
    issues: list[Issue] = []
    required_done: set[str] = set()
    for e in _validator().iter_errors(doc):
        kw, arg, v, props = e.validator, e.validator_value, e.instance, e.schema.get("properties", {})
        at = _path(e.absolute_path)
        # Ajv (libs/models) reports one issue per missing or extra property; jsonschema one per
        # missing property without naming it and one per object for the extras: both become one
        # issue per property here.
        if kw == "required":
            if at not in required_done:
                required_done.add(at)
                issues.extend(
                    Issue(_path(e.absolute_path, p), "is missing", _expected(props.get(p))) for p in arg if p not in v
                )
            continue
        if kw == "additionalProperties":
            allowed = f"only the keys {', '.join(props)}"
            issues.extend(Issue(_path(e.absolute_path, k), "is not allowed", allowed) for k in v if k not in props)
            continue
        size = len(v) if isinstance(v, (str, list, dict)) else 0
        problem, expected = {
            "type": (f"got {_short(v)}", _expected(e.schema)),
            "enum": (f"got {_short(v)}", _expected(e.schema)),
            "const": (f"got {_short(v)}", _expected(e.schema)),
            "pattern": (f"got {_short(v)}", f"a string matching {arg}"),
            "minimum": (f"got {_short(v)}", f"a value >= {arg}"),
            "maximum": (f"got {_short(v)}", f"a value <= {arg}"),
            "minLength": (f"has {size} characters", f"at least {arg} characters"),
            "maxLength": (f"has {size} characters", f"at most {arg} characters"),
            "minItems": (f"has {size} item(s)", f"at least {arg} item(s)"),
            "uniqueItems": ("repeats an item", "no item twice"),
            "minProperties": (f"has {size} entries", f"at least {arg} entr{'y' if arg == 1 else 'ies'}"),
        }.get(kw, (e.message, f"a value that satisfies {kw}"))
        issues.append(Issue(at, problem, expected))
    return issues


# --- semantic rules: what JSON Schema cannot say ------------------------------------------------
# The same rules, in the same order and with the same paths and problems, as `semantic` in
# libs/models/src/manifest/validate.ts. Change both together, with a vector for the change.

NEEDS_BUCKETS = ("item", "category", "brand", "time_gap")


def _semantic(m: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    names: dict[str, str] = {}

    def claim(tensor: str, path: str) -> None:
        if tensor in names:
            issues.append(
                Issue(
                    path,
                    f"tensor name {json.dumps(tensor)} is already used by {names[tensor]}",
                    "every tensor name used once",
                )
            )
        else:
            names[tensor] = path

    for s, slot in enumerate(m["slots"]):
        at = f"slots[{s}]"
        seen: set[str] = set()
        for i, f in enumerate(slot["fields"]):
            if f["field"] in seen:
                issues.append(
                    Issue(
                        f"{at}.fields[{i}].field",
                        f"field {f['field']} is repeated in this slot",
                        "each field once per slot",
                    )
                )
            seen.add(f["field"])
            if f["field"] in NEEDS_BUCKETS and "buckets" not in f:
                issues.append(
                    Issue(f"{at}.fields[{i}].buckets", f"is required for field {f['field']}", "an integer >= 2")
                )
            claim(f["tensor"], f"{at}.fields[{i}].tensor")
        if "mask" in slot:
            claim(slot["mask"], f"{at}.mask")
        lb = slot.get("length_buckets")
        if lb is not None:
            if lb[-1] != slot["max_len"]:
                issues.append(
                    Issue(
                        f"{at}.length_buckets",
                        f"last bucket must equal max_len {slot['max_len']} (got {lb[-1]})",
                        "ascending lengths ending with max_len",
                    )
                )
            issues.extend(
                Issue(
                    f"{at}.length_buckets[{i}]",
                    "must be greater than the one before (ascending)",
                    "ascending lengths ending with max_len",
                )
                for i in range(1, len(lb))
                if lb[i] <= lb[i - 1]
            )
        if slot["view"] == "sessions" and "max_sessions" not in slot:
            issues.append(Issue(f"{at}.max_sessions", "is required when view is sessions", "an integer in [1, 1000]"))
        if slot["view"] != "sessions" and "max_sessions" in slot:
            issues.append(Issue(f"{at}.max_sessions", "is only allowed when view is sessions", "no max_sessions"))
    slot_names: set[str] = set()
    for s, slot in enumerate(m["slots"]):
        if slot["name"] in slot_names:
            issues.append(Issue(f"slots[{s}].name", f"slot name {slot['name']} is repeated", "unique slot names"))
        slot_names.add(slot["name"])
    for i, f in enumerate(m["candidate"]):
        claim(f["tensor"], f"candidate[{i}].tensor")
    for i, f in enumerate(m.get("context", [])):
        claim(f["tensor"], f"context[{i}].tensor")
    claim(m["cand_user_index"], "cand_user_index")
    for task in m["tasks"]:
        if task not in m["outputs"]:
            issues.append(Issue(f"outputs.{task}", f"is required because tasks lists {task}", "a tensor name"))
        else:
            claim(m["outputs"][task], f"outputs.{task}")
    for task in m["outputs"]:
        if task not in m["tasks"]:
            issues.append(
                Issue(f"outputs.{task}", f"has no task {task} in tasks", f"only the tasks {', '.join(m['tasks'])}")
            )
    return issues


def check(doc: Any) -> list[Issue]:
    """Every way a parsed manifest.json breaks v1: the schema first, the semantic rules once it holds."""
    return _structural(doc) or _semantic(doc)


def _json_path(path: str) -> str:
    return path if path == "$" else f"${path}" if path.startswith("[") else f"$.{path}"


def from_dict(d: Any) -> Manifest:
    """Validate a parsed manifest.json (check) and build it; raises ManifestError naming the first
    bad field (and counting the others)."""
    issues = check(d)
    if issues:
        first, rest = issues[0], issues[1:]
        more = f" [and {len(rest)} more: {', '.join(i.path for i in rest)}]" if rest else ""
        raise ManifestError(_json_path(first.path), first.problem + more, first.expected)
    for s, slot in enumerate(d["slots"]):
        # Valid v1, but training's models all multiply by the mask: a limit of training/, not a rule.
        if "mask" not in slot:
            raise ManifestError(
                f"$.slots[{s}].mask", "is missing; training/ builds every slot with a mask", "a tensor name"
            )

    # JSON Schema's integers include 2.0; the dataclasses hold ints.
    def num(v: Any) -> int | None:
        return None if v is None else int(v)

    def spec(f: dict[str, Any]) -> FieldSpec:
        return FieldSpec(f["field"], f["tensor"], num(f.get("buckets")))

    slots = tuple(
        Slot(
            s["name"],
            s["source"],
            s["view"],
            int(s["max_len"]),
            tuple(spec(f) for f in s["fields"]),
            s["mask"],
            s["padding"],
            None if "types" not in s else tuple(s["types"]),
            None if "length_buckets" not in s else tuple(int(x) for x in s["length_buckets"]),
            num(s.get("max_sessions")),
        )
        for s in d["slots"]
    )
    return Manifest(
        d["name"],
        d["version"],
        d["family"],
        d["architecture"],
        tuple(d["tasks"]),
        slots,
        tuple(spec(c) for c in d["candidate"]),
        dict(d["outputs"]),
        tuple(spec(c) for c in d.get("context", [])),
        d["cand_user_index"],
        int(d["manifest_version"]),
    )


def read(path: str | Path) -> Manifest:
    try:
        doc = json.loads(Path(path).read_text())
    except json.JSONDecodeError as e:
        raise ManifestError("$", f"{path} is not JSON: {e}", "a JSON object") from e
    return from_dict(doc)


def write(m: Manifest, path: str | Path) -> None:
    from_dict(m.to_dict())  # never write what we would refuse to read
    Path(path).write_text(json.dumps(m.to_dict(), indent=2) + "\n")
