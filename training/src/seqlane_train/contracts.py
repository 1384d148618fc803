"""The cross-process contracts, read from their one definition: libs/contracts/schemas/*.json.

Nothing here restates a rule: the structural rules are the JSON Schema files (checked with
jsonschema's Draft 2020-12 validator), the rejection kinds and limits are their `x-seqlane`
blocks. The custom format `seqlane-id` is implemented once per language (here and in
libs/contracts/src/formats.ts); libs/contracts/vectors/event/ pins both to the same verdicts.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from jsonschema import Draft202012Validator, FormatChecker

# training/src/seqlane_train/contracts.py -> the repository root, where libs/ sits beside training/.
SCHEMAS = Path(__file__).resolve().parents[3] / "libs/contracts/schemas"
MAX_ID_BYTES = 128
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # a Python str holds surrogates only unpaired

FORMATS = FormatChecker()


@FORMATS.checks("seqlane-id")
def is_seqlane_id(value: object) -> bool:
    """1..128 UTF-8 bytes, well-formed Unicode (no lone surrogate), no control character."""
    if not isinstance(value, str):
        return True  # formats constrain strings only
    if value == "" or _SURROGATE.search(value) or _CONTROL.search(value):
        return False
    return len(value.encode("utf-8")) <= MAX_ID_BYTES


@cache
def schema(name: str) -> dict[str, Any]:
    """schemas/<name>.schema.json, e.g. schema("event.v1")."""
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text())


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=FORMATS)


class Verdict(NamedTuple):
    """The event contract's decision: ok, or the rejection kind and the field at fault."""

    ok: bool
    kind: str | None = None
    field: str | None = None


def _path(parts: Any) -> str:
    path = ""
    for part in parts:
        k = str(part)
        path += f"[{k}]" if k.isdigit() else (k if path == "" else f".{k}")
    return path or "$"


def check_event(value: Any, reference_ts: int | None = None) -> Verdict:
    """The verdict of libs/contracts checkEvent for a parsed JSON value, judged at reference_ts."""
    if not isinstance(value, dict):
        return Verdict(False, "not_object", "$")
    versions = {schema(n)["x-seqlane"]["version"]: n for n in ("event.v1",)}
    if "schema" not in value:
        return Verdict(False, "missing_field", "schema")
    v = value["schema"]
    name = versions.get(v) if isinstance(v, int) and not isinstance(v, bool) else None
    if name is None:
        return Verdict(False, "schema_version", "schema")
    ext = schema(name)["x-seqlane"]
    error = next(iter(validator(name).iter_errors(value)), None)
    if error is not None:
        keyword = str(error.validator)
        if keyword == "required":
            missing = next(p for p in error.validator_value if p not in error.instance)
            field = _path([*error.absolute_path, missing])
        else:
            field = _path(error.absolute_path)
        kind = ext["fieldRejectKinds"].get(field, {}).get(keyword) or ext["rejectKinds"].get(keyword, "invalid_value")
        return Verdict(False, kind, field)
    if reference_ts is not None and value["ts"] > reference_ts + ext["futureSkewMs"]:
        return Verdict(False, "future_ts", "ts")
    return Verdict(True)
