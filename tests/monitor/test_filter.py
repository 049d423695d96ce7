"""The particle filter: determinism, diagnostics, conditioning, and a small recovery check."""

from __future__ import annotations

import numpy as np
import pandas as pd

from endstate.monitor.backtest import crps_ensemble, synthetic_trial
from endstate.monitor.filter import FilterSettings, assimilate, model_month_to_period, systematic
from endstate.monitor.forecast import compare_strategies, forecast_summary
from endstate.monitor.observations import COLUMNS
from endstate.spec import MissionSpec


def _obs(spec: MissionSpec, values: list[float]) -> pd.DataFrame:
    rows = [{"month": model_month_to_period(spec, t), "region": "country", "indicator": "battle_deaths", "value": v, "source": "t", "vintage": "", "uncertainty": np.nan} for t, v in enumerate(values)]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_same_seed_same_result_and_diagnostics(spec: MissionSpec) -> None:
    obs = _obs(spec, [30.0] * 6)
    a = assimilate(spec, obs, FilterSettings(particles=300, seed=3), forecast=False)
    b = assimilate(spec, obs, FilterSettings(particles=300, seed=3), forecast=False)
    pd.testing.assert_frame_equal(a.diagnostics, b.diagnostics)
    assert list(a.diagnostics.columns) == ["month", "date", "observations", "loglik", "ess", "resampled"]
    assert len(a.diagnostics) == 6 and bool(a.diagnostics["resampled"].iloc[-1])
    assert (a.diagnostics["ess"] <= 300 + 1e-6).all()


def test_conditioning_moves_the_ensemble_towards_the_data(spec: MissionSpec) -> None:
    low = assimilate(spec, _obs(spec, [0.0] * 8), FilterSettings(particles=400), forecast=False)
    high = assimilate(spec, _obs(spec, [400.0] * 8), FilterSettings(particles=400), forecast=False)
    m_low = low.bands[(low.bands["series"] == "battle_deaths") & (low.bands["month"] == 7)]["q50"].iloc[0]
    m_high = high.bands[(high.bands["series"] == "battle_deaths") & (high.bands["month"] == 7)]["q50"].iloc[0]
    assert m_high > 3 * max(m_low, 1.0)


def test_systematic_resampling_keeps_weights() -> None:
    W = np.array([0.5, 0.25, 0.25, 0.0])
    idx = systematic(W, 0.1)
    assert list(np.bincount(idx, minlength=4)) == [2, 1, 1, 0]


def test_crps_matches_its_definition() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=200)
    brute = np.mean(np.abs(x - 0.3)) - 0.5 * np.mean(np.abs(x[:, None] - x[None, :]))
    assert abs(crps_ensemble(x, 0.3) - brute) < 1e-10


def test_forecast_summary_and_strategies(spec: MissionSpec) -> None:
    f = assimilate(spec, _obs(spec, [20.0] * 4), FilterSettings(particles=200), horizon=40)
    s = forecast_summary(f)
    assert s["as_of"] == str(model_month_to_period(spec, 3)) and len(s["goals"]) == len(spec.goals)
    comp = compare_strategies(f, months=12)
    assert list(comp["strategy"]) == ["baseline", "calendar_exit"]
    assert comp.loc[0, "paired_deaths_diff_12m"] == 0.0


def test_small_recovery_and_forecast_check(spec: MissionSpec) -> None:
    """Observations simulated from the model: the truth mostly inside the 90% interval; the forecast not worse than the prior.

    Small scale (3 trials, 400 particles); the full measurement is tools/monitor_scores.py (docs/monitoring.md).
    """
    res = [synthetic_trial(spec, 50 + k, months=18, particles=400) for k in range(3)]
    cover = np.mean([v for r in res for v in r.coverage.values()])
    assert cover >= 0.5
    assert np.mean([r.crps_filter for r in res]) < np.mean([r.crps_prior for r in res])
