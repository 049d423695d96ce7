"""Mechanism 9, government authority and legitimacy: each term of the target, and the adjustment rate."""

from __future__ import annotations

import math

from endstate.model.legitimacy import LegitimacyParams, funded_services, update
from endstate.model.params import DEFAULTS
from endstate.model.state import values

V = DEFAULTS.v
RATE = V("legitimacy_rate")
P = LegitimacyParams.of(values(DEFAULTS))


def leg(level=0.5, leg0=0.6, coverage=0.5, access=0.5, violence=0.0, creature=0.0, overrides=0.0, z=0.0, funded=0.0):
    return update(level, leg0, coverage, access, violence, creature, overrides, funded, z, P)


def test_moves_a_share_toward_the_starting_level_at_neutral_conditions():
    assert math.isclose(leg(), 0.5 + RATE * (0.6 - 0.5))


def test_security_and_services_raise_legitimacy():
    assert math.isclose(leg(coverage=0.9) - leg(), RATE * V("legitimacy_security") * 0.4)
    assert math.isclose(leg(access=1.0) - leg(), RATE * V("legitimacy_services") * 0.5)


def test_violence_creature_and_overrides_lower_it():
    assert math.isclose(leg() - leg(violence=0.5), RATE * V("legitimacy_violence") * 0.5)
    assert math.isclose(leg() - leg(creature=0.6), RATE * V("legitimacy_creature") * 0.6)
    assert math.isclose(leg() - leg(overrides=3.0), RATE * V("legitimacy_override") * 3.0)


def test_shock_and_bounds():
    assert math.isclose(leg(z=1.0) - leg(), V("legitimacy_sigma"))
    assert leg(level=0.0, leg0=0.0, violence=1.0, creature=1.0, overrides=10.0) == 0.0
    assert leg(level=1.0, leg0=1.0, coverage=1.0, access=1.0, z=5.0) == 1.0


def test_settles_at_the_target():
    x = 0.2
    for _ in range(400):
        x = leg(level=x, coverage=0.9, violence=0.1)
    assert math.isclose(x, 0.6 + V("legitimacy_security") * 0.4 - V("legitimacy_violence") * 0.1, abs_tol=1e-9)


def test_programme_money_buys_services_credited_to_the_government():
    assert math.isclose(leg(funded=1.0) - leg(), RATE * V("programme_legitimacy"))
    f = [funded_services(b, 1e6, P) for b in (0.0, 1e6, 2e6)]  # US$0, 12 and 24 a head a year
    assert f[0] == 0.0 and math.isclose(f[1], 1.0 - math.exp(-12.0 / V("programme_scale_per_capita")))
    assert f[2] - f[1] < f[1] - f[0]  # diminishing returns
