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
    s, reint, taken = disarm(S, np.zeros((1, 2)), np.array([2_000.0]), np.array([2_000.0]), half, 0.1, 12.0)
    # a quarter of the caseload left (2,000 of 8,000) is taken, of the half of the fighters that signed up
    assert np.allclose(s, [[600 * (1 - 0.125), 400 * (1 - 0.125)]])
    assert np.allclose(reint, [[75.0, 50.0]])
    assert math.isclose(taken[0], 4_000.0)


def test_the_last_intake_takes_every_signatory_fighter():
    s, _, _ = disarm(np.array([[500.0]]), np.zeros((1, 1)), np.array([9_000.0]), np.array([1_000.0]), P, 0.1, 12.0)
    assert s[0, 0] == 0.0


def test_a_failure_share_of_those_reintegrating_returns_each_month():
    s, reint, _ = disarm(np.array([[100.0]]), np.array([[1_200.0]]), np.array([0.0]), np.array([0.0]), P, 0.1, 12.0)
    assert math.isclose(s[0, 0], 100.0 + 0.1 * 100.0)  # 100 leave the programme this month, 10 of them back to arms
    assert math.isclose(reint[0, 0], 1_100.0)


def test_fighters_are_conserved():
    S, R0 = np.array([[300.0, 700.0]]), np.array([[50.0, 20.0]])
    s, reint, _ = disarm(S, R0, np.array([1_000.0]), np.array([1_500.0]), P, 0.2, 10.0)
    reintegrated = 0.8 * (R0.sum() / 10.0)
    assert math.isclose(s.sum() + reint.sum() + reintegrated, S.sum() + R0.sum())
