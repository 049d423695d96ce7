"""Observation families: proper densities, and the simulator draws what the density describes."""

from __future__ import annotations

import numpy as np
from scipy import stats

from endstate.monitor.likelihood import FAMILY, ObservationModel, log_likelihood, simulate_observation
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
