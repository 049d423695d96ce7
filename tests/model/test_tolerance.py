"""Mechanism 12, contributor tolerance: losses to deaths and cost, purpose and interest, recovery; end to end."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from endstate.engine.runner import simulate
from endstate.model.params import DEFAULTS
from endstate.model.tolerance import update
from endstate.spec import load_spec, validate_data

V = DEFAULTS.v
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def tol(level=0.8, initial=0.85, deaths=0.0, cost_bn=0.0, sensitivity=0.5, explained=1.0, interest=1.0):
    out = update(
        np.array([[level]]), np.array([[initial]]), np.array([[deaths]]), np.array([[cost_bn]]), np.array([[sensitivity]]),
        np.array([[explained]]), np.array([[interest]]), V("tolerance_per_fatality"), V("tolerance_cost"), V("tolerance_recovery"),
        V("unexplained_multiplier"), V("weak_interest_multiplier"),
    )
    return float(out[0, 0])


def test_losses_by_hand_with_a_clear_purpose_and_stake():
    # two deaths at sensitivity 0.5 and US$ 1 bn a year: 0.015*0.5*2 + 0.004*1, no recovery in a month with deaths
    assert math.isclose(tol(deaths=2.0, cost_bn=1.0), 0.8 - (0.015 * 0.5 * 2 + 0.004 * 1.0))


def test_casualties_cost_more_without_an_explained_purpose_or_a_stated_interest():
    base = 0.8 - tol(deaths=2.0)
    assert math.isclose(0.8 - tol(deaths=2.0, explained=0.0), base * V("unexplained_multiplier"))
    assert math.isclose(0.8 - tol(deaths=2.0, interest=0.0), base * V("weak_interest_multiplier"))
    assert math.isclose(0.8 - tol(deaths=2.0, explained=0.0, interest=0.0), base * 2.0 * 1.5)
    assert math.isclose(0.8 - tol(deaths=2.0, sensitivity=1.0), 2 * base)


def test_quiet_months_restore_support_toward_the_initial_level():
    assert math.isclose(tol(level=0.6, initial=0.8), 0.6 + V("tolerance_recovery") * 0.2)
    assert math.isclose(tol(level=0.6, initial=0.8, cost_bn=0.5), 0.6 + 0.02 * 0.2 - 0.004 * 0.5)
    assert tol(level=0.001, deaths=100.0) == 0.0


def test_sensitive_contributors_without_an_explained_purpose_leave_more_often():
    spec = load_spec(EXAMPLE)
    d = spec.model_dump(mode="json", exclude={"strategies"})
    for c in d["force"]["contributors"]:
        if c["id"] == "australia":
            c.update(casualty_sensitivity=1.0, purpose_explained=False, interest_stated=False)
    base = simulate(spec, 150, seed=7, params=DEFAULTS)
    touchy = simulate(validate_data(d), 150, seed=7, params=DEFAULTS)
    n_base = int((base.outcomes.exit_reason == "contributor_tolerance").sum())
    n_touchy = int((touchy.outcomes.exit_reason == "contributor_tolerance").sum())
    assert n_touchy > n_base + 50
    # in those runs the lead state (contributor 0) left first, and the mission withdrew within the trigger's three months
    ev = touchy.events
    left = ev[(ev.event == 3) & (ev.detail == 0)]
    by_tol = touchy.outcomes[touchy.outcomes.exit_reason == "contributor_tolerance"]
    assert set(by_tol.run) <= set(left.run)
    assert (by_tol.exit_month == by_tol.trigger_month + 3).all()
