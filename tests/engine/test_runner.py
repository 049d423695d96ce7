"""The engine's guard against numerical trouble: non-finite values are flagged and repaired, run by run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from endstate.engine.runner import ChunkJob, RunBatch, _guard
from endstate.model.params import load_parameters
from endstate.model.state import DONE
from endstate.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def _batch(runs: int = 6) -> RunBatch:
    return RunBatch(ChunkJob(load_spec(EXAMPLE), load_parameters(), 3, 0, runs, 0))


def test_finite_state_is_left_alone() -> None:
    st = _batch().st
    before = st.spoilers.copy(), st.force.copy()
    _guard(st, st.status < DONE)
    assert not st.numerical_error.any()
    np.testing.assert_array_equal(st.spoilers, before[0])
    np.testing.assert_array_equal(st.force, before[1])


def test_a_live_run_with_nan_or_infinity_is_flagged_and_repaired() -> None:
    st = _batch().st
    st.spoilers[1, 2] = np.nan
    st.consent[4] = np.inf
    kept = st.spoilers[0].copy()
    _guard(st, st.status < DONE)
    assert st.numerical_error.tolist() == [False, True, False, False, True, False]
    assert st.spoilers[1, 2] == 0.0 and st.consent[4] == 0.0
    np.testing.assert_array_equal(st.spoilers[0], kept)


def test_a_finished_run_is_not_flagged() -> None:
    st = _batch().st
    st.status[3] = DONE
    st.cost[3] = np.nan
    _guard(st, st.status < DONE)
    assert not st.numerical_error.any()


def test_finite_values_whose_sum_overflows_are_not_flagged() -> None:
    st = _batch().st
    st.cost[:] = 1.5e308  # finite, but their total is not
    _guard(st, st.status < DONE)
    assert not st.numerical_error.any() and np.isfinite(st.cost).all()


def test_fixed_window_columns_follow_the_running_totals() -> None:
    """Window totals grow with the window and stay under the whole-period total; missing exactly where the run is not observed."""
    import pandas as pd

    from endstate.engine.runner import WINDOW_YEARS, simulate
    from endstate.spec import strategy_specs

    for spec in (strategy_specs(load_spec(EXAMPLE))["calendar_exit"], load_spec(EXAMPLE)):
        o = simulate(spec, 80, seed=5, chunk_size=30, series_runs=0).outcomes
        exited = o["exit_month"] >= 0
        assert (o["months_observed"] == o["exit_month"].where(exited, spec.resources.horizon_months) + exited * 12 * spec.exit.post_exit_years).all()
        previous = pd.Series(0.0, index=o.index)
        for y in WINDOW_YEARS:
            short = o["months_observed"] < 12 * y
            for stem in ("battle_deaths", "civilian_deaths", "cost_usd"):
                col = o[f"{stem}_{y}y"]
                assert (col.isna() == short).all()
                assert (col[~short] <= o.loc[~short, stem] + 1e-6).all()
            known = o[f"battle_deaths_{y}y"].notna()
            assert (o.loc[known, f"battle_deaths_{y}y"] >= previous[known] - 1e-6).all()
            previous = o[f"battle_deaths_{y}y"].fillna(previous)
            rel = o[f"relapse_by_{y}y"]
            by_month = (o["relapse_month"] >= 0) & (o["relapse_month"] < 12 * y)
            assert (rel[by_month] == True).all()  # noqa: E712  (nullable booleans)
            assert rel[~by_month & short].isna().all() and (rel[~by_month & ~short] == False).all()  # noqa: E712
