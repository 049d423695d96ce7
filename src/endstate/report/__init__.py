"""Reports: summary numbers, figures and a self-contained HTML page comparing exit strategies.

Public API: :func:`write_report` and :func:`render_report` (the HTML page),
:func:`summary_table` (one strategy's headline numbers, also ``summary.json``),
:func:`kaplan_meier` and :func:`peace_after_exit` (survival of peace after
exit), :func:`monthly_bands` (fan-chart bands), and the figure functions, each
taking ``{strategy name: Results}`` and returning PNG bytes.
"""

from __future__ import annotations

from endstate.outcomes.survival import kaplan_meier, survival_at

from .figures import exit_reason_figure, exit_time_figure, fan_chart_figure, peace_survival_figure, to_base64
from .html import render_report, write_report
from .stats import monthly_bands, peace_after_exit, summary_table

__all__ = [
    "exit_reason_figure",
    "exit_time_figure",
    "fan_chart_figure",
    "kaplan_meier",
    "monthly_bands",
    "peace_after_exit",
    "peace_survival_figure",
    "render_report",
    "summary_table",
    "survival_at",
    "to_base64",
    "write_report",
]
