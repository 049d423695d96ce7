"""Mechanism 11, mission casualties and cost: the monthly bill and the fatality expectation."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.casualties_cost import CostParams, expected_fatalities, monthly_cost
from endstate.model.params import DEFAULTS
from endstate.model.presence import headcount_by_contributor
from endstate.model.state import values
from endstate.model.step import Draws, step
from endstate.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def test_monthly_cost_by_hand():
    p = CostParams.of(values(DEFAULTS))._replace(per_trainee=500.0)
    assert monthly_cost(1000 * 10_000 + 500 * 6_000, 100.0, 1e6, p) == 1000 * 10_000 + 500 * 6_000 + 500 * 100 + 1e6
    assert expected_fatalities(2000.0, 0.5, p) == DEFAULTS.v("accident_fatality_rate") * 2000.0 + 0.5


def _month0(uc_value: float | None = None):
    batch = RunBatch(ChunkJob(load_spec(EXAMPLE), DEFAULTS, 4, 0, 25, 0))
    sc = batch.sc
    rng = np.random.default_rng(3)
    wz, wu, wc = Draws.widths(sc.R, sc.C)
    d = Draws(rng.standard_normal((25, wz)), rng.random((25, wu)), rng.random((25, wc)))
    if uc_value is not None:
        d.uc[:] = uc_value
    m = step(sc, batch.pv, batch.pt, batch.st, d, 0)
    return batch, m


def test_first_month_cost_is_personnel_plus_trainees_plus_programme():
    batch, _ = _month0()
    sc, st = batch.sc, batch.st
    recruits = st.pipeline[:, 0]
    expected = sc.headcount @ sc.cost_pm + DEFAULTS.v("training_cost_per_trainee") * recruits + sc.budget_per_month
    assert np.allclose(st.cost, expected, rtol=1e-12)
    # the example's contributors alone cost about US$ 104 m a month
    assert sc.headcount @ sc.cost_pm == 5000 * 15_000 + 1000 * 14_000 + 2500 * 6_000 + 1500 * 9_000


def _expected_fatalities(batch, m):
    sc, pv, st = batch.sc, batch.pv, batch.st
    fighting = m.battle / (sc.pop / 1000.0)  # battle deaths per 1,000 inhabitants where they serve
    P = sc.phase_mask.shape[0]
    hc, exposed = headcount_by_contributor(batch.pt, np.ones((st.force.shape[0], sc.C)), np.ones((st.force.shape[0], P + 1)), fighting)
    assert np.allclose(hc, sc.headcount[None, :])
    return pv.accident_fatality_rate * hc + pv.hostile_deaths_per_battle_death * sc.targeting * exposed


def test_fatalities_round_the_exposure_expectation_down_or_up():
    low, m_low = _month0(0.0)
    high, m_high = _month0(1.0 - 1e-12)
    exp_f = _expected_fatalities(low, m_low)
    assert np.all(exp_f > 0)
    assert np.array_equal(low.st.fatalities, np.floor(exp_f))
    assert np.allclose(_expected_fatalities(high, m_high), exp_f)
    assert np.array_equal(high.st.fatalities, np.ceil(exp_f))
