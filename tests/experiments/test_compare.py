"""Paired comparisons: exact arithmetic, pairing, and significance."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from endstate.engine.runner import simulate
from endstate.experiments.compare import (
    COMPARED_COLUMNS,
    METRICS,
    MIN_OBSERVED,
    compare,
    paired_difference,
    rows_as_dicts,
    run_strategies,
)
from endstate.outcomes.folder import ResultFolder
from endstate.outcomes.stream import Keep
from endstate.spec import load_spec, strategy_specs


def test_paired_difference_matches_hand_computation():
    a = np.array([1.0, 2.0, 3.0, np.nan])
    b = np.array([2.0, 2.5, 5.0, 1.0])
    ra, rb, d, lo, hi, n = paired_difference(a, b)
    diffs = np.array([1.0, 0.5, 2.0])
    assert n == 3
    assert ra == 2.0 and rb == 9.5 / 3
    assert d == diffs.mean()
    half = 1.959963984540054 * diffs.std(ddof=1) / np.sqrt(3)
    assert np.isclose(lo, d - half) and np.isclose(hi, d + half)


def test_strategy_against_itself_is_exactly_zero_and_not_significant(example_path):
    spec = load_spec(example_path)
    res = run_strategies({"a": spec, "b": spec}, runs=150, seed=3)
    rows = compare(res)
    computed = [r for r in rows if r.significant is not None]
    assert computed and all(r.difference == 0 and not r.significant for r in computed if r.n > 0)


def test_pairing_narrows_intervals_compared_with_independent_seeds(example_path):
    specs = strategy_specs(load_spec(example_path))
    pair = {k: specs[k] for k in ("calendar_exit", "security_keeping")}
    paired = compare(run_strategies(pair, runs=300, seed=5))
    independent = compare(
        {"calendar_exit": simulate(pair["calendar_exit"], 300, seed=5), "security_keeping": simulate(pair["security_keeping"], 300, seed=99)}
    )
    width = {r.metric: r.ci_high - r.ci_low for r in paired}
    width_ind = {r.metric: r.ci_high - r.ci_low for r in independent}
    assert width["civilian deaths"] < width_ind["civilian deaths"]
    # battle deaths vary in both strategies; cost hardly varies under the calendar exit (a fixed 27 months), so its
    # paired and independent intervals both measure only the security-keeping runs' spread and pairing cannot narrow it
    assert width["battle deaths"] < width_ind["battle deaths"]


def test_calendar_exit_leaves_at_its_deadline(example_path):
    spec = strategy_specs(load_spec(example_path))["calendar_exit"]
    o = simulate(spec, 200, seed=2).outcomes
    deadline = spec.month_of(spec.exit.end_date)
    by_deadline = o[o.exit_reason == "deadline"]
    assert len(by_deadline) > 0
    within = spec.exit.triggers.deadline.within_months
    assert (by_deadline.trigger_month == deadline).all()
    assert (by_deadline.exit_month == deadline + within).all()


def test_fixed_windows_lead_and_say_what_they_are(example_path):
    """The first rows are on the common clock from the mission start; every row says mean or share."""
    specs = strategy_specs(load_spec(example_path))
    rows = compare(run_strategies({k: specs[k] for k in ("calendar_exit", "security_keeping")}, runs=120, seed=4, series_runs=0))
    assert [r.metric for r in rows[:3]] == ["P(no relapse by year 5)", "P(no relapse by year 10)", "P(no relapse by year 15)"]
    assert all(r.clock == "fixed window from the mission start" for r in rows[: sum(m.years is not None for m in METRICS)])
    assert {r.statistic for r in rows} == {"mean", "share of runs"}
    assert rows[0].significant is not None and rows[0].n == 120  # five years are observed in every run


def test_a_window_few_runs_are_observed_for_is_not_computable_and_says_why(example_path):
    """The calendar exit leaves at month 27 and is watched 10 years more: 15 years from the start are never observed."""
    specs = strategy_specs(load_spec(example_path))
    res = run_strategies({k: specs[k] for k in ("calendar_exit", "security_keeping")}, runs=120, seed=4, series_runs=0)
    row = next(r for r in compare(res) if r.metric == "battle deaths, years 0-15")
    assert row.significant is None and np.isnan(row.difference)
    assert row.note.startswith("not computable") and "calendar_exit" in row.note and f"{MIN_OBSERVED:.0%}" in row.note
    d = rows_as_dicts([row])[0]
    assert d["difference"] is None and d["significant"] is None
    json.dumps(d, allow_nan=False)


def test_window_relapse_counts_a_run_only_where_it_is_known():
    """A run observed for 5 years without relapse is unknown for 10; one that relapsed in year 3 is known for every window."""
    o = pd.DataFrame(
        {
            "run": [0, 1, 2],
            "exit_month": [30, 30, 30],
            "months_observed": [60, 60, 200],
            "relapse_by_5y": pd.array([False, True, False], dtype="boolean"),
            "relapse_by_10y": pd.array([pd.NA, True, True], dtype="boolean"),
        }
    )
    from endstate.experiments.compare import _window_values

    assert np.array_equal(_window_values(o, "relapse_by", 5), [1.0, 0.0, 1.0])
    v = _window_values(o, "relapse_by", 10)
    assert np.isnan(v[0]) and v[1] == 0.0 and v[2] == 0.0


def test_a_streamed_comparison_keeping_only_the_compared_columns_is_the_in_memory_one(example_path, tmp_path):
    """Streamed into a folder (2 workers, other chunks) and kept as COMPARED_COLUMNS only: the same rows, the same files."""
    specs = strategy_specs(load_spec(example_path))
    pair = {k: specs[k] for k in ("calendar_exit", "security_keeping")}
    whole = {n: simulate(s, 240, seed=6, chunk_size=240, series_runs=20) for n, s in pair.items()}
    keep = Keep(COMPARED_COLUMNS, events=(), series=False)
    with ResultFolder(tmp_path / "cmp") as folder:
        streamed = run_strategies(pair, 240, 6, workers=2, chunk_size=70, series_runs=20, keep=keep, folder=folder)
        folder.commit({})
    assert all(list(r.outcomes.columns) == list(COMPARED_COLUMNS) and r.events.empty and r.series.empty for r in streamed.values())
    assert rows_as_dicts(compare(streamed)) == rows_as_dicts(compare(whole))
    assert rows_as_dicts(compare(streamed, "security_keeping")) == rows_as_dicts(compare(whole, "security_keeping"))
    for n, res in whole.items():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "cmp" / n / "outcomes.parquet"), res.outcomes, check_exact=True)
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "cmp" / n / "events.parquet"), res.events, check_exact=True)
