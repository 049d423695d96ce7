"""Mechanism 4b, DDR: intake limited by capacity, security, caseload and participation; failed reintegrations return."""

from __future__ import annotations

import math

import numpy as np

from endstate.model.ddr import NONE, Programme, disarm, intake

P = Programme(caseload=10_000.0, capacity=2_000.0, start=3, participation=1.0)


def test_intake_is_capacity_times_security_up_to_the_caseload_left():
    took = intake(P, np.array([0.0, 9_500.0, 10_000.0]), np.array([0.5, 1.0, 1.0]), np.array([True, True, True]))
    assert np.allclose(took, [1_000.0, 500.0, 0.0])


def test_no_intake_while_closed_or_without_a_programme():
    assert intake(P, np.array([0.0]), np.array([1.0]), np.array([False]))[0] == 0.0
    assert intake(NONE, np.array([0.0]), np.array([1.0]), np.array([True]))[0] == 0.0


def test_spoilers_leave_in_the_caseloads_proportion_and_only_signatories():
    S = np.array([[600.0, 400.0]])
    half = Programme(10_000.0, 2_000.0, 0, 0.5)
    s, arms, reint, taken = disarm(S, np.array([[300.0, 100.0]]), np.zeros((1, 2)), np.array([2_000.0]), np.array([2_000.0]), half, 0.1, 12.0)
    # a quarter of the caseload left (2,000 of 8,000) is taken, of the half of the fighters that signed up, with their weapons
    assert np.allclose(s, [[600 * (1 - 0.125), 400 * (1 - 0.125)]])
    assert np.allclose(arms, [[300 * (1 - 0.125), 100 * (1 - 0.125)]])
    assert np.allclose(reint, [[75.0, 50.0]])
    assert math.isclose(taken[0], 4_000.0)


def test_the_last_intake_takes_every_signatory_fighter():
    s, arms, _, _ = disarm(np.array([[500.0]]), np.array([[400.0]]), np.zeros((1, 1)), np.array([9_000.0]), np.array([1_000.0]), P, 0.1, 12.0)
    assert s[0, 0] == 0.0 and arms[0, 0] == 0.0


def test_a_failure_share_of_those_reintegrating_returns_each_month():
    s, _, reint, _ = disarm(np.array([[100.0]]), np.array([[50.0]]), np.array([[1_200.0]]), np.array([0.0]), np.array([0.0]), P, 0.1, 12.0)
    assert math.isclose(s[0, 0], 100.0 + 0.1 * 100.0)  # 100 leave the programme this month, 10 of them back to arms
    assert math.isclose(reint[0, 0], 1_100.0)


def test_fighters_are_conserved():
    S, R0 = np.array([[300.0, 700.0]]), np.array([[50.0, 20.0]])
    s, _, reint, _ = disarm(S, np.zeros((1, 2)), R0, np.array([1_000.0]), np.array([1_500.0]), P, 0.2, 10.0)
    reintegrated = 0.8 * (R0.sum() / 10.0)
    assert math.isclose(s.sum() + reint.sum() + reintegrated, S.sum() + R0.sum())


def _liberia_months(months: int, with_ddr: bool) -> tuple[np.ndarray, np.ndarray]:
    """Spoiler strength and the disarmed share after ``months`` of Liberia's case, on the same random numbers."""
    from endstate.engine.runner import ChunkJob, RunBatch
    from endstate.experiments.replay import load_case
    from endstate.model.indicators import indicator
    from endstate.model.params import DEFAULTS
    from endstate.model.step import Draws, step
    from endstate.spec import validate_data

    d = load_case("liberia_unmil")[0].model_dump(mode="json", exclude={"strategies"})
    if not with_ddr:
        d["tasks"]["ddr"] = None
    batch = RunBatch(ChunkJob(validate_data(d), DEFAULTS, 1, 0, 20, 0))
    sc, st = batch.sc, batch.st
    rng = np.random.default_rng(0)
    wz, wu, wc = Draws.widths(sc.R, sc.C)
    for month in range(months):
        m = step(sc, batch.pv, batch.pt, st, Draws(rng.standard_normal((20, wz)), rng.random((20, wu)), rng.random((20, wc))), month)
    return st.spoilers.sum(axis=1), indicator("disarmed_share", sc, st, m)


def test_liberias_programme_disarms_its_caseload_and_thins_the_armed_groups():
    with_s, share = _liberia_months(14, True)
    without_s, none = _liberia_months(14, False)
    assert (share > 0.5).all() and (share <= 1.0).all()
    assert (none == 0.0).all()
    assert (with_s < 0.5 * without_s).all()
