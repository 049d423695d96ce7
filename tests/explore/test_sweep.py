"""Sweep files: checked like specs, every problem with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from endstate.explore.sweep import load_sweep, parameter_names, parameter_range, with_parameters
from endstate.model.params import load_parameters
from endstate.spec import SpecError


def _problems(path: Path, old: str, new: str) -> list[str]:
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(SpecError) as e:
        load_sweep(path)
    return [str(p) for p in e.value.problems]


def test_the_example_sweeps_load():
    paths = sorted((Path(__file__).resolve().parents[2] / "examples" / "sweeps").glob("*.yaml"))
    assert paths
    for path in paths:
        study = load_sweep(path)
        assert study.sweep.uncertainties and study.sweep.outcomes
        assert "calendar_exit" in study.strategies


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        ("runs_per_point: 8", "runs_per_pont: 8", 4, "unknown key 'runs_per_pont'"),
        ("column: relapse_10y", "column: relapse_10yr", 12, "did you mean 'relapse_10y'"),
        ("method: lhs", "method: latin", 5, "lhs"),
        ("points: 5", "points: 6", None, None),
        ('path: "understanding.spoilers[0].strength"', 'path: "understanding.spoiler[0].strength"', 7, "spoilers"),
        ("parameter: relapse_coverage", "parameter: relapse_coverag", 8, "did you mean relapse_coverage"),
        ("strategies: [calendar_exit, security_keeping]", "strategies: [calendar_exit, securty_keeping]", 10, "no strategy 'securty_keeping'"),
        ("low: 300", "low: -300", 7, "valid spec"),
        ("{name: relapse_coverage,", "{name: run,", 8, "'run' is a column of the result store"),
    ],
)
def test_problems_name_file_line_and_field(tiny_sweep: Path, old: str, new: str, line: int | None, says: str | None):
    assert old in tiny_sweep.read_text()
    if says is None:  # a harmless change loads
        tiny_sweep.write_text(tiny_sweep.read_text().replace(old, new))
        assert load_sweep(tiny_sweep).sweep.design.points == 6
        return
    problems = _problems(tiny_sweep, old, new)
    assert any(p.startswith(f"{tiny_sweep}:{line}:") and says in p for p in problems), problems


def test_sobol_needs_a_power_of_two(tiny_sweep: Path):
    problems = _problems(tiny_sweep, "{method: lhs, points: 5}", "{method: sobol, points: 12}")
    assert any("power of 2" in p for p in problems)


def test_parameters_are_looked_up_at_run_time():
    params = load_parameters()
    names = parameter_names(params)
    assert "relapse_coverage" in names
    lo, hi = parameter_range(params, "relapse_coverage")
    assert lo is not None and hi is not None and lo < hi
    changed = with_parameters(params, {"relapse_coverage": 2.5})
    assert changed.relapse_coverage.value == 2.5 and params.relapse_coverage.value != 2.5
    assert changed.relapse_coverage.source == params.relapse_coverage.source
