"""Each figure renders a PNG, for normal results and for the awkward cases (no exits, no series)."""

from __future__ import annotations

import pandas as pd
import pytest

from endstate.engine.runner import Results
from endstate.report.figures import (
    FAN_VARIABLES,
    REASON_COLOURS,
    exit_reason_figure,
    exit_time_figure,
    fan_chart_figure,
    goal_status_figure,
    peace_survival_figure,
    phase_timeline_figure,
    spending_personnel_figure,
    to_png,
)
from endstate.types import EXIT_REASONS

PNG = b"\x89PNG\r\n\x1a\n"


def _all_figures(results: dict[str, Results]) -> list[bytes]:
    figures = [
        exit_time_figure(results),
        peace_survival_figure(results),
        fan_chart_figure(results, "violence_per_100k"),
        exit_reason_figure(results),
        goal_status_figure(results),
        phase_timeline_figure(results),
        spending_personnel_figure(results),
    ]
    return [to_png(f) for f in figures]


def test_figures_are_pngs(strategy_results):
    for png in _all_figures(strategy_results):
        assert png.startswith(PNG) and len(png) > 5_000


def test_fan_chart_names_its_choices():
    with pytest.raises(ValueError, match="violence_per_100k"):
        fan_chart_figure({}, "no_such_series")
    assert {"violence_per_100k", "domestic_force_per_1000", "personnel"} <= set(FAN_VARIABLES)


def test_figures_without_exits_or_series(strategy_results):
    res = next(iter(strategy_results.values()))
    o = res.outcomes.copy()
    o["exit_month"] = -1
    o["exit_reason"] = pd.Categorical(["running"] * len(o), categories=list(EXIT_REASONS))
    o["trigger_month"] = -1
    bare = {"nothing exits": Results(o, res.events.iloc[:0], pd.DataFrame(), res.meta), "normal": res}
    for png in _all_figures(bare):
        assert png.startswith(PNG)


def test_each_exit_reason_has_its_own_colour():
    assert tuple(REASON_COLOURS) == EXIT_REASONS
    assert len(set(REASON_COLOURS.values())) == len(EXIT_REASONS)


def test_the_same_figure_gives_the_same_png(strategy_results):
    assert to_png(goal_status_figure(strategy_results)) == to_png(goal_status_figure(strategy_results))
