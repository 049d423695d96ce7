"""Mechanism 4, spoilers: recruitment, crossings, returns, pressure, arrests, autonomy, cap."""

from __future__ import annotations

import math

from endstate.model.params import DEFAULTS
from endstate.model.spoilers import SpoilerParams, arrests, organisation, update
from endstate.model.state import values

V = DEFAULTS.v
P = SpoilerParams.of(values(DEFAULTS))


def new_strength(S=1000.0, grievance=0.5, armed=0.5, support=0.2, inflow=10.0, returned=5.0, coverage=0.5, arrested=None,
                 tension=0.4, autonomy=False, shock=1.0, cap=1e9, backlash=0.0, organised=1.0):
    a = V("spoiler_arrest_rate") * coverage * S if arrested is None else arrested
    return update(S, grievance, armed, support, inflow, returned, coverage, a, tension, autonomy, shock, cap, backlash, organised, P)


def test_arrests_are_rate_times_coverage_times_strength():
    assert math.isclose(arrests(1000.0, 0.5, P), 0.03 * 0.5 * 1000)


def test_update_by_hand():
    # gain: 0.04*1000*0.5*0.5*(1+0.2) = 12 recruits, 0.3*10 = 3 crossing, 5 returned
    # loss: 0.05*0.5*1000 = 25 dispersed, 0.03*0.5*1000 = 15 arrested
    assert math.isclose(new_strength(), 1000 + 12 + 3 + 5 - 25 - 15)


def test_more_coverage_means_fewer_fighters_by_pressure_plus_arrests():
    delta = new_strength(coverage=0.2) - new_strength(coverage=0.7)
    assert math.isclose(delta, (V("spoiler_pressure_loss") + V("spoiler_arrest_rate")) * 0.5 * 1000)


def test_impunity_and_grievance_feed_recruitment():
    delta = new_strength(grievance=0.9) - new_strength(grievance=0.5)
    assert math.isclose(delta, V("spoiler_recruitment") * 1000 * 0.4 * 0.5 * 1.2)
    # outside support doubles the multiplier from 1 to 2
    assert math.isclose(new_strength(support=1.0) - new_strength(support=0.0), V("spoiler_recruitment") * 1000 * 0.5 * 0.5)


def test_weapons_crossing_bring_fighters():
    assert math.isclose(new_strength(inflow=110.0) - new_strength(inflow=10.0), V("fighters_per_weapon_inflow") * 100)


def test_released_fighters_return():
    assert math.isclose(new_strength(returned=25.0) - new_strength(returned=5.0), 20.0)


def test_regional_autonomy_draws_fighters_into_politics():
    delta = new_strength(autonomy=False) - new_strength(autonomy=True)
    assert math.isclose(delta, V("spoiler_inclusion_loss") * 0.4 * 1000)  # 8 fighters a month
    assert new_strength(autonomy=True, tension=0.0) == new_strength(autonomy=False, tension=0.0)


def test_shock_multiplies_recruitment_only():
    assert math.isclose(new_strength(shock=2.0) - new_strength(shock=1.0), 12.0)


def test_strength_is_capped_and_never_negative():
    assert new_strength(cap=500.0) == 500.0
    assert new_strength(S=10.0, coverage=1.0, arrested=100.0, returned=0.0, inflow=0.0) == 0.0


def test_a_force_that_is_a_party_recruits_a_share_of_those_its_pressure_and_arrests_take_out():
    # pressure 25 and arrests 15 take out 40 (test_update_by_hand); a backlash of 0.5 brings in 20 new fighters
    assert math.isclose(new_strength(backlash=0.5) - new_strength(), 0.5 * 40)


def test_a_wholly_party_force_gains_nothing_by_more_coverage():
    # with backlash 1 every fighter pressed or arrested is replaced: coverage no longer lowers strength
    assert math.isclose(new_strength(coverage=0.2, backlash=1.0), new_strength(coverage=0.7, backlash=1.0))


def test_a_disarmament_programme_disbands_the_signatories_organisation_in_proportion():
    assert organisation(0.0, 1.0) == 1.0  # no one disarmed yet, or no programme
    assert math.isclose(organisation(0.5, 1.0), 0.5)
    assert math.isclose(organisation(1.0, 0.6), 0.4)  # the non-signatories' groups stay whole
    assert organisation(1.5, 1.0) == 0.0  # a caseload taken in beyond the plan disbands no more than all


def test_fighters_from_outside_join_only_what_is_left_of_the_groups():
    # 3 crossing with weapons and 5 released (test_update_by_hand) join a group whose organisation survives in full;
    # a quarter of it takes in a quarter of them; recruitment by the fighters still there does not depend on it
    assert math.isclose(new_strength() - new_strength(organised=0.25), 0.75 * (3 + 5))
    assert math.isclose(new_strength(organised=0.0, inflow=0.0, returned=0.0), new_strength(inflow=0.0, returned=0.0))
