"""Grievance and tension: the regional moods behind recruitment (mechanism 4) and riots (mechanism 10)."""

from __future__ import annotations

import math

import numpy as np

from endstate.model.grievance import GrievanceParams, grievance, tension
from endstate.model.params import DEFAULTS
from endstate.model.state import values

V = DEFAULTS.v
P = GrievanceParams.of(values(DEFAULTS))


def g(g0=0.4, need=0.5, access=0.6, processing=0.5, violence=0.2):
    return grievance(g0, need, access, processing, violence, P)


def test_grievance_moves_a_tenth_toward_its_target():
    target = 0.1 + 0.4 * 0.5 * 0.4 + 0.3 * 0.5 + 0.3 * 0.2  # 0.39
    assert math.isclose(g(), 0.4 + V("grievance_rate") * (target - 0.4))


def test_impunity_and_killing_raise_grievance():
    assert math.isclose(g(processing=0.0) - g(processing=1.0), V("grievance_rate") * 0.3)
    assert math.isclose(g(violence=1.0) - g(violence=0.0), V("grievance_rate") * 0.3)


def t(t0=0.5, cov=0.5, push=0.0, riot=0.0):
    """Next month's tension in a region outside an enclave and in one (from 0.5); ``riot`` uncontained riots."""
    return np.array([tension(0.5, t0, cov, push, enclave, riot, P) for enclave in (0.0, 1.0)])


def test_coverage_calms_tension():
    rate = V("tension_rate")
    assert np.allclose(t(cov=0.5), 0.5 + rate * (0.5 * (1 - 0.3 * 0.5) - 0.5))
    assert np.all(t(cov=1.0) < t(cov=0.0))


def test_pushing_transformation_raises_tension_in_enclaves_only():
    calm, pushed = t(), t(push=2.0)
    assert pushed[0] == calm[0]  # not an enclave
    assert math.isclose(pushed[1] - calm[1], V("tension_rate") * V("transformation_tension") * 2.0)


def test_uncontained_riots_add_tension_directly():
    assert np.allclose(t(riot=1.5) - t(), V("riot_tension") * 1.5)
