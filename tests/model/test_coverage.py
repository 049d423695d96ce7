"""Mechanism 1, security coverage: saturation, density, domestic deployment, reallocation."""

from __future__ import annotations

import math

import numpy as np

from endstate.model.coverage import hotspot_weights, saturating, security_density
from endstate.model.params import DEFAULTS

SCALE = DEFAULTS.v("coverage_scale_per_1000")


def test_quinlivan_ratio_gives_one_minus_exp_minus_two():
    # 20 per 1,000 at the default scale of 10 per 1,000
    assert SCALE == 10.0
    assert saturating(np.array([20.0]), SCALE)[0] == 1.0 - math.exp(-2.0)
    assert math.isclose(1.0 - math.exp(-2.0), 0.8647, abs_tol=1e-4)


def test_saturation_zero_at_zero_and_never_negative():
    out = saturating(np.array([0.0, -5.0, SCALE]), SCALE)
    assert out[0] == 0.0 and out[1] == 0.0
    assert math.isclose(out[2], 1.0 - math.exp(-1.0))


def test_diminishing_returns_exact_increments():
    c = saturating(np.array([0.0, 10.0, 20.0, 30.0]), SCALE)
    steps = np.diff(c)
    expected = [1 - math.exp(-1), math.exp(-1) - math.exp(-2), math.exp(-2) - math.exp(-3)]
    assert np.allclose(steps, expected)
    assert steps[0] > steps[1] > steps[2]


def test_density_is_international_times_coherence_per_1000():
    intl = np.array([[1000.0, 0.0]])
    pop = np.array([100_000.0, 100_000.0])
    dens = security_density(
        intl, np.zeros_like(intl), np.array([0.8]), np.array([0.0]), np.array([0.5]), np.array([0.8]),
        pop, np.array([0.5, 0.5]), None, 0.3,
    )
    assert np.allclose(dens, [[8.0, 0.0]])


def test_domestic_force_is_spread_by_population_and_weighted_by_quality_and_loyalty():
    # 2,000 personnel, quality 0.5, loyalty 0.8: 800 effective, spread 1:3 with population
    pop = np.array([25_000.0, 75_000.0])
    share = np.array([0.25, 0.75])
    dens = security_density(
        np.zeros((1, 2)), np.zeros((1, 2)), np.array([0.5]), np.array([2000.0]), np.array([0.5]), np.array([0.8]),
        pop, share, None, 0.3,
    )
    # 200 / 25 and 600 / 75 per 1,000: the same density everywhere, and coherence does not scale it
    assert np.allclose(dens, [[8.0, 8.0]])


def test_reallocation_moves_the_mobile_share_to_hotspots_and_conserves_personnel():
    intl = np.array([[1000.0, 1000.0]])
    mobile = np.array([[1000.0, 0.0]])
    pop = np.array([100_000.0, 100_000.0])
    w = np.array([[0.0, 1.0]])
    share = DEFAULTS.v("reallocation_share")
    dens = security_density(intl, mobile, np.array([1.0]), np.array([0.0]), np.array([0.0]), np.array([0.0]), pop, np.array([0.5, 0.5]), w, share)
    moved = share * 1000.0
    assert np.allclose(dens * 100.0, [[1000.0 - moved, 1000.0 + moved]])
    assert math.isclose((dens * 100.0).sum(), 2000.0)


def test_hotspot_weights_population_tension_plus_fighters():
    # scores: 100,000 * 0.5 and 100,000 * (0 + 100 fighters / 100 thousand) -> 50,000 : 100,000
    w = hotspot_weights(np.array([[0.5, 0.0]]), np.array([[0.0, 100.0]]), np.array([100_000.0, 100_000.0]))
    assert np.allclose(w, [[1 / 3, 2 / 3]])
    assert np.allclose(w.sum(axis=-1), 1.0)
