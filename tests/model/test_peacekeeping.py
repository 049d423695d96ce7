"""Mechanism 2a, peacekeeping: the dose-responses of troops, police and observers, dilution, command, deterrence."""

from __future__ import annotations

import math

from endstate.model.params import DEFAULTS
from endstate.model.peacekeeping import PeacekeepingParams, effect, termination_rate
from endstate.model.state import values

P = PeacekeepingParams.of(values(DEFAULTS))
REF_COH = P.reference_coherence


def fx(troops=0.0, police=0.0, observers=0.0, coherence=REF_COH, fighters=1000.0, targeting=0.0):
    e = effect(troops, police, observers, coherence, fighters, P, targeting)
    return e.battle, e.civilian, e.deterrence


def test_no_force_no_effect():
    assert fx() == (1.0, 1.0, 0.0)


def test_battle_deaths_at_10000_troops_are_hultman_kathman_shannons_quarter():
    b, _, _ = fx(troops=10_000)
    assert 0.17 <= b <= 0.37 and math.isclose(b, 0.27, abs_tol=0.01)


def test_police_and_observers_do_not_cut_battle_deaths():
    assert fx(police=500)[0] == 1.0 and fx(observers=500)[0] == 1.0


def test_civilian_deaths_fall_to_a_quarter_or_less_with_8000_troops_or_200_police():
    assert fx(troops=8000)[1] <= 0.25
    assert math.isclose(fx(troops=8000)[1], 2 / 106, rel_tol=0.05)
    assert math.isclose(fx(police=200)[1], 14 / 96, rel_tol=0.05)
    assert fx(police=500)[1] < 0.01  # near zero


def test_observers_alone_do_not_protect_civilians():
    assert fx(observers=150)[1] >= 1.0


def test_a_bigger_conflict_dilutes_the_force_and_a_coherent_command_strengthens_it():
    base = fx(troops=5000)
    assert fx(troops=5000, fighters=4 * P.reference_fighters)[0] > base[0]  # diluted
    assert math.isclose(fx(troops=5000, fighters=2 * P.reference_fighters)[0], fx(troops=2500)[0])
    assert fx(troops=5000, coherence=0.95)[0] < base[0]


def test_deterrence_saturates_and_observers_deter_nothing():
    d = [fx(troops=t)[2] for t in (0, 2500, 5000, 10_000, 40_000)]
    assert d == sorted(d) and d[-1] < 1.0 and d[-1] > 0.99
    assert d[3] - d[2] < d[2] - d[0]  # concave: the second 5,000 troops add less than the first
    assert fx(observers=1000)[2] == 0.0
    assert math.isclose(fx(troops=5000)[2], 1.0 - math.exp(-5000 / P.deterrence_scale))


def test_a_force_the_armed_groups_target_cannot_stand_between_itself_and_them():
    b0, c0, d0 = fx(troops=10_000)
    assert fx(troops=10_000, targeting=P.reference_targeting) == (b0, c0, d0)  # HKS's and Fortna's theatres: their effects
    assert fx(troops=10_000, targeting=0.0) == (b0, c0, d0)
    b, c, d = fx(troops=10_000, targeting=0.8)
    party = (0.8 - P.reference_targeting) / (1.0 - P.reference_targeting)
    # the targeted share of the fighting is not cut, however large the force
    assert math.isclose(b, party + (1 - party) * b0) and fx(troops=1_000_000, targeting=0.8)[0] >= party
    assert math.isclose(d, (1 - party) * d0) and c == c0  # a party deters less; its protection of civilians is unchanged
    assert fx(targeting=0.8) == (1.0, 1.0, 0.0)
    assert fx(troops=10_000, targeting=1.0)[0] == 1.0


def test_a_mission_shortens_a_resumed_war():
    base = DEFAULTS.v("war_termination_rate")
    assert P.war_termination_rate == base
    r = [termination_rate(d, P) for d in (0.0, 0.5, 0.9)]
    assert r[0] == base and r[1] > base and r[2] > r[1]
    assert math.isclose(r[2], base * math.exp(P.termination_effect * 0.9))
