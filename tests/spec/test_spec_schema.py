"""The committed JSON Schema is current, and the shipped specs pass it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from spec_support import REPO

from endstate.spec import load_spec, strategy_specs
from endstate.spec.schema import schema_dict, schema_json

SCHEMA_FILE = REPO / "src" / "endstate" / "spec" / "schema.json"


def _as_json(obj: Any) -> Any:
    """What JSON would carry: dates as ISO text."""
    if isinstance(obj, dict):
        return {k: _as_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_as_json(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(validator: Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), (
        "src/endstate/spec/schema.json is out of date; regenerate it with: endstate schema -o src/endstate/spec/schema.json"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    schema = schema_dict()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_spec_files_pass_the_schema(validator: Draft202012Validator, spec_file: Path) -> None:
    data = _as_json(yaml.safe_load(spec_file.read_text(encoding="utf-8")))
    assert _errors(validator, data) == []


def test_dumped_specs_and_strategies_pass_the_schema(validator: Draft202012Validator, spec_file: Path) -> None:
    for name, spec in strategy_specs(load_spec(spec_file)).items():
        assert _errors(validator, spec.model_dump(mode="json")) == [], name


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("theatre", "population"), "many"),
        (("theatre", "regions", 0, "tension"), True),
        (("theatre", "regions", 0, "tension"), {"low": 0.1, "high": 0.2, "spread": 1}),
        (("force", "command"), "council"),
        (("mission", "colour"), "blue"),
        (("schema_version",), 2),
    ],
)
def test_schema_refuses_what_the_models_refuse(validator: Draft202012Validator, path: tuple[Any, ...], value: Any) -> None:
    data = _as_json(yaml.safe_load((REPO / "examples" / "east_timor_1999_lead_state.yaml").read_text(encoding="utf-8")))
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert _errors(validator, data)
