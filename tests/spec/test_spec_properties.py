"""Property tests for the spec parser: whatever comes in, out comes a valid spec or a ``SpecError``.

Inputs are the shipped specs and the base spec mutated at random (keys deleted,
values replaced by JSON-like values of any type, unknown keys inserted), their
YAML text mutated at random, and arbitrary text read as YAML or TOML.  No other
exception may escape, a spec that passes must survive dump -> load unchanged,
and the command line must never print a traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spec_support import BASE, EXAMPLES, REPO, TEMPLATES
from typer.testing import CliRunner

from endstate.cli import app
from endstate.spec import MissionSpec, SpecError, load_spec, strategy_specs, validate_data

# Bounded so that the whole folder runs in well under a minute; YAML parsing is the cost.
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TEXT_SETTINGS = settings(SETTINGS, max_examples=100)

DATA = [yaml.safe_load(BASE)] + [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES + TEMPLATES]
# Text mutations start from the small base spec and one example (flow style, comments, long lines).
TEXTS = [BASE, (REPO / "examples" / "east_timor_1999_lead_state.yaml").read_text(encoding="utf-8")]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
    | st.sampled_from(["all", "north", "dili", "alpha", "australia", "point", "uniform", "lead_state", "committee", "hybrid", "1e5", "2030-01-01"])
)
json_like = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, prefix + (i,))
    return out


def _at(obj: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj


@st.composite
def mutated_specs(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(DATA)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _at(data, path[:-1]), path[-1]
        action = draw(st.sampled_from(["delete", "replace", "insert"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(json_like)
        elif isinstance(parent[key], dict):
            parent[key][draw(st.text(min_size=1, max_size=12))] = draw(json_like)
        elif isinstance(parent[key], list):
            parent[key].insert(draw(st.integers(0, len(parent[key]))), draw(json_like))
        else:
            parent[key] = draw(json_like)
    return data


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        insert = draw(st.text(alphabet=st.sampled_from(list(" \n\t-:#[]{}&*!|>'\",.0123456789abcxyz%@`?<=")), max_size=8))
        text = text[:start] + insert + text[end:]
    return text


def _check_spec_or_error(load: Any) -> MissionSpec | None:
    try:
        spec = load()
    except SpecError as e:
        assert e.problems
        assert all(isinstance(p.message, str) and p.message for p in e.problems)
        assert all(p.line is None or p.line >= 1 for p in e.problems)
        str(e)
        return None
    assert isinstance(spec, MissionSpec)
    return spec


def _round_trips(spec: MissionSpec) -> None:
    dumped = spec.model_dump(mode="json")
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in _leaves(dumped))
    assert validate_data(json.loads(json.dumps(dumped))) == spec
    try:
        strategy_specs(spec)
    except SpecError as e:
        assert all("strategy '" in p.file for p in e.problems)


def _leaves(obj: Any) -> list[Any]:
    if isinstance(obj, dict):
        return [x for v in obj.values() for x in _leaves(v)]
    if isinstance(obj, list):
        return [x for v in obj for x in _leaves(v)]
    return [obj]


@SETTINGS
@given(mutated_specs())
def test_mutated_specs_give_a_spec_or_a_spec_error(data: Any) -> None:
    spec = _check_spec_or_error(lambda: validate_data(data))
    if spec is not None:
        _round_trips(spec)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@TEXT_SETTINGS
@given(text=st.one_of(mutated_yaml(), st.text(max_size=200)))
def test_any_yaml_text_gives_a_spec_or_a_spec_error(scratch: Path, text: str) -> None:
    path = scratch / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    spec = _check_spec_or_error(lambda: load_spec(path))
    if spec is not None:
        _round_trips(spec)


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_toml_text_gives_a_spec_or_a_spec_error(scratch: Path, text: str) -> None:
    path = scratch / "spec.toml"
    path.write_text(text, encoding="utf-8")
    _check_spec_or_error(lambda: load_spec(path))


@TEXT_SETTINGS
@given(text=st.one_of(mutated_yaml(), st.text(max_size=200)))
def test_cli_never_prints_a_traceback(scratch: Path, text: str) -> None:
    path = scratch / "cli.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2)
    assert "Traceback" not in result.output
