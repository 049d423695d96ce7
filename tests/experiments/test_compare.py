"""Paired comparisons: exact arithmetic, pairing, and significance."""

from __future__ import annotations

import numpy as np

from endstate.engine.runner import simulate
from endstate.experiments.compare import compare, paired_difference, run_strategies
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
    assert rows and all(r.difference == 0 and not r.significant for r in rows if r.n > 0)


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
