"""The particle filter: determinism, diagnostics, conditioning, and a small recovery check."""

from __future__ import annotations

import numpy as np
import pandas as pd
from monitor_support import country_deaths as _obs

from endstate.monitor.filter import STATIC_INPUTS, FilterSettings, assimilate, rejuvenate, systematic
from endstate.spec import MissionSpec


def test_same_seed_same_result_and_diagnostics(spec: MissionSpec) -> None:
    obs = _obs(spec, [30.0] * 6)
    a = assimilate(spec, obs, FilterSettings(particles=300, seed=3), forecast_months=0)
    b = assimilate(spec, obs, FilterSettings(particles=300, seed=3), forecast_months=0)
    pd.testing.assert_frame_equal(a.diagnostics, b.diagnostics)
    assert list(a.diagnostics.columns) == ["month", "date", "observations", "loglik", "ess", "resampled"]
    assert len(a.diagnostics) == 6 and bool(a.diagnostics["resampled"].iloc[-1])
    assert (a.diagnostics["ess"] <= 300 + 1e-6).all()


def test_conditioning_moves_the_ensemble_towards_the_data(spec: MissionSpec) -> None:
    low = assimilate(spec, _obs(spec, [0.0] * 8), FilterSettings(particles=400), forecast_months=0)
    high = assimilate(spec, _obs(spec, [400.0] * 8), FilterSettings(particles=400), forecast_months=0)
    m_low = low.bands[(low.bands["series"] == "battle_deaths") & (low.bands["month"] == 7)]["q50"].iloc[0]
    m_high = high.bands[(high.bands["series"] == "battle_deaths") & (high.bands["month"] == 7)]["q50"].iloc[0]
    assert m_high > 3 * max(m_low, 1.0)


def test_systematic_resampling_keeps_weights() -> None:
    W = np.array([0.5, 0.25, 0.25, 0.0])
    idx = systematic(W, 0.1)
    assert list(np.bincount(idx, minlength=4)) == [2, 1, 1, 0]


def test_rejuvenation_keeps_mean_and_spread(spec: MissionSpec) -> None:
    f = assimilate(spec, _obs(spec, [30.0] * 3), FilterSettings(particles=2000), forecast_months=0)
    assert f.state_now is not None
    st = f.state_now
    before = {k: np.log(getattr(st, k)).mean() for k in ("war_rate", "arms_base")}
    spread = {k: np.log(getattr(st, k)).std() for k in ("war_rate", "arms_base")}
    rejuvenate(st, FilterSettings().shrinkage, np.random.default_rng(0))
    for k in before:
        assert abs(np.log(getattr(st, k)).mean() - before[k]) < 0.05 * max(spread[k], 1e-3) + 1e-9
        assert abs(np.log(getattr(st, k)).std() / max(spread[k], 1e-12) - 1.0) < 0.1
    assert set(STATIC_INPUTS) >= {"war_rate", "arms_base"}


def test_rejuvenation_leaves_entries_on_a_bound(spec: MissionSpec) -> None:
    f = assimilate(spec, _obs(spec, [30.0] * 2), FilterSettings(particles=1000), forecast_months=0)
    assert f.state_now is not None
    st = f.state_now
    st.spoilers[:300, 0] = 0.0
    st.legitimacy[:200] = 0.0
    kept = np.log(st.spoilers[300:, 0]).mean()
    rejuvenate(st, FilterSettings().shrinkage, np.random.default_rng(1))
    assert (st.spoilers[:300, 0] == 0.0).all() and (st.legitimacy[:200] == 0.0).all()
    assert abs(np.log(st.spoilers[300:, 0]).mean() - kept) < 0.05


def test_country_count_dropped_where_every_region_gives_it(spec: MissionSpec) -> None:
    from endstate.monitor.filter import without_double_counts

    rows = [_obs(spec, [10.0]).assign(region=r) for r in spec.region_ids]
    both = pd.concat([_obs(spec, [12.0]), *rows, _obs(spec, [0.4], "legitimacy")], ignore_index=True)
    kept = without_double_counts(both, spec)
    assert set(kept["region"]) == set(spec.region_ids) | {"country"}
    assert list(kept[kept["region"] == "country"]["indicator"]) == ["legitimacy"]
    partial = pd.concat([_obs(spec, [12.0]), rows[0]], ignore_index=True)
    assert len(without_double_counts(partial, spec)) == 2


def test_integrating_the_shock_out_keeps_more_particles_alive(spec: MissionSpec) -> None:
    """Weighing realised counts rewards lucky shocks: the effective sample size falls faster than with expected deaths."""
    obs = _obs(spec, [30.0] * 8)
    marginal = assimilate(spec, obs, FilterSettings(particles=400, seed=1), forecast_months=0)
    realised = assimilate(spec, obs, FilterSettings(particles=400, seed=1, integrate_shock=False), forecast_months=0)
    assert not np.allclose(marginal.diagnostics["loglik"], realised.diagnostics["loglik"])
    assert marginal.diagnostics["ess"].mean() > realised.diagnostics["ess"].mean()
