"""The bottom line in words: the common window, the durable strategy only when the difference is clear, costs, what binds exits."""

from __future__ import annotations

from endstate.engine.runner import simulate
from endstate.report.bottom_line import bottom_line, common_window
from endstate.report.stats import window_summary
from endstate.spec import load_spec, strategy_specs


def test_names_every_strategy_its_cost_and_what_binds_its_exit(strategy_results):
    text = bottom_line(strategy_results)
    y = common_window(strategy_results)
    assert y is not None and text.startswith(f"Over the first {y} years from the mission start")
    for name, res in strategy_results.items():
        assert name in text
        assert f"{name} US${window_summary(res)[f'cost_usd_m_{y}y_mean']:,.0f} m" in text
    assert "calendar_exit leaves on its deadline in 100% of runs (no goal gates its exit)" in text
    assert "the goal binding its exit most often" in text


def test_a_strategy_against_itself_is_not_called_more_durable(example_path):
    spec = strategy_specs(load_spec(example_path))["security_keeping"]
    same = {"a": simulate(spec, 60, seed=2, series_runs=0), "b": simulate(spec, 60, seed=2, series_runs=0)}
    text = bottom_line(same)
    assert "no strategy leaves a clearly more durable peace" in text and "not significant" in text
