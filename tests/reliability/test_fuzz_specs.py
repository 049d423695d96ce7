"""Property tests for strict spec input: a clear error or a plausible spec, never a traceback.

The shipped template is mutated where the issue found slips getting through:
scalars written as YAML 1.1 would read them (``1:30:00``, ``yes``, ``010``),
repeated keys, huge or non-finite numbers, lone surrogates, long text, and
numbers far outside any real mission.  Whatever comes in, ``load_spec`` must
raise :class:`SpecError` (every problem placed in the file) or return a spec
whose every number is finite and within the bounds of ``spec/bounds.py``;
``endstate validate`` must exit 0 or 2 with no traceback.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from endstate.cli import app
from endstate.spec import MissionSpec, SpecError, load_spec, strategy_specs
from endstate.spec.bounds import FIRST_DATE, LAST_DATE, MAX_DEATHS, MAX_POPULATION, MIN_POPULATION

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = (ROOT / "src" / "endstate" / "spec" / "templates" / "lead_state.yaml").read_text(encoding="utf-8")
LINES = TEMPLATE.splitlines()
# "key: value" lines of the template whose value a mutation may replace (not list items, not section heads).
VALUE_LINES = [i for i, line in enumerate(LINES) if re.match(r"^\s*[a-z_]+: [^#{\[]", line)]

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

SLIPS = st.sampled_from(
    [
        "1:30:00", "yes", "no", "on", "off", "Y", "010", "0x1F", "0o17", "1_000", "1e5", "-1e5", "1e308", "-1e308", "1e-9",
        ".inf", "-.inf", ".nan", "9" * 400, "-" + "9" * 60, "true", "false", "null", "~", '"\\ud800"', '"\\udfff x"',
        "1500-01-01", "9999-12-31", "2030-02-30", "0", "-1", "0.0000001", "2000000000", "1e10", "'1000'", '"yes"',
        "x" * 20_000, "[]", "{}", "[1, 2]", "{low: 1200, high: 1e308}", "{low: 1, high: " + "9" * 400 + "}",
        "{dist: normal, mean: 0.5, sd: 1e300}", "{dist: lognormal, median: 1000, sigma: 1e6}", "{dist: beta, a: 1e300, b: 1}",
    ]
)


def _mutate(data: st.DataObject) -> str:
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.sampled_from(VALUE_LINES))
        key, _, rest = lines[i].partition(": ")
        comment = rest[rest.index("#") :] if "#" in rest else ""
        action = data.draw(st.sampled_from(["replace", "replace", "repeat-key", "number"]))
        if action == "repeat-key":
            lines.insert(i + 1, lines[i])
        elif action == "number":
            lines[i] = f"{key}: {data.draw(st.floats(allow_nan=True, allow_infinity=True))!r}"
        else:
            lines[i] = f"{key}: {data.draw(SLIPS)}  {comment}".rstrip()
    return "\n".join(lines) + "\n"


def _numbers(obj: Any) -> list[float]:
    if isinstance(obj, bool):
        return []
    if isinstance(obj, (int, float)):
        return [float(obj)]
    if isinstance(obj, dict):
        return [x for v in obj.values() for x in _numbers(v)]
    if isinstance(obj, list):
        return [x for v in obj for x in _numbers(v)]
    return []


def _dates(obj: Any) -> list[dt.date]:
    if isinstance(obj, dt.date):
        return [obj]
    if isinstance(obj, dict):
        return [x for v in obj.values() for x in _dates(v)]
    if isinstance(obj, list):
        return [x for v in obj for x in _dates(v)]
    return []


def _plausible(spec: MissionSpec) -> None:
    """What every accepted spec must satisfy, whatever was written."""
    dump = spec.model_dump(exclude={"strategies"})  # overrides are checked as the strategies' own specs
    assert all(math.isfinite(x) for x in _numbers(dump))
    assert all(FIRST_DATE <= d <= LAST_DATE for d in _dates(dump))
    people = spec.theatre.population
    assert MIN_POPULATION <= people <= MAX_POPULATION
    assert spec.understanding.war_deaths.extremes()[1] <= min(people, MAX_DEATHS)
    for text in (spec.mission.name, *(g.indicator for g in spec.goals)):
        text.encode("utf-8")  # no lone surrogate survives


@SETTINGS
@given(st.data())
def test_mutated_spec_is_an_error_or_plausible(tmp_path_factory: Any, data: st.DataObject) -> None:
    text = _mutate(data)
    path = tmp_path_factory.mktemp("spec") / "spec.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        spec = load_spec(path)
        variants = strategy_specs(spec, str(path))  # as `endstate validate` does: each strategy is a spec too
    except SpecError as e:
        assert e.problems and all(p.file.startswith(str(path)) and p.message for p in e.problems)
        return
    for variant in variants.values():
        _plausible(variant)


@SETTINGS
@given(st.data())
def test_repeated_key_never_accepted(tmp_path_factory: Any, data: st.DataObject) -> None:
    i = data.draw(st.sampled_from(VALUE_LINES))
    lines = list(LINES)
    lines.insert(i + 1, lines[i])
    path = tmp_path_factory.mktemp("spec") / "spec.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        load_spec(path)
    except SpecError as e:
        assert any(f"first on line {i + 1}, again on line {i + 2}" in p.message for p in e.problems)
    else:
        raise AssertionError(f"repeated key on line {i + 2} accepted")


@settings(SETTINGS, max_examples=40)
@given(st.data())
def test_validate_command_never_prints_a_traceback(tmp_path_factory: Any, data: st.DataObject) -> None:
    text = _mutate(data)
    path = tmp_path_factory.mktemp("spec") / "spec.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
