"""The event contract's shared vectors (libs/contracts/vectors/event/): Python's reading of the
one schema gives the verdicts TypeScript gives."""

import json
from pathlib import Path

import pytest

from seqlane_train import contracts

VECTORS = json.loads((contracts.SCHEMAS.parent / "vectors/event/events.json").read_text())


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["description"])
def test_event_vector(vector: dict) -> None:
    want = vector["expected"]
    got = contracts.check_event(vector["event"], VECTORS["reference_ts"])
    assert got.ok == want["ok"]
    if not want["ok"]:
        assert (got.kind, got.field) == (want["kind"], want["field"])


def test_vectors_cover_every_rejection_kind_a_json_value_can_get() -> None:
    kinds = {v["expected"].get("kind") for v in VECTORS["vectors"]} - {None}
    # bad_json and oversized are about bytes, before there is a JSON value (ingest and recorder
    # share parseEvent for those; the corpus test in test/integration covers them).
    assert kinds == {
        "not_object",
        "missing_field",
        "schema_version",
        "wrong_type",
        "invalid_value",
        "unknown_type",
        "future_ts",
    }


def test_schemas_are_valid_draft_2020_12() -> None:
    for path in sorted(Path(contracts.SCHEMAS).glob("*.schema.json")):
        contracts.Draft202012Validator.check_schema(json.loads(path.read_text()))
