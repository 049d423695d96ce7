"""Scores, rolling origins and the synthetic recovery check."""

from __future__ import annotations

import numpy as np
from monitor_support import country_deaths as _obs

from endstate.monitor.backtest import brier, crps_ensemble, pooled, rolling_origins, synthetic_trial
from endstate.spec import MissionSpec


def test_crps_matches_its_definition() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=200)
    brute = np.mean(np.abs(x - 0.3)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert abs(crps_ensemble(x, 0.3) - brute) < 1e-10


def test_weighted_crps_equals_repeated_members() -> None:
    x = np.array([1.0, 4.0, 9.0])
    assert abs(crps_ensemble(x, 3.0, np.array([2.0, 1.0, 1.0])) - crps_ensemble(np.array([1.0, 1.0, 4.0, 9.0]), 3.0)) < 1e-12
    assert abs(brier(0.8, True) - 0.04) < 1e-12


def test_rolling_origins_scores_three_methods(spec: MissionSpec) -> None:
    obs = _obs(spec, [float(v) for v in np.random.default_rng(2).poisson(25, 40)])
    scores = rolling_origins(spec, obs, every=12, first=12, particles=200)
    assert set(scores["method"]) == {"filter", "unconditioned", "no_change"}
    assert scores["origin"].nunique() == 2  # origins 12 and 24 have 12 months after them; 36 does not
    _, overall = pooled(scores)
    assert len(overall) == 3 and (overall["crps_deaths"] > 0).all()


def test_small_recovery_and_forecast_check(spec: MissionSpec) -> None:
    """Observations simulated from the model: the truth mostly inside the 90% interval; the forecast beats the prior.

    Small scale (3 trials, 400 particles); the full measurement is tools/monitor_scores.py (docs/monitoring.md).
    """
    res = [synthetic_trial(spec, 50 + k, months=18, particles=400) for k in range(3)]
    cover = np.mean([v for r in res for v in r.coverage.values()])
    assert cover >= 0.5
    assert np.mean([r.crps_filter for r in res]) < np.mean([r.crps_prior for r in res])
