"""The engine's guard against numerical trouble: a run with non-finite numbers is flagged and stopped, never repaired."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from endstate.engine.reference import guard, run_state
from endstate.engine.runner import ChunkJob, RunBatch, _guard, outcomes_frame, simulate_chunk
from endstate.model.params import load_parameters
from endstate.model.state import DONE
from endstate.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"
SPEC = load_spec(EXAMPLE)


def _job(runs: int = 6) -> ChunkJob:
    return ChunkJob(SPEC, load_parameters(), 3, 0, runs, 0)


def _batch(runs: int = 6) -> RunBatch:
    return RunBatch(_job(runs))


def test_finite_state_is_left_alone() -> None:
    st = _batch().st
    before = st.spoilers.copy(), st.force.copy()
    _guard(st, st.status < DONE)
    assert not st.numerical_error.any() and (st.status < DONE).all()
    np.testing.assert_array_equal(st.spoilers, before[0])
    np.testing.assert_array_equal(st.force, before[1])


def test_a_live_run_with_nan_or_infinity_is_flagged_and_stopped_not_repaired() -> None:
    st = _batch().st
    st.spoilers[1, 2] = np.nan
    st.consent[4] = np.inf
    st.battle_deaths[5] = np.inf  # an accumulator that overflowed (war_deaths high: 1e308 did this)
    kept = st.spoilers[0].copy()
    _guard(st, st.status < DONE)
    assert st.numerical_error.tolist() == [False, True, False, False, True, True]
    assert (st.status[[1, 4, 5]] == DONE).all() and (st.status[[0, 2, 3]] < DONE).all()
    assert np.isnan(st.spoilers[1, 2]) and np.isinf(st.consent[4])  # left as found: the outcomes report them missing
    np.testing.assert_array_equal(st.spoilers[0], kept)


def test_the_reference_guard_flags_the_same_runs() -> None:
    st = _batch().st
    st.cost[2] = np.nan
    st.fatalities[3, 0] = np.inf
    refs = [run_state(st, i) for i in range(6)]
    _guard(st, st.status < DONE)
    for s in refs:
        guard(s)
    assert [s.numerical_error for s in refs] == st.numerical_error.tolist()
    assert [s.status for s in refs] == st.status.tolist()


def test_a_finished_run_is_not_flagged() -> None:
    st = _batch().st
    st.status[3] = DONE
    st.cost[3] = np.nan
    _guard(st, st.status < DONE)
    assert not st.numerical_error.any()


def test_a_live_run_is_flagged_beside_a_finished_one_that_keeps_its_nan() -> None:
    """The guard checks each array whole first; one holding a finished run's NaN is then read run by run."""
    st = _batch().st
    st.status[0] = DONE
    st.spoilers[0, 1] = np.nan  # a run flagged in an earlier month keeps its numbers
    st.spoilers[4, 0] = -np.inf
    st.peak_personnel[2] = np.nan
    _guard(st, st.status < DONE)
    assert st.numerical_error.tolist() == [False, False, True, False, True, False]
    assert st.status[[0, 2, 4]].tolist() == [DONE] * 3 and (st.status[[1, 3, 5]] < DONE).all()


def test_finite_values_whose_sum_overflows_are_not_flagged() -> None:
    st = _batch().st
    st.cost[:] = 1.5e308  # finite, but their total is not
    _guard(st, st.status < DONE)
    assert not st.numerical_error.any() and np.isfinite(st.cost).all()


def test_a_flagged_run_reports_no_cost_and_no_exit_reason_and_other_runs_are_untouched() -> None:
    """The old guard repaired a NaN cost to 0, and the run went on to report cost 0 and exit reason 'budget'."""
    clean = _batch()
    clean.run()
    sick = _batch()
    sick.st.cost[2] = np.nan
    sick.run()
    a, b = outcomes_frame(clean.sc, clean.st, 0, clean.windows), outcomes_frame(sick.sc, sick.st, 0, sick.windows)
    assert b["numerical_error"].tolist() == [False, False, True, False, False, False]
    assert b["exit_reason"][2] is None and np.isnan(b["cost_usd"][2]) and np.isnan(b["battle_deaths"][2])
    assert b["exit_month"][2] == -1 and not b["relapsed"][2]
    others = [0, 1, 3, 4, 5]
    for name, col in a.items():
        np.testing.assert_array_equal(col[others], b[name][others], err_msg=name)


