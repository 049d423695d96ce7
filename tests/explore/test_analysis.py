"""Analysis on points with a known answer: indices rank the inputs that drive y, PRIM finds the failing box, regret."""

from __future__ import annotations

import numpy as np
import pytest
from explore_support import BASE, points_for

from endstate.explore.analysis import AnalysisError, discover, regret, sensitivity
from endstate.explore.design import unit_design
from endstate.explore.sweep import Sweep


def _linear(k: int, X: np.ndarray) -> np.ndarray:
    return 4 * X[:, 0] + 1 * X[:, 1] + 0 * X[:, 2] + k


@pytest.mark.parametrize("design", [{"method": "sobol", "points": 256}, {"method": "lhs", "points": 600}, {"method": "morris", "points": 30, "levels": 4}])
def test_indices_rank_the_inputs_that_drive_y(design: dict):
    sweep = Sweep.model_validate({**BASE, "design": design})
    sens = sensitivity(points_for(sweep, _linear), sweep)
    main = {"sobol": "ST", "lhs": "S1", "morris": "mu_star"}[design["method"]]
    s = sens[(sens["policy"] == "calendar") & (sens["index"] == main)].set_index("input")
    assert s.loc["a", "value"] > s.loc["b", "value"] > s.loc["c", "value"]
    assert np.isfinite(s["conf"]).all() and (s["conf"] >= 0).all()  # every index with its interval
    assert s.loc["a", "conf"] > 0 or design["method"] == "morris"  # (Morris: a linear y has one elementary effect per input)
    if design["method"] == "sobol":  # the exact first-order shares of 4a + b: 16/17 and 1/17
        s1 = sens[(sens["policy"] == "calendar") & (sens["index"] == "S1")].set_index("input")["value"]
        assert s1["a"] == pytest.approx(16 / 17, abs=0.06) and s1["b"] == pytest.approx(1 / 17, abs=0.04)


def test_prim_finds_where_keeping_does_worse_and_says_it():
    sweep = Sweep.model_validate({**BASE, "design": {"method": "lhs", "points": 400}})
    # keeping does worse than calendar only where a > 0.7 (and b is irrelevant noise)
    pts = points_for(sweep, lambda k, X: np.where((k == 1) & (X[:, 0] > 0.7), 1.0, 0.5) + 0.01 * X[:, 1] * (k == 0))
    d = discover(pts, sweep, strategy="keeping", reference="calendar")
    assert 0.25 < d.failures / d.points < 0.35
    row = d.trajectory.loc[d.chosen]
    assert row["density"] >= 0.8 and row["coverage"] >= 0.8
    a = d.limits.set_index("uncertainty").loc["a"]
    assert 0.55 < a["low"] <= 0.71  # the least restrictive box that still reaches the density
    assert f"a is above {a['low']:.3g}" in d.text and "keeping does worse than calendar" in d.text
    assert not d.cart.empty and d.cart["conditions"].str.contains("a is above").any()


def test_regret_against_the_best_policy_at_each_point():
    sweep = Sweep.model_validate({**BASE, "design": {"method": "lhs", "points": 50}})
    # keeping is 0.2 better everywhere except where a > 0.5, where it is 0.6 worse
    pts = points_for(sweep, lambda k, X: np.where(k == 0, 1.0, np.where(X[:, 0] > 0.5, 1.6, 0.8)))
    reg = regret(pts, sweep).set_index("policy")
    high = (unit_design(sweep)[:, 0] > 0.5).mean()
    assert reg.loc["keeping", "max_regret"] == pytest.approx(0.6)
    assert reg.loc["calendar", "max_regret"] == pytest.approx(0.2)
    assert reg.loc["keeping", "mean_regret"] == pytest.approx(0.6 * high)
    assert reg.loc["calendar", "share_best"] == pytest.approx(high)


def test_discovery_needs_two_policies():
    sweep = Sweep.model_validate({**BASE, "levers": [], "design": {"method": "lhs", "points": 10}})
    with pytest.raises(AnalysisError, match="two policies"):
        discover(points_for(sweep, _linear), sweep)
