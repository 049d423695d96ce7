"""Mechanism 3, relapse to war: the monthly hazard, term by term, and the draw that decides it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.exits.events import EV
from endstate.model.params import DEFAULTS
from endstate.model.peacekeeping import PeacekeepingParams, termination_rate
from endstate.model.relapse import RelapseParams, hazard, static_log_hazard
from endstate.model.state import values
from endstate.model.step import Draws, step
from endstate.model.violence import violence_index
from endstate.spec import load_spec

V = DEFAULTS.v
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


P = RelapseParams.of(values(DEFAULTS))


def h(
    outcome="settlement", deaths=1000.0, years=1.0, identity=False, month=0, fighters=0.0, coverage=0.0, deterrence=0.0, violence=0.0, legitimacy=0.5,
    election=0.0, prior=0,
):
    base = V(f"relapse_base_{outcome}")
    static = static_log_hazard(
        np.array([deaths]), np.array([years]), identity, base, V("relapse_log_deaths"), V("relapse_log_duration"), V("relapse_identity"),
        prior, V("relapse_prior_relapses"),
    )
    out = hazard(static, month, np.array([fighters]), np.array([coverage]), np.array([deterrence]), np.array([violence]), np.array([legitimacy]), election, P)
    return float(out[0])


def test_reference_point_is_the_base_rate():
    # 1,000 deaths, one year, no identity, month 0, no fighters, no coverage, no violence, legitimacy 0.5
    for outcome in ("settlement", "truce", "victory"):
        assert math.isclose(h(outcome), V(f"relapse_base_{outcome}"))


def test_outcome_ordering_truce_settlement_victory():
    assert h("truce") > h("settlement") > h("victory")


def test_time_decay_is_a_power_of_one_plus_years():
    decay = V("relapse_time_decay")
    assert math.isclose(h(month=12) / h(month=0), 2.0**-decay)
    assert math.isclose(h(month=36) / h(month=0), 4.0**-decay)
    assert h(month=120) < h(month=60) < h(month=12)


def test_coverage_lowers_hazard_by_exp_minus_bc_delta():
    assert math.isclose(h(coverage=0.6) / h(coverage=0.2), math.exp(-V("relapse_coverage") * 0.4))


def test_mission_deterrence_lowers_hazard_by_exp_minus_effect_times_deterrence():
    assert math.isclose(h(deterrence=0.7) / h(), math.exp(-V("pk_relapse_effect") * 0.7))
    assert 0.3 <= h(deterrence=0.7) / h() <= 0.6  # a typical multidimensional mission: Fortna's "half or more"


def test_war_size_length_and_identity():
    assert math.isclose(h(deaths=10_000) / h(deaths=1000), math.exp(V("relapse_log_deaths")))
    assert h(deaths=0) == h(deaths=25)  # deaths are floored at 25
    assert math.isclose(h(years=math.e) / h(years=1), math.exp(V("relapse_log_duration")))
    assert h(years=5) < h(years=1)  # longer wars, more durable peace
    assert math.isclose(h(identity=True) / h(), math.exp(V("relapse_identity")))


def test_earlier_failed_peaces_raise_the_hazard_by_a_power_of_one_plus_their_number():
    b = V("relapse_prior_relapses")
    assert b > 0  # the conflict trap: a country whose peace failed before relapses more
    assert math.isclose(h(prior=1) / h(), 2.0**b)
    assert math.isclose(h(prior=3) / h(), 4.0**b)
    assert h(prior=3) / h(prior=2) < h(prior=1) / h()  # each earlier failure adds less than the one before


def test_the_spec_field_reaches_the_engine_hazard():
    spec = load_spec(EXAMPLE)
    data = spec.model_dump()
    data["understanding"]["prior_relapses"] = 2
    twice = type(spec).model_validate(data)
    assert spec.understanding.prior_relapses == 0  # the default: no earlier failed peace
    a = RunBatch(ChunkJob(spec, DEFAULTS, 0, 0, 4, 0)).st.static_hazard
    b = RunBatch(ChunkJob(twice, DEFAULTS, 0, 0, 4, 0)).st.static_hazard
    assert np.allclose(b - a, V("relapse_prior_relapses") * math.log(3.0))


def test_spoilers_violence_and_legitimacy():
    assert math.isclose(h(fighters=math.e - 1) / h(), math.exp(V("relapse_spoilers")))
    assert math.isclose(h(violence=0.4) / h(), math.exp(V("relapse_violence") * 0.4))
    assert math.isclose(h(legitimacy=0.7) / h(), math.exp(-V("relapse_legitimacy") * 0.2))


def test_election_log_ratio_multiplies_the_hazard():
    assert math.isclose(h(election=math.log(1.3)) / h(), 1.3)


def test_hazard_is_capped_at_one():
    assert h("truce", fighters=1e9, violence=1.0) == 1.0


@pytest.fixture(scope="module")
def month0():
    batch = RunBatch(ChunkJob(load_spec(EXAMPLE), DEFAULTS, 11, 0, 40, 0))
    sc = batch.sc
    rng = np.random.default_rng(0)
    wz, wu, wc = Draws.widths(sc.R, sc.C)
    d = Draws(rng.standard_normal((40, wz)), rng.random((40, wu)), rng.random((40, wc)))
    return batch, d


def _run(batch, d, u_relapse):
    st = batch.st.take(np.arange(batch.st.force.shape[0]))
    u = d.u.copy()
    u[:, 2 * batch.sc.R] = u_relapse
    m = step(batch.sc, batch.pv, batch.pt, st, Draws(d.z, u, d.uc), 0)
    return st, m


def test_war_resumes_exactly_when_the_uniform_falls_below_the_documented_hazard(month0):
    batch, d = month0
    sc, pv = batch.sc, batch.pv
    st, m = _run(batch, d, 1.0)
    assert not m.relapsed_now.any()
    # the hazard from the documented equation, with this month's values
    fighters = st.spoilers.sum(axis=1) / sc.population * 1000.0
    vidx = violence_index((m.battle + m.civilian) / sc.pop * 1e5, pv.violence_index_scale) @ sc.share
    expected = hazard(st.static_hazard, 0, fighters, m.coverage @ sc.share, m.mission.deterrence, vidx, st.legitimacy, 0.0, RelapseParams.of(pv))
    assert np.all(expected < 1.0)
    st_below, m_below = _run(batch, d, expected * (1 - 1e-9))
    st_above, m_above = _run(batch, d, expected * (1 + 1e-9))
    assert m_below.relapsed_now.all() and st_below.at_war.all() and (st_below.relapse_month == 0).all()
    assert not m_above.relapsed_now.any() and not st_above.at_war.any()


def _at_war(batch, d):
    st = batch.st.take(np.arange(batch.st.force.shape[0]))
    u = d.u.copy()
    u[:, 2 * batch.sc.R] = 0.0
    step(batch.sc, batch.pv, batch.pt, st, Draws(d.z, u, d.uc), 0)
    assert st.at_war.all() and (st.relapse_month == 0).all()
    return st, u


def test_a_resumed_war_goes_on_while_the_uniform_is_at_or_above_the_termination_rate(month0):
    batch, d = month0
    st, u = _at_war(batch, d)
    probe = st.take(np.arange(st.force.shape[0]))
    u[:, 2 * batch.sc.R] = 1.0
    deterrence = step(batch.sc, batch.pv, batch.pt, probe, Draws(d.z, u, d.uc), 1).mission.deterrence
    rate = np.array([termination_rate(x, PeacekeepingParams.of(batch.pv)) for x in deterrence])
    assert np.all(rate > batch.pv.war_termination_rate)  # the mission present shortens the war
    u[:, 2 * batch.sc.R] = rate  # not below: the war goes on
    m = step(batch.sc, batch.pv, batch.pt, st, Draws(d.z, u, d.uc), 1)
    assert st.at_war.all() and not m.relapsed_now.any() and not m.war_ended_now.any()
    assert (st.relapse_month == 0).all() and (st.peace_start == 0).all()


def test_a_resumed_war_ends_when_the_uniform_falls_below_the_termination_rate_and_peace_restarts_its_clock(month0):
    batch, d = month0
    sc, pv = batch.sc, batch.pv
    st, u = _at_war(batch, d)
    u[:, 2 * sc.R] = pv.war_termination_rate * (1 - 1e-9)  # below the rate without a mission, so below it with one
    m = step(sc, pv, batch.pt, st, Draws(d.z, u, d.uc), 3)
    assert m.war_ended_now.all() and not st.at_war.any() and not m.relapsed_now.any()
    assert (st.peace_start == 4).all() and (st.relapse_month == 0).all()  # the first relapse stays on record
    # the next month's hazard is read 0 months into the new peace (the decay term restarts), not 4 months in
    before = st.take(np.arange(st.force.shape[0]))
    u[:, 2 * sc.R] = 1.0
    m = step(sc, pv, batch.pt, st, Draws(d.z, u, d.uc), 4)
    fighters = st.spoilers.sum(axis=1) / sc.population * 1000.0  # the values the step read (the relapse draw changes none)
    vidx = violence_index((m.battle + m.civilian) / sc.pop * 1e5, pv.violence_index_scale) @ sc.share
    args = (fighters, m.coverage @ sc.share, m.mission.deterrence, vidx, st.legitimacy, 0.0, RelapseParams.of(pv))
    fresh = hazard(before.static_hazard, 0, *args)
    old = hazard(before.static_hazard, 4, *args)
    assert np.all(fresh > old)
    st2 = before.take(np.arange(before.force.shape[0]))
    u[:, 2 * sc.R] = fresh * (1 - 1e-9)
    m2 = step(sc, pv, batch.pt, st2, Draws(d.z, u, d.uc), 4)
    assert m2.relapsed_now.all() and st2.at_war.all()
    assert (st2.relapse_month == 0).all()  # a second relapse does not overwrite the first


def test_with_no_termination_a_resumed_war_never_ends(month0):
    batch, d = month0
    pv0 = batch.pv.__class__(**{**vars(batch.pv), "war_termination_rate": 0.0})
    st, u = _at_war(batch, d)
    u[:, 2 * batch.sc.R] = 0.0  # the most favourable draw
    for month in range(1, 13):
        m = step(batch.sc, pv0, batch.pt, st, Draws(d.z, u, d.uc), month)
        assert st.at_war.all() and not m.war_ended_now.any()


def test_wars_last_about_one_over_the_termination_rate():
    """Size: simulated resumed wars in the East Timor example last 1 / rate months on average (geometric)."""
    from endstate.engine.runner import simulate

    rate = 0.05
    params = DEFAULTS.with_values(war_termination_rate=rate, relapse_base_settlement=0.03, pk_termination_effect=0.0)  # the base rate alone
    res = simulate(load_spec(EXAMPLE), 2000, seed=3, params=params, series_runs=2000)
    se = res.series
    war_months = int(se["at_war"].sum())  # months that ended at war: each is a chance for the war to end the next month
    ended = int((res.events["event"] == EV["war_ended"]).sum())
    assert war_months > 5000
    assert ended / war_months == pytest.approx(rate, rel=0.1)
