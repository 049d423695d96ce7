"""Mechanism 13, host consent: threat, intrusion and capability; and how the step feeds them."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.consent import ConsentParams, capability, intrusion, sovereignty_cost, threat, update
from endstate.model.params import DEFAULTS
from endstate.model.state import values
from endstate.model.step import Draws, step
from endstate.model.violence import violence_index
from endstate.spec import load_spec

V = DEFAULTS.v
RATE = V("consent_rate")
P = ConsentParams.of(values(DEFAULTS))
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def consent(level=0.8, threat=0.5, intrusion=2.5, capability=1.0, z=0.0):
    return update(level, threat, intrusion, capability, z, 0.0, P)


def test_consent_by_hand():
    target = 0.8 + 0.3 * 0.5 - 0.08 * 2.5 - 0.35 * 1.0  # 0.4
    assert math.isclose(consent(), 0.8 + RATE * (target - 0.8))


def test_threat_raises_consent_and_intrusion_and_capability_lower_it():
    assert math.isclose(consent(threat=1.0) - consent(threat=0.0), RATE * V("consent_threat"))
    assert math.isclose(consent(intrusion=1.5) - consent(intrusion=2.5), RATE * V("consent_intrusion"))
    assert math.isclose(consent(capability=0.0) - consent(capability=1.0), RATE * V("consent_capability"))
    assert math.isclose(consent(z=1.0) - consent(), V("consent_sigma"))


def test_an_able_host_facing_no_threat_settles_low():
    c = 0.8
    for _ in range(500):
        c = consent(level=c, threat=0.0, intrusion=0.5, capability=1.5)
    assert math.isclose(c, 0.8 - 0.08 * 0.5 - 0.35 * 1.5, abs_tol=1e-9)


def test_the_step_feeds_threat_intrusion_and_capability_as_documented():
    batch = RunBatch(ChunkJob(load_spec(EXAMPLE), DEFAULTS, 6, 0, 20, 0))
    sc, pv, st = batch.sc, batch.pv, batch.st
    rng = np.random.default_rng(4)
    wz, wu, wc = Draws.widths(sc.R, sc.C)
    d = Draws(rng.standard_normal((20, wz)), rng.random((20, wu)), rng.random((20, wc)))
    m = step(sc, pv, batch.pt, st, d, 0)
    vidx = violence_index((m.battle + m.civilian) / sc.pop * 1e5, pv.violence_index_scale) @ sc.share
    threat = np.clip(vidx + np.log1p(st.spoilers.sum(axis=1) / sc.population * 1000) / 3, 0, 1)
    intrusion = sc.n_transformation_goals + 0.5  # no transformation goals; the mission is present
    capability = np.clip(st.force / sc.constabulary_target, 0, 1.5)
    sovereignty = pv.consent_sovereignty * (1 / (1 + pv.consent_sovereignty_months)) * (1 - np.exp(-intrusion)) * capability  # month 0: one month present
    target = pv.consent_initial + pv.consent_threat * threat - pv.consent_intrusion * intrusion - pv.consent_capability * capability - sovereignty
    assert np.allclose(st.consent, pv.consent_initial + RATE * (target - pv.consent_initial) + pv.consent_sigma * d.z[:, 2 * sc.R + 1])


def test_threat_intrusion_and_capability_by_hand():
    assert math.isclose(threat(0.2, math.e - 1.0), 0.2 + 1.0 / 3.0)  # log(1 + fighters per 1,000) = 1
    assert threat(0.9, 1000.0) == 1.0
    assert intrusion(True, 2) == 2.5 and intrusion(False, 2) == 0.0  # nothing intrudes once the mission has gone
    assert capability(1500.0, 3000.0) == 0.5 and capability(9000.0, 3000.0) == 1.5 and capability(10.0, 0.0) == 1.5


def test_the_sovereignty_cost_grows_with_time_intrusion_and_capability():
    s, half = V("consent_sovereignty"), V("consent_sovereignty_months")
    cost = lambda months, intrusion=0.5, capability=1.0: sovereignty_cost(float(months), intrusion, capability, P)  # noqa: E731
    assert cost(0) == 0.0 and cost(12) < cost(36) < cost(120) < s
    assert math.isclose(cost(half, intrusion=1e9), s / 2)  # half its full size after ``half`` months
    assert cost(36, intrusion=2.5) > cost(36, intrusion=0.5) > cost(36, intrusion=0.0) == 0.0
    assert cost(36, capability=1.5) > cost(36, capability=0.5) > cost(36, capability=0.0) == 0.0


def test_a_capable_host_asks_a_long_mission_to_leave_even_under_threat():
    """Under the same threat, a host with its own force falls far lower after five years than a weak one, or than in year one."""
    def after(months: int, capability: float) -> float:
        c = 0.8
        p = P._replace(initial=0.8)
        for m in range(months):
            c = update(c, 0.8, 0.5, capability, 0.0, sovereignty_cost(m + 1.0, 0.5, capability, p), p)
        return c

    assert after(60, 1.5) < after(12, 1.5) - 0.1
    assert after(60, 1.5) < after(60, 0.2) - 0.3
    assert after(60, 1.5) < 0.4  # below the floors the case library's hosts used (0.3-0.4), though the threat is high