def test_events_never_hold_infinity() -> None:
    """A cost too large for the event log's float32 (1e39) used to be logged as inf; now the value is missing and the run flagged."""
    job = _job()
    original = RunBatch.__init__

    def huge_cost(self: RunBatch, j: ChunkJob) -> None:
        original(self, j)
        self.st.cost[1] = 1e39  # finite in float64: the budget trigger logs it

    RunBatch.__init__ = huge_cost  # type: ignore[method-assign]
    try:
        outcomes, events, _, _ = simulate_chunk(job)
    finally:
        RunBatch.__init__ = original  # type: ignore[method-assign]
    values = events["value"][events["run"] == 1]
    assert not np.isinf(events["value"]).any()
    assert np.isnan(values).any()
    assert outcomes["numerical_error"].tolist() == [False, True, False, False, False, False]
    assert np.isnan(outcomes["cost_usd"][1])
    assert pd.isna(outcomes["exit_reason"][1])
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


def test_a_batch_steps_with_one_blas_thread_and_gives_them_back() -> None:
    """RunBatch.run limits the BLAS thread pools (found once a process) to one thread while it steps, every time."""
    from threadpoolctl import threadpool_info

    def blas() -> list[int]:
        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    before = blas()
    seen: list[list[int]] = []
    for _ in range(2):
        batch = _batch(3)
        batch.max_months = 2
        batch.run(lambda month, m, alive: seen.append(blas()))
    assert seen and all(all(n == 1 for n in s) for s in seen)
    assert blas() == before


def test_a_last_chunk_of_one_run_joins_the_chunk_before() -> None:
    """A one-run chunk would be an array layout of its own (both C- and Fortran-contiguous) that Numba compiles again:
    the run joins the chunk before, which changes no result; a simulation of one run stays one chunk."""
    from endstate.engine.runner import _jobs, simulate

    spec, params = load_spec(EXAMPLE), load_parameters()
    bounds = lambda runs, chunk, workers=1: [(j.start, j.stop) for j in _jobs(spec, runs, 0, chunk, params, 0, None, workers)]  # noqa: E731
    assert bounds(9, 4) == [(0, 3), (3, 6), (6, 9)]  # as few chunks as hold at most 4 runs, of equal size
    assert bounds(8, 4) == [(0, 4), (4, 8)] and bounds(10, 4) == [(0, 4), (4, 8), (8, 10)] and bounds(1, 4) == [(0, 1)]
    assert bounds(3, 1) == [(0, 1), (1, 3)]
    # a multiple of the workers, so that each has its share
    assert bounds(30_000, 25_000, 2) == [(0, 15_000), (15_000, 30_000)] and bounds(1000, 25_000, 2) == [(0, 500), (500, 1000)]
    assert bounds(60_000, 25_000, 2) == [(0, 15_000), (15_000, 30_000), (30_000, 45_000), (45_000, 60_000)]
    assert bounds(3, 25_000, 2) == [(0, 3)] and bounds(1, 25_000, 2) == [(0, 1)]
    # at least two runs a chunk however many workers (one run would be a layout Numba compiles again)
    assert bounds(4, 2048, 4) == [(0, 2), (2, 4)] and bounds(8, 2048, 8) == [(0, 2), (2, 4), (4, 6), (6, 8)]
    pd.testing.assert_frame_equal(simulate(spec, 9, seed=1, chunk_size=4, series_runs=0).outcomes, simulate(spec, 9, seed=1, chunk_size=9, series_runs=0).outcomes)
