"""Reports: summary numbers, goal and phase status, per-region results, figures and a self-contained HTML page.

Public API: :func:`write_report` and :func:`render_report` (the HTML page),
:func:`bottom_line` (the report's first paragraph, in words),
:func:`summary_table` and :func:`window_summary` (one strategy's headline
numbers, on its own clock and on fixed windows from the mission start),
:func:`goal_status`, :func:`binding_goals`, :func:`phase_timeline` and
:func:`monthly_totals` (goals, handover and spending over time),
:func:`region_bands` and :func:`region_means` (per-region results),
:func:`kaplan_meier` and :func:`peace_after_exit` (survival of peace after
exit), :func:`monthly_bands` (fan-chart bands), and the figure functions,
each taking ``{strategy name: Results}`` and returning a matplotlib
``Figure`` (:func:`to_png` turns one into PNG bytes).
"""

from __future__ import annotations

from endstate.outcomes.survival import kaplan_meier, survival_at

from .bottom_line import bottom_line
from .figures import (
    exit_reason_figure,
    exit_time_figure,
    fan_chart_figure,
    goal_status_figure,
    peace_survival_figure,
    phase_timeline_figure,
    spending_personnel_figure,
    to_base64,
    to_png,
)
from .html import render_report, write_report
from .regions import region_bands, region_map_figure, region_means, region_schematic_figure, region_series_figure
from .stats import monthly_bands, peace_after_exit, summary_table, window_summary
from .status import binding_goals, goal_status, monthly_totals, phase_timeline

__all__ = [
    "binding_goals",
    "bottom_line",
    "exit_reason_figure",
    "exit_time_figure",
    "fan_chart_figure",
    "goal_status",
    "goal_status_figure",
    "kaplan_meier",
    "monthly_bands",
    "monthly_totals",
    "peace_after_exit",
    "peace_survival_figure",
    "phase_timeline",
    "phase_timeline_figure",
    "region_bands",
    "region_map_figure",
    "region_means",
    "region_schematic_figure",
    "region_series_figure",
    "render_report",
    "spending_personnel_figure",
    "summary_table",
    "survival_at",
    "to_base64",
    "to_png",
    "window_summary",
    "write_report",
]
