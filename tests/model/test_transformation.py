"""Mechanism 15, transformation goals: slow, pushed by presence, helped a little by security."""

from __future__ import annotations

import math

from endstate.model.params import DEFAULTS
from endstate.model.state import values
from endstate.model.transformation import TransformationParams, update

V = DEFAULTS.v
RATE = V("transformation_rate")


def x1(x=0.2, goal=1.0, security=1.0, in_mission=True):
    return update(x, goal, in_mission, security, TransformationParams.of(values(DEFAULTS)))


def test_full_push_and_security_by_hand():
    assert math.isclose(x1(), 0.2 + RATE * 1.0 * 1.0 * 0.8)


def test_unpushed_indicators_drift_at_the_drift_share():
    drift = V("transformation_drift")
    assert math.isclose(x1(goal=0.0) - 0.2, drift * (x1() - 0.2))
    assert x1(in_mission=False) == x1(goal=0.0)  # once the mission has gone, a goal drifts like the rest


def test_force_helps_only_weakly_through_security():
    assert math.isclose((x1(security=0.0) - 0.2) / (x1(security=1.0) - 0.2), 0.3)


def test_slows_as_it_approaches_one_and_stays_in_range():
    assert x1(x=0.9) - 0.9 < x1(x=0.2) - 0.2
    assert x1(x=1.0) == 1.0


def test_months_to_reach_half_from_the_start_at_full_push():
    # x_n = 1 - 0.8 * (1 - rate)^n, so the months to reach 0.5 follow from the rate alone
    x, n = 0.2, 0
    while x < 0.5:
        x, n = x1(x=x), n + 1
    assert n == math.ceil(math.log(0.5 / 0.8) / math.log(1 - RATE))
