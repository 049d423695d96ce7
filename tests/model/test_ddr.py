"""Mechanism 4b, DDR: intake limited by capacity, security, caseload and participation; failed reintegrations return."""

from __future__ import annotations

import math

import numpy as np

from endstate.model.ddr import NONE, DDRParams, Programme, disarm, intake, share_out

P = Programme(caseload=10_000.0, capacity=2_000.0, start=3, participation=1.0)
Q = DDRParams(failure=0.1, months=12.0)


def _disarm(S, arms, reint, taken, took, p, q, organised=1.0):
    """One month of the programme over a run's regions, as the kernel calls it: (spoilers, arms, reintegrating, taken)."""
    gone = share_out(p, taken, took)
    rows = [disarm(S[r], arms[r], reint[r], gone, organised, q) for r in range(len(S))]
    return [x[0] for x in rows], [x[1] for x in rows], [x[2] for x in rows], taken + took


def test_intake_is_capacity_times_security_up_to_the_caseload_left():
    took = [intake(P, t, sec, True) for t, sec in ((0.0, 0.5), (9_500.0, 1.0), (10_000.0, 1.0))]
    assert np.allclose(took, [1_000.0, 500.0, 0.0])


def test_no_intake_while_closed_or_without_a_programme():
    assert intake(P, 0.0, 1.0, False) == 0.0
    assert intake(NONE, 0.0, 1.0, True) == 0.0


def test_spoilers_leave_in_the_caseloads_proportion_and_only_signatories():
    half = Programme(10_000.0, 2_000.0, 0, 0.5)
    s, arms, reint, taken = _disarm([600.0, 400.0], [300.0, 100.0], [0.0, 0.0], 2_000.0, 2_000.0, half, Q)
    # a quarter of the caseload left (2,000 of 8,000) is taken, of the half of the fighters that signed up, with their weapons
    assert np.allclose(s, [600 * (1 - 0.125), 400 * (1 - 0.125)])
    assert np.allclose(arms, [300 * (1 - 0.125), 100 * (1 - 0.125)])
    assert np.allclose(reint, [75.0, 50.0])
    assert math.isclose(taken, 4_000.0)


def test_the_last_intake_takes_every_signatory_fighter():
    s, arms, _, _ = _disarm([500.0], [400.0], [0.0], 9_000.0, 1_000.0, P, Q)
    assert s[0] == 0.0 and arms[0] == 0.0


def test_a_failure_share_of_those_reintegrating_returns_each_month():
    s, _, reint, _ = _disarm([100.0], [50.0], [1_200.0], 0.0, 0.0, P, Q)
    assert math.isclose(s[0], 100.0 + 0.1 * 100.0)  # 100 leave the programme this month, 10 of them back to arms
    assert math.isclose(reint[0], 1_100.0)


def test_failed_reintegrations_return_only_to_what_is_left_of_the_groups():
    s, _, reint, _ = _disarm([100.0], [50.0], [1_200.0], 0.0, 0.0, P, Q, organised=0.3)
    assert math.isclose(s[0], 100.0 + 0.3 * 0.1 * 100.0)  # of the 10 who fail, the 3 whose units survive rejoin
    s, _, _, _ = _disarm([100.0], [50.0], [1_200.0], 0.0, 0.0, P, Q, organised=0.0)
    assert s[0] == 100.0  # every unit disbanded: no group to go back to


def test_fighters_are_conserved():
    S, R0 = [300.0, 700.0], [50.0, 20.0]
    s, _, reint, _ = _disarm(S, [0.0, 0.0], R0, 1_000.0, 1_500.0, P, DDRParams(0.2, 10.0))
    reintegrated = 0.8 * (sum(R0) / 10.0)
    assert math.isclose(sum(s) + sum(reint) + reintegrated, sum(S) + sum(R0))


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
