"""Observation families: proper densities, and the simulator draws what the density describes."""

from __future__ import annotations

import numpy as np
from scipy import stats

from endstate.monitor.likelihood import (
    FAMILY,
    ObservationModel,
    count_log_likelihood_marginal,
    log_likelihood,
    simulate_observation,
)
from endstate.types import INDICATORS


def test_every_observable_indicator_has_a_family() -> None:
    assert set(FAMILY) == set(INDICATORS) | {"personnel"}


def test_negative_binomial_matches_scipy() -> None:
    om = ObservationModel()
    sim = np.array([0.0, 5.0, 120.0])
    r, mu = om.nb_size, sim + om.count_floor
    want = stats.nbinom.logpmf(7, r, r / (r + mu))
    assert np.allclose(log_likelihood("negbin", 7.0, sim, np.nan, om), want)


def test_uncertainty_column_sets_the_spread() -> None:
    om = ObservationModel()
    wide = log_likelihood("normal", 0.5, np.array([0.2]), 0.3, om)
    narrow = log_likelihood("normal", 0.5, np.array([0.2]), 0.05, om)
    assert wide[0] > narrow[0]


def test_simulated_counts_have_the_family_mean() -> None:
    om = ObservationModel()
    draws = simulate_observation("negbin", np.full(20000, 40.0), om, np.random.default_rng(0))
    assert abs(draws.mean() - 41.0) < 1.5


def test_marginal_count_without_shock_is_the_plain_negative_binomial() -> None:
    om = ObservationModel()
    sim = np.array([0.0, 5.0, 120.0])
    want = log_likelihood("negbin", 7.0, sim, np.nan, om)
    assert np.allclose(count_log_likelihood_marginal(7.0, sim, np.zeros(3), om), want)


def test_marginal_count_matches_the_shock_integrated_out_by_simulation() -> None:
    """The moment-matched density against the mixture it stands for: expected x lognormal shock, rounded, then observed."""
    om, sigma, expected = ObservationModel(), 0.8, 30.0
    rng = np.random.default_rng(1)
    shock = np.exp(sigma * rng.standard_normal(400_000) - 0.5 * sigma * sigma)
    realised = np.floor(expected * shock + rng.random(400_000))
    y = simulate_observation("negbin", realised, om, rng)
    var = np.expm1(sigma * sigma) * expected**2
    ks = np.arange(0, 6000)
    dens = np.exp(np.array([count_log_likelihood_marginal(float(k), np.array([expected]), np.array([var]), om)[0] for k in ks]))
    assert abs(dens.sum() - 1.0) < 0.01
    assert abs((ks * dens).sum() - y.mean()) < 0.02 * y.mean()
    assert abs(((ks - y.mean()) ** 2 * dens).sum() / y.var() - 1.0) < 0.1
    # the central mass where the filter's weights are decided: within a few per cent of the simulated mixture
    for lo, hi in ((0, 10), (10, 30), (30, 60), (60, 120)):
        assert abs(dens[lo:hi].sum() - ((y >= lo) & (y < hi)).mean()) < 0.03
    # and far wider than weighing one realised count would be
    assert dens[0] > np.exp(log_likelihood("negbin", 0.0, np.array([expected]), np.nan, om))[0]


def test_marginal_count_quadrature_has_converged() -> None:
    import endstate.monitor.likelihood as lk

    om, e = ObservationModel(), np.array([3.0, 40.0, 900.0])
    v = np.expm1(0.64) * e**2
    base = [count_log_likelihood_marginal(float(y), e, v, om) for y in (0, 5, 60, 1000)]
    x, w = np.polynomial.hermite_e.hermegauss(48)
    old = lk._X, lk._LOG_W
    try:
        lk._X, lk._LOG_W = x, np.log(w / w.sum())
        fine = [count_log_likelihood_marginal(float(y), e, v, om) for y in (0, 5, 60, 1000)]
    finally:
        lk._X, lk._LOG_W = old
    b, f = np.array(base), np.array(fine)
    plausible = b > -20.0
    assert np.allclose(b[plausible], f[plausible], atol=1e-3)
    assert np.allclose(b, f, rtol=1e-3)
