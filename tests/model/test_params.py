"""Parameters: every one has a source and a value in its range, is read by the model, and is documented."""

from __future__ import annotations

import math
import re
from dataclasses import fields
from pathlib import Path

import pytest

from endstate.model.params import DEFAULTS, Param, Parameters, load_parameters

ROOT = Path(__file__).resolve().parents[2]


def test_every_parameter_has_a_source_and_a_value_within_its_range():
    for f in fields(Parameters):
        p = getattr(DEFAULTS, f.name)
        assert isinstance(p, Param), f.name
        assert p.source.strip(), f.name
        assert math.isfinite(p.value), f.name
        if p.low is not None:
            assert p.low <= p.value, f.name
        if p.high is not None:
            assert p.value <= p.high, f.name


def test_with_values_changes_the_value_and_keeps_the_source():
    q = DEFAULTS.with_values(relapse_coverage=2.0)
    assert q.v("relapse_coverage") == 2.0 and DEFAULTS.v("relapse_coverage") == 1.2
    assert q.relapse_coverage.source == DEFAULTS.relapse_coverage.source
    assert q.relapse_coverage.low == DEFAULTS.relapse_coverage.low
    with pytest.raises(AttributeError):
        DEFAULTS.with_values(no_such_parameter=1.0)


def test_names_are_the_fields():
    assert DEFAULTS.names() == [f.name for f in fields(Parameters)]
    assert len(set(DEFAULTS.names())) == len(DEFAULTS.names())


def test_loaded_parameters_stay_within_the_ranges():
    p = load_parameters()
    for name in p.names():
        par = getattr(p, name)
        assert par.source == getattr(DEFAULTS, name).source
        if par.low is not None and par.high is not None:
            assert par.low <= par.value <= par.high, name


def test_every_parameter_is_read_by_the_model():
    model = [p for p in (ROOT / "src" / "endstate" / "model").glob("*.py") if p.name not in ("params.py", "reference.py")]
    text = "".join(p.read_text(encoding="utf-8") for p in model + list((ROOT / "src" / "endstate" / "exits").glob("*.py")))
    unread = [n for n in DEFAULTS.names() if not re.search(rf"\bpv\.{n}\b", text)]
    assert unread == []


def test_every_parameter_is_documented_with_its_default():
    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    missing = []
    for name in DEFAULTS.names():
        rows = [line for line in doc.splitlines() if line.startswith("|") and f"`{name}`" in line]
        value = DEFAULTS.v(name)
        shown = {f"{value:g}", format(value, "f").rstrip("0").rstrip(".")}
        if not any(f"| {text} |" in row for row in rows for text in shown):
            missing.append(name)
    assert missing == []


def test_the_sources_arithmetic_holds():
    v = DEFAULTS.v
    # Quinlivan's 20 per 1,000 gives 0.86 coverage
    assert math.isclose(1 - math.exp(-20 / v("coverage_scale_per_1000")), 0.86, abs_tol=0.005)
    # lognormal sigma 0.8: variance about 0.9 squared means
    assert math.isclose(math.exp(v("violence_shock_sigma") ** 2) - 1, 0.9, abs_tol=0.01)
    # about one accidental death per 1,000 personnel a year
    assert math.isclose(12 * v("accident_fatality_rate") * 1000, 1.0, abs_tol=0.05)
    # about a tenth of the force leaves each year in peace
    assert math.isclose(1 - (1 - v("attrition_base")) ** 12, 0.1, abs_tol=0.01)
    # a sealed border leaks a fifth
    assert math.isclose(1 - v("border_control_effect"), 0.2)
