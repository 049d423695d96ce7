"""Designs: sizes SALib and SciPy promise, values inside their ranges, seeds paired across levers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from endstate.explore.design import evaluations, point_values, unit_design
from endstate.explore.sweep import Design, load_sweep


def _with(study, **design):
    return dataclasses.replace(study, sweep=study.sweep.model_copy(update={"design": Design(**design)}))


@pytest.mark.parametrize(
    ("design", "rows"),
    [
        ({"method": "lhs", "points": 7}, 7),
        ({"method": "sobol", "points": 8}, 8 * (2 + 2)),
        ({"method": "sobol", "points": 8, "second_order": True}, 8 * (2 * 2 + 2)),
        ({"method": "morris", "points": 5, "levels": 4}, 5 * (2 + 1)),
        ({"method": "full_factorial", "levels": 3}, 9),
    ],
)
def test_design_sizes_and_ranges(tiny_sweep: Path, design: dict, rows: int):
    study = _with(load_sweep(tiny_sweep), **design)
    unit = unit_design(study.sweep)
    assert unit.shape == (rows, 2) and (unit >= 0).all() and (unit <= 1).all()
    vals = point_values(study, unit)
    strength = np.array([v["militia_strength"] for v in vals])
    assert (strength >= 300).all() and (strength <= 5000).all()
    coverage = np.array([v["relapse_coverage"] for v in vals])
    assert (coverage >= 0).all() and (coverage <= 3.0).all()  # the range beside its source in model/params.py
    assert np.array_equal(unit, unit_design(study.sweep))  # a pure function of the sweep


def test_evaluations_pair_policies_on_one_seed(tiny_sweep: Path):
    evs = evaluations(load_sweep(tiny_sweep))
    assert len(evs) == 10
    for a, b in zip(evs[::2], evs[1::2], strict=True):
        assert a.point == b.point and a.seed == b.seed and a.inputs == b.inputs and a.levers != b.levers
        assert a.key != b.key
    assert len({e.seed for e in evs}) == 5
    assert [e.key for e in evs] == [e.key for e in evaluations(load_sweep(tiny_sweep))]


def test_categorical_uncertainties_take_each_value(tiny_sweep: Path):
    tiny_sweep.write_text(tiny_sweep.read_text().replace("{name: relapse_coverage, parameter: relapse_coverage}", "{name: war_outcome, path: understanding.war_outcome, values: [settlement, truce]}"))
    study = _with(load_sweep(tiny_sweep), method="full_factorial", levels=2)
    vals = point_values(study, unit_design(study.sweep))
    assert sorted({v["war_outcome"] for v in vals}) == ["settlement", "truce"] and len(vals) == 4
