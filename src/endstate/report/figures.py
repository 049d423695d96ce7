"""Report figures: each takes ``{strategy name: Results}`` and returns a matplotlib ``Figure`` (:func:`to_png` makes a PNG).

Core objects: :func:`exit_time_figure` (when missions leave),
:func:`goal_status_figure` (share of runs holding each goal, month by month),
:func:`phase_timeline_figure` (when each handover phase comes, with its
spread), :func:`spending_personnel_figure` (money and people over time),
:func:`peace_survival_figure` (whether peace holds after they leave),
:func:`fan_chart_figure` (a sampled monthly series, median and 50%/90% bands)
and :func:`exit_reason_figure` (why they leave).  Figures are drawn on
matplotlib ``Figure`` objects directly, without pyplot, so they use the Agg
renderer, touch no global state and are safe in worker threads.  Colours come
from the Okabe-Ito palette, which stays distinguishable with the common forms
of colour blindness; each strategy keeps its colour across figures (by its
position in the dict) and each exit reason has one fixed colour.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from endstate.engine.runner import Results
from endstate.outcomes.survival import kaplan_meier
from endstate.types import EXIT_REASONS

from .stats import monthly_bands, peace_after_exit
from .status import goal_status, monthly_totals, phase_timeline

STRATEGY_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

REASON_COLOURS: dict[str, str] = {
    "thresholds_met": "#009E73",
    "deadline": "#56B4E9",
    "budget": "#F0E442",
    "contributor_tolerance": "#E69F00",
    "host_consent": "#CC79A7",
    "collapse": "#D55E00",
    "running": "#999999",
}
assert tuple(REASON_COLOURS) == EXIT_REASONS

# Series a fan chart can show: (axis label with unit, title).
FAN_VARIABLES: dict[str, tuple[str, str]] = {
    "violence_per_100k": ("deaths per 100,000 inhabitants per month", "Violence (battle and civilian deaths)"),
    "domestic_force_per_1000": ("trained personnel per 1,000 inhabitants", "Domestic security force"),
    "personnel": ("international personnel deployed", "Mission personnel"),
    "spoilers": ("armed spoiler fighters", "Spoiler strength"),
    "legitimacy": ("index, 0-1", "Government legitimacy"),
    "host_consent": ("index, 0-1", "Host consent to the mission"),
}

DPI = 110


def strategy_colour(i: int) -> str:
    return STRATEGY_COLOURS[i % len(STRATEGY_COLOURS)]


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (no timestamp or software tag, so the same figure gives the same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def to_base64(png: bytes) -> str:
    """A PNG as the base64 text of a ``data:image/png;base64,...`` URI."""
    return base64.b64encode(png).decode("ascii")


def _style(ax: Axes) -> None:
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _no_data(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555")


def exit_time_figure(results: dict[str, Results]) -> Figure:
    """Cumulative share of exited runs that had left by each month, one step curve per strategy.

    Runs still running at the horizon have no exit month; they are left out of
    the curve and their share is given in the legend.
    """
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.add_subplot()
    drawn = False
    for i, (name, res) in enumerate(results.items()):
        months = np.sort(res.outcomes["exit_month"].to_numpy())
        n = months.size
        months = months[months >= 0]
        running = 1.0 - months.size / n if n else 0.0
        label = f"{name} ({months.size:,} exited; {running:.0%} still running, not shown)"
        if months.size == 0:
            ax.plot([], [], color=strategy_colour(i), label=f"{name} (no run exited)")
            continue
        x = np.concatenate([[0], months])
        y = np.arange(months.size + 1) / months.size
        ax.step(x, y, where="post", color=strategy_colour(i), linewidth=1.8, label=label)
        drawn = True
    if not drawn:
        _no_data(ax, "no run exited")
    ax.set_xlim(left=0)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("months from mission start to exit of the last international personnel")
    ax.set_ylabel("share of exited runs that had left")
    ax.set_title("When the mission leaves (cumulative distribution of exit month)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    _style(ax)
    return fig


def peace_survival_figure(results: dict[str, Results]) -> Figure:
    """Kaplan-Meier probability that war has not resumed, by years since exit, one curve per strategy.

    Over the runs that exited; a relapse during the mission counts at time 0,
    so a curve can start below 1.  Runs are censored at the end of the
    post-exit observation.
    """
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.add_subplot()
    horizon = 0.0
    for i, (name, res) in enumerate(results.items()):
        durations, events = peace_after_exit(res.outcomes)
        if durations.size == 0:
            ax.plot([], [], color=strategy_colour(i), label=f"{name} (no run exited)")
            continue
        times, surv = kaplan_meier(durations, events)
        end = float(durations.max())
        horizon = max(horizon, end)
        x = np.concatenate([[0.0], times, [end]]) / 12.0
        y = np.concatenate([[1.0], surv, [surv[-1] if surv.size else 1.0]])
        ax.step(x, y, where="post", color=strategy_colour(i), linewidth=1.8, label=f"{name} ({durations.size:,} exited runs)")
    if horizon == 0:
        _no_data(ax, "no run exited")
    ax.set_xlim(0, max(horizon / 12.0, 1.0))
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("years since exit (relapse during the mission counted at 0)")
    ax.set_ylabel("P(no relapse to war)")
    ax.set_title("Does peace hold after the mission leaves? (Kaplan-Meier)")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    _style(ax)
    return fig


def fan_chart_figure(results: dict[str, Results], variable: str) -> Figure:
    """Median and 50%/90% bands of a sampled monthly series, one panel per strategy, on a shared scale.

    ``variable`` is one of :data:`FAN_VARIABLES`.  Each run counts only while
    it is simulated (to the end of its post-exit observation, or the horizon);
    a dashed line marks the strategy's median exit month.
    """
    if variable not in FAN_VARIABLES:
        raise ValueError(f"unknown series '{variable}'; choose one of: {', '.join(FAN_VARIABLES)}")
    ylabel, title = FAN_VARIABLES[variable]
    k = max(len(results), 1)
    cols = min(k, 3)
    rows = -(-k // cols)
    fig = Figure(figsize=(4.2 * cols, 3.2 * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
    for i, (name, res) in enumerate(results.items()):
        ax = axes[i]
        colour = strategy_colour(i)
        bands = monthly_bands(res, variable)
        ax.set_title(name, fontsize=10)
        _style(ax)
        if bands.empty:
            _no_data(ax, "no sampled series")
            continue
        m = bands.index.to_numpy()
        ax.fill_between(m, bands["q05"], bands["q95"], color=colour, alpha=0.18, linewidth=0, label="90% of runs")
        ax.fill_between(m, bands["q25"], bands["q75"], color=colour, alpha=0.38, linewidth=0, label="50% of runs")
        ax.plot(m, bands["q50"], color=colour, linewidth=1.8, label="median")
        exits = res.outcomes["exit_month"]
        exits = exits[exits >= 0]
        if len(exits):
            ax.axvline(float(exits.median()), color="#333333", linestyle="--", linewidth=0.9, label="median exit (of exited runs)")
        ax.set_xlabel("months from mission start")
        ax.legend(loc="upper right", fontsize=7, frameon=False)
    for ax in axes[len(results) :]:
        ax.set_visible(False)
    axes[0].yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
    for r in range(rows):
        axes[r * cols].set_ylabel(ylabel)
    n_runs = max((res.series["run"].nunique() for res in results.values() if not res.series.empty), default=0)
    fig.suptitle(f"{title}: median and bands over {n_runs:,} sampled runs", fontsize=11)
    return fig


def exit_reason_figure(results: dict[str, Results]) -> Figure:
    """Share of runs ending for each exit reason, one stacked horizontal bar per strategy."""
    names = list(results)
    fig = Figure(figsize=(8, max(2.2, 1.2 + 0.55 * len(names))), layout="constrained")
    ax = fig.add_subplot()
    left = np.zeros(len(names))
    y = np.arange(len(names))
    for reason in EXIT_REASONS:
        share = np.array([(res.outcomes["exit_reason"].astype(str) == reason).mean() if len(res.outcomes) else 0.0 for res in results.values()])
        ax.barh(y, share, left=left, color=REASON_COLOURS[reason], edgecolor="white", linewidth=0.6, label=reason.replace("_", " "))
        for j, s in enumerate(share):
            if s >= 0.06:
                ax.text(left[j] + s / 2, y[j], f"{s:.0%}", ha="center", va="center", fontsize=8)
        left += share
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set_xlabel("share of runs")
    ax.set_title("Why the mission ends (exit reason)")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def _panel_grid(k: int, width: float = 4.2, height: float = 3.2) -> tuple[Figure, list[Axes], int, int]:
    cols = min(max(k, 1), 3)
    rows = -(-max(k, 1) // cols)
    fig = Figure(figsize=(width * cols, height * rows + 0.6), layout="constrained")
    axes = list(fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel())
    for ax in axes[k:]:
        ax.set_visible(False)
    return fig, axes, rows, cols


GOAL_STYLES = ("-", "--", "-.", ":")


def goal_status_figure(results: dict[str, Results]) -> Figure:
    """Share of all runs in which each goal is met and held, by month; one panel per strategy.

    The grey line is the share of runs whose mission is still present: goals
    are judged only while it is, so no goal curve can rise above it.
    """
    fig, axes, rows, cols = _panel_grid(len(results))
    for i, (name, res) in enumerate(results.items()):
        ax = axes[i]
        _style(ax)
        ax.set_title(name, fontsize=10)
        st = goal_status(res)
        ax.plot(st.index, st["mission_present"], color="#999999", linewidth=2.4, alpha=0.6, label="mission present")
        goals = [c for c in st.columns if c != "mission_present"]
        if not goals:
            _no_data(ax, "no goals")
        for j, g in enumerate(goals):
            ax.plot(st.index, st[g], color=STRATEGY_COLOURS[(j + 1) % len(STRATEGY_COLOURS)], linestyle=GOAL_STYLES[j % len(GOAL_STYLES)], linewidth=1.5, label=g)
        ax.set_ylim(0, 1.02)
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
        ax.set_xlabel("months from mission start")
        ax.legend(loc="upper right", fontsize=7, frameon=False)
    for r in range(rows):
        axes[r * cols].set_ylabel("share of all runs: goal met and held")
    fig.suptitle("Goal status: share of runs in which each goal is met and held", fontsize=11)
    return fig


def phase_timeline_figure(results: dict[str, Results]) -> Figure:
    """When each handover phase, the exit decision and the departure come: median, middle 50% and 90% of the runs that reach them.

    The share of runs reaching each stage is written beside it; a stage no run
    reaches is listed with 0% and no bar.
    """
    tables = {name: phase_timeline(res) for name, res in results.items()}
    labels: list[str] = []
    colours: list[str] = []
    rows_data: list[pd.Series] = []
    for i, (name, t) in enumerate(tables.items()):
        for stage, row in t.iterrows():
            labels.append(f"{name}: {stage}")
            colours.append(strategy_colour(i))
            rows_data.append(row)
    fig = Figure(figsize=(9, max(2.5, 0.6 + 0.32 * len(labels))), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(labels))
    for j, r in enumerate(rows_data):
        if not np.isfinite(r["q50"]):
            ax.text(0, y[j], "  not reached (0%)", va="center", fontsize=7, color="#555555")
            continue
        ax.barh(y[j], r["q95"] - r["q05"], left=r["q05"], height=0.6, color=colours[j], alpha=0.25, linewidth=0)
        ax.barh(y[j], r["q75"] - r["q25"], left=r["q25"], height=0.6, color=colours[j], alpha=0.6, linewidth=0)
        ax.plot([r["q50"], r["q50"]], [y[j] - 0.3, y[j] + 0.3], color="#111111", linewidth=1.5)
        ax.text(r["q95"] + 1, y[j], f"{r['share']:.0%} of runs", va="center", fontsize=7)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel("months from mission start (bars: middle 90% and 50% of runs reaching the stage; tick: median)", fontsize=8)
    ax.set_title("Handover phases, exit decision and departure: when, and how often")
    _style(ax)
    return fig


def spending_personnel_figure(results: dict[str, Results]) -> Figure:
    """Monthly spending (US$ m) and international personnel over time: median and middle 50% of sampled runs."""
    fig = Figure(figsize=(9, 6.2), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    drawn = False
    for i, (name, res) in enumerate(results.items()):
        t = monthly_totals(res)
        if t.empty:
            continue
        drawn = True
        m = t.index.to_numpy()
        for ax, var in ((top, "spending_usd_m"), (bottom, "personnel")):
            ax.fill_between(m, t[(var, "q25")], t[(var, "q75")], color=strategy_colour(i), alpha=0.2, linewidth=0)
            ax.plot(m, t[(var, "q50")], color=strategy_colour(i), linewidth=1.6, label=name)
    for ax in (top, bottom):
        _style(ax)
        if not drawn:
            _no_data(ax, "no sampled series")
    top.set_ylabel("spending, US$ m a month")
    bottom.set_ylabel("international personnel")
    bottom.set_xlabel("months from mission start")
    top.legend(loc="upper right", fontsize=8, frameon=False)
    top.set_title("Spending and personnel over time (median and middle 50% of sampled runs)")
    return fig
