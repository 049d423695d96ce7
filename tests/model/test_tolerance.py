"""Mechanism 12, contributor tolerance: a step per tenfold of remembered deaths and cost, purpose and interest, forgetting; end to end."""

from __future__ import annotations

import copy
import math
from pathlib import Path

from endstate.engine.runner import simulate
from endstate.model.params import DEFAULTS
from endstate.model.state import values
from endstate.model.tolerance import ToleranceParams, level, remember
from endstate.spec import load_spec, validate_data

V = DEFAULTS.v
P = ToleranceParams.of(values(DEFAULTS))
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def tol(initial=0.85, deaths=0.0, cost_bn=0.0, sensitivity=0.5, explained=1.0, interest=1.0):
    """Tolerance after ``deaths`` remembered, counting each death (``tolerance_deaths_absorbed`` set to 1)."""
    return level(initial, deaths, cost_bn, sensitivity, explained, interest, P._replace(deaths_absorbed=1.0))


def test_losses_by_hand_with_a_clear_purpose_and_stake():
    # 9 remembered deaths at sensitivity 0.5 and US$ 9 bn: one tenfold step of each
    expected = 0.85 - (V("tolerance_per_tenfold_deaths") * 0.5 * 1.0 + V("tolerance_per_tenfold_cost") * 1.0)
    assert math.isclose(tol(deaths=9.0, cost_bn=9.0), expected)


def test_each_tenfold_rise_in_deaths_costs_the_same_step():
    step1 = tol(deaths=9.0) - tol(deaths=99.0)
    step2 = tol(deaths=99.0) - tol(deaths=999.0)
    assert math.isclose(step1, step2, rel_tol=1e-12)
    assert math.isclose(step1, V("tolerance_per_tenfold_deaths") * 0.5)


def test_casualties_cost_more_without_an_explained_purpose_or_a_stated_interest():
    base = 0.85 - tol(deaths=9.0)
    assert math.isclose(0.85 - tol(deaths=9.0, explained=0.0), base * V("unexplained_multiplier"))
    assert math.isclose(0.85 - tol(deaths=9.0, interest=0.0), base * V("weak_interest_multiplier"))
    assert math.isclose(0.85 - tol(deaths=9.0, explained=0.0, interest=0.0), base * 2.0 * 1.5)
    assert math.isclose(0.85 - tol(deaths=9.0, sensitivity=1.0), 2 * base)


def test_publics_forget_a_share_of_losses_each_month():
    f = V("tolerance_forgetting")
    assert math.isclose(remember(10.0, 0.0, P), 10.0 * (1 - f))
    assert math.isclose(remember(10.0, 2.0, P), 10.0 * (1 - f) + 2.0)
    assert tol(deaths=1e9) == 0.0


def test_sensitive_contributors_without_an_explained_purpose_leave_more_often():
    # East Timor's hold-outs rarely fight, so the lead state sees few hostile deaths: armed groups that target foreign
    # forces (as in Somalia or Mali; they now fight the force, mechanism 2) and a lead whose floor sits 0.15 under its
    # starting tolerance make the contrast visible
    hostile = load_spec(EXAMPLE).model_dump(mode="json", exclude={"strategies"})
    hostile["understanding"]["targeting_of_foreign_forces"] = 0.8
    for c in hostile["force"]["contributors"]:
        if c["id"] == "australia":
            c["tolerance_floor"] = 0.7
    d = copy.deepcopy(hostile)
    for c in d["force"]["contributors"]:
        if c["id"] == "australia":
            c.update(casualty_sensitivity=1.0, purpose_explained=False, interest_stated=False)
    base = simulate(validate_data(hostile), 150, seed=7, params=DEFAULTS)
    touchy = simulate(validate_data(d), 150, seed=7, params=DEFAULTS)
    n_base = int((base.outcomes.exit_reason == "contributor_tolerance").sum())
    n_touchy = int((touchy.outcomes.exit_reason == "contributor_tolerance").sum())
    assert n_touchy > n_base + 10  # the first deaths are absorbed (tolerance_deaths_absorbed), so fewer leave than before
    # in those runs the lead state (contributor 0) left first, and the mission withdrew within the trigger's three months
    ev = touchy.events
    left = ev[(ev.event == 3) & (ev.detail == 0)]
    by_tol = touchy.outcomes[touchy.outcomes.exit_reason == "contributor_tolerance"]
    assert set(by_tol.run) <= set(left.run)
    assert (by_tol.exit_month == by_tol.trigger_month + 3).all()


def test_the_first_deaths_are_absorbed_then_each_tenfold_costs_the_same_step():
    """Deaths count in units of ``tolerance_deaths_absorbed``: a handful move opinion little, beyond that Mueller's tenfold law holds."""
    d0 = V("tolerance_deaths_absorbed")

    def t(deaths: float) -> float:
        return level(0.8, deaths, 0.0, 0.5, 1.0, 1.0, P)

    step = V("tolerance_per_tenfold_deaths") * 0.5
    assert 0.8 - t(d0 / 10) < step / 10  # Panama-sized losses for a clear purpose: almost no change
    assert math.isclose(t(9 * d0), 0.8 - step)
    assert math.isclose(t(99 * d0) - t(999 * d0), step, rel_tol=1e-9)
