"""Mechanism 1, security coverage: saturation, density, domestic deployment, reallocation."""

from __future__ import annotations

import math

import numpy as np

from endstate.model.coverage import CoverageParams, hotspot_score, saturating, security_density
from endstate.model.params import DEFAULTS
from endstate.model.state import values

SCALE = DEFAULTS.v("coverage_scale_per_1000")
P = CoverageParams.of(values(DEFAULTS))


def densities(intl, mobile, coherence, domestic, pop, share, weights=None):
    """One run's density in each region, as the kernel's loop over regions computes it (``weights``: hotspot weights, or none)."""
    moved_total = sum(P.reallocation_share * m for m in mobile)
    w = weights if weights is not None else [0.0] * len(intl)
    return np.array([
        security_density(i, m, coherence, domestic, po / 1000.0, sh, weights is not None, moved_total, wr, P)
        for i, m, po, sh, wr in zip(intl, mobile, pop, share, w, strict=True)
    ])  # fmt: skip


def test_quinlivan_ratio_gives_one_minus_exp_minus_two():
    # 20 per 1,000 at the default scale of 10 per 1,000
    assert SCALE == 10.0
    assert saturating(20.0, SCALE) == 1.0 - math.exp(-2.0)
    assert math.isclose(1.0 - math.exp(-2.0), 0.8647, abs_tol=1e-4)


def test_saturation_zero_at_zero_and_never_negative():
    out = [saturating(x, SCALE) for x in (0.0, -5.0, SCALE)]
    assert out[0] == 0.0 and out[1] == 0.0
    assert math.isclose(out[2], 1.0 - math.exp(-1.0))


def test_diminishing_returns_exact_increments():
    c = np.array([saturating(x, SCALE) for x in (0.0, 10.0, 20.0, 30.0)])
    steps = np.diff(c)
    expected = [1 - math.exp(-1), math.exp(-1) - math.exp(-2), math.exp(-2) - math.exp(-3)]
    assert np.allclose(steps, expected)
    assert steps[0] > steps[1] > steps[2]


def test_density_is_international_times_coherence_per_1000():
    dens = densities([1000.0, 0.0], [0.0, 0.0], 0.8, 0.0, [100_000.0, 100_000.0], [0.5, 0.5])
    assert np.allclose(dens, [8.0, 0.0])


def test_domestic_force_is_spread_by_population_and_weighted_by_quality_and_loyalty():
    # 2,000 personnel, quality 0.5, loyalty 0.8: 800 effective, spread 1:3 with population
    dens = densities([0.0, 0.0], [0.0, 0.0], 0.5, 2000.0 * 0.5 * 0.8, [25_000.0, 75_000.0], [0.25, 0.75])
    # 200 / 25 and 600 / 75 per 1,000: the same density everywhere, and coherence does not scale it
    assert np.allclose(dens, [8.0, 8.0])


def test_reallocation_moves_the_mobile_share_to_hotspots_and_conserves_personnel():
    dens = densities([1000.0, 1000.0], [1000.0, 0.0], 1.0, 0.0, [100_000.0, 100_000.0], [0.5, 0.5], weights=[0.0, 1.0])
    moved = DEFAULTS.v("reallocation_share") * 1000.0
    assert np.allclose(dens * 100.0, [1000.0 - moved, 1000.0 + moved])
    assert math.isclose((dens * 100.0).sum(), 2000.0)


def test_hotspot_weights_population_tension_plus_fighters():
    # scores: 100,000 * 0.5 and 100,000 * (0 + 100 fighters / 100 thousand) -> 50,000 : 100,000
    scores = np.array([hotspot_score(t, s, 100_000.0, 100.0) for t, s in ((0.5, 0.0), (0.0, 100.0))])
    assert np.allclose(scores / scores.sum(), [1 / 3, 2 / 3])
