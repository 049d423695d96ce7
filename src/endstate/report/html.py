"""The HTML report: one self-contained file comparing exit strategies.

Core objects: :func:`render_report` (the report as a string) and
:func:`write_report` (the same, written to a file).  The page opens with the
bottom line in words (:func:`~endstate.report.bottom_line.bottom_line`), then
every strategy on fixed windows from the mission start, the paired comparison
if one is given (fixed windows first), goal and phase status, per-region
results with a map or schematic, the summary on each strategy's own clock,
the other figures inline as base64 PNGs, the run settings, then any extra
sections and notes; it loads nothing from elsewhere, so it can be
mailed or archived as it is.  jinja2 escapes every piece of text; only the
bodies of ``extra_sections``, HTML that endstate itself produced, go in as
they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from matplotlib.figure import Figure

from endstate import __version__
from endstate.engine.runner import WINDOW_YEARS, Results
from endstate.types import EXIT_REASONS

from .bottom_line import bottom_line
from .figures import (
    FAN_VARIABLES,
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
from .regions import REGION_VARIABLES, region_map_figure, region_schematic_figure, region_series_figure
from .stats import summary_table
from .status import binding_goals

__all__ = ["render_report", "summary_table", "write_report"]

FAN_CHARTS = ("violence_per_100k", "domestic_force_per_1000", "personnel")
REGION_FIGURES = ("violence_per_100k", "security_coverage", "tasks_handed_over")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("endstate.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def fmt_number(v: float | None, sign: bool = False) -> str:
    """A count, cost or month figure: thousands separators, about three significant digits."""
    if v is None or v != v:
        return "n/a"
    s = "+" if sign else ""
    if abs(v) >= 1000:
        return f"{v:{s},.0f}"
    if abs(v) >= 10:
        return f"{v:{s},.1f}"
    return f"{v:{s}.3g}"


def fmt_months(v: float | None) -> str:
    return "n/a" if v is None or v != v else f"{v:.1f}"


def fmt_share(v: float | None, sign: bool = False) -> str:
    """A probability or share as a percentage; with ``sign``, a difference in percentage points."""
    if v is None or v != v:
        return "n/a"
    return f"{100 * v:+.1f} pp" if sign else f"{100 * v:.1f}%"


def _window_rows(summaries: dict[str, dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Rows of the fixed-window table: every strategy on the same clock from the mission start."""
    s = list(summaries.values())
    rows: list[tuple[str, list[str]]] = []
    for y in WINDOW_YEARS:
        rows.append((f"share of runs with no relapse by year {y}", [_or_why(fmt_share(x[f"p_no_relapse_by_{y}y"]), x[f"observed_{y}y"]) for x in s]))
    for y in WINDOW_YEARS:
        rows += [
            (f"mean battle deaths, years 0-{y}", [_or_why(fmt_number(x[f"battle_deaths_{y}y_mean"]), x[f"observed_{y}y"]) for x in s]),
            (f"mean civilian deaths, years 0-{y}", [_or_why(fmt_number(x[f"civilian_deaths_{y}y_mean"]), x[f"observed_{y}y"]) for x in s]),
            (f"mean cost (US$ m), years 0-{y}", [_or_why(fmt_number(x[f"cost_usd_m_{y}y_mean"]), x[f"observed_{y}y"]) for x in s]),
        ]
    return rows


def _or_why(cell: str, observed: float | None) -> str:
    """A fixed-window cell, or why it is empty (too few runs observed that long)."""
    if cell != "n/a":
        return cell
    return f"n/a: only {fmt_share(observed)} of runs observed that long" if observed is not None else "n/a"


def _summary_rows(summaries: dict[str, dict[str, Any]], results: dict[str, Results]) -> list[tuple[str, list[str]]]:
    """Rows of (label, one cell per strategy) for the summary table; each label says mean, median or share."""
    s = list(summaries.values())
    rows: list[tuple[str, list[str]]] = [
        ("runs", [f"{len(r.outcomes):,}" for r in results.values()]),
        ("runs that exited", [f"{x['runs_exited']:,}" for x in s]),
        ("share of exited runs whose peace holds 5 years after exit", [fmt_share(x["p_peace_holds_5y"]) for x in s]),
        ("share of exited runs whose peace holds 10 years after exit", [fmt_share(x["p_peace_holds_10y"]) for x in s]),
        ("share still running at the horizon", [fmt_share(x["share_running"]) for x in s]),
        ("months to exit: median", [fmt_months(x["months_to_exit_median"]) for x in s]),
        ("months to exit: 90% interval", [f"{fmt_months(x['months_to_exit_p05'])} to {fmt_months(x['months_to_exit_p95'])}" for x in s]),
        ("cost (US$ m), whole period: median", [fmt_number(x["cost_usd_m_median"]) for x in s]),
        ("battle deaths, whole period: mean", [fmt_number(x["battle_deaths_mean"]) for x in s]),
        ("civilian deaths, whole period: mean", [fmt_number(x["civilian_deaths_mean"]) for x in s]),
        ("mission fatalities: mean", [fmt_number(x["mission_fatalities_mean"]) for x in s]),
    ]
    rows += [(f"share exiting: {r.replace('_', ' ')}", [fmt_share(x["exit_reason_shares"][r]) for x in s]) for r in EXIT_REASONS]
    return rows


def _binding_rows(results: dict[str, Results]) -> list[dict[str, Any]]:
    """Per strategy: the goals its handover waits on, how often each is met, held at the decision, and binds the exit."""
    out: list[dict[str, Any]] = []
    for name, res in results.items():
        b = binding_goals(res)
        rows = [
            {"goal": g, "met_ever": fmt_share(r["met_ever"]), "held": fmt_share(r["held_at_decision"]), "binds": fmt_share(r["binds"]), "blocked": fmt_share(r["binds_blocked"])}
            for g, r in b.iterrows()
        ]
        out.append({"strategy": name, "rows": rows})
    return out


def _settings(results: dict[str, Results]) -> list[tuple[str, str]]:
    """Run settings from each strategy's meta; a value shared by all is shown once."""
    out: list[tuple[str, str]] = []
    for key, label in (("mission", "mission"), ("runs", "runs per strategy"), ("seed", "seed"), ("numerical_errors", "runs with numerical errors")):
        values = {name: res.meta.get(key, "n/a") for name, res in results.items()}
        shown = [f"{v:,}" if isinstance(v, int) and key != "seed" else str(v) for v in values.values()]
        if len(set(shown)) == 1:
            out.append((label, shown[0]))
        else:
            out.append((label, "; ".join(f"{n}: {v}" for n, v in zip(values, shown, strict=True))))
    paired = len({(res.meta.get("runs"), res.meta.get("seed")) for res in results.values()}) == 1
    out.append(("paired runs", "yes: same seed and runs, so run k of every strategy faces the same random draws" if paired else "no"))
    return out


def _comparison(comparison: Mapping[str, Any] | Sequence[Any] | None) -> list[dict[str, Any]]:
    """The comparison rows grouped by strategy, then by clock, formatted for display.

    ``comparison`` is ``{"reference": name, "rows": [...]}`` or the list of
    rows itself; each row has the fields of
    :class:`endstate.experiments.compare.Row` (as a dict or the dataclass).
    A row that could not be computed (``significant`` None) shows its note.
    """
    if comparison is None:
        return []
    raw = comparison.get("rows", []) if isinstance(comparison, Mapping) else comparison
    groups: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
    for item in raw:
        r = asdict(item) if is_dataclass(item) and not isinstance(item, type) else dict(item)
        statistic = r.get("statistic") or ("share of runs" if r["metric"].startswith(("P(", "share")) else "mean")
        if r["metric"].startswith("share exiting") and not r["reference_value"] and not r["strategy_value"]:
            continue
        fmt = fmt_share if statistic == "share of runs" else fmt_number
        sig = r["significant"]
        verdict = "significant" if sig else ("not significant" if sig is not None else (r.get("note") or "not computable"))
        clock = r.get("clock") or "whole simulated period"
        groups.setdefault((str(r["reference"]), str(r["strategy"])), {}).setdefault(clock, []).append(
            {
                "metric": r["metric"],
                "statistic": statistic,
                "reference_value": fmt(r["reference_value"]),
                "strategy_value": fmt(r["strategy_value"]),
                "difference": fmt(r["difference"], sign=True),
                "ci_low": fmt(r["ci_low"], sign=True),
                "ci_high": fmt(r["ci_high"], sign=True),
                "css": "sig" if sig else ("ns" if sig is not None else "na"),
                "verdict": verdict,
                "note": r.get("note", "") if sig is not None else "",
            }
        )
    return [{"reference": ref, "strategy": name, "clocks": list(clocks.items())} for (ref, name), clocks in groups.items()]


def _fig(title: str, caption: str, fig: Figure) -> dict[str, str]:
    return {"title": title, "caption": caption, "data": to_base64(to_png(fig)), "alt": title}


def _figures(results: dict[str, Results]) -> list[dict[str, str]]:
    figs = [
        _fig(
            "When the mission leaves",
            "Cumulative share of the runs that exited which had left by each month. Runs still running at the horizon have no exit month and are not in the curves; the legend gives their share.",
            exit_time_figure(results),
        ),
        _fig(
            "Survival of peace after exit",
            "Kaplan-Meier estimate of the probability that war has not resumed, by years since the last international personnel left, over the runs that exited. A relapse during the mission counts as a relapse at year 0; runs are censored at the end of the post-exit observation. Each strategy runs on its own clock here; the fixed-window table above compares them on the same one.",
            peace_survival_figure(results),
        ),
    ]
    for v in FAN_CHARTS:
        figs.append(
            _fig(
                FAN_VARIABLES[v][1],
                f"{FAN_VARIABLES[v][1]} ({FAN_VARIABLES[v][0]}) by month: median, and the bands holding the middle 50% and 90% of the sampled runs. Each run counts only while simulated; months with fewer than half the sampled runs are not drawn.",
                fan_chart_figure(results, v),
            )
        )
    figs.append(_fig("Why the mission ends", "Share of runs ending for each exit reason.", exit_reason_figure(results)))
    return figs


def _status_figures(results: dict[str, Results]) -> list[dict[str, str]]:
    return [
        _fig(
            "Goal status",
            "For each goal, the share of all runs in which it is met (its threshold held for its sustain months) and still held, month by month. Goals are judged only while the mission is present; the grey line, the share of runs whose mission is still there, is the ceiling of every curve.",
            goal_status_figure(results),
        ),
        _fig(
            "Handover phases",
            "When each handover phase is reached, when the exit is decided and when the last international personnel have left: median (tick), middle 50% (dark) and 90% (light) of the runs that reach the stage, and the share of runs that do.",
            phase_timeline_figure(results),
        ),
        _fig(
            "Spending and personnel over time",
            "Monthly spending (US$ m) and international personnel deployed: median and middle 50% of the sampled runs, while they are simulated.",
            spending_personnel_figure(results),
        ),
    ]


def _region_figures(results: dict[str, Results], geometry: str | Path | None) -> list[dict[str, str]]:
    first = next(iter(results.values()))
    if geometry is None and first.meta.get("geometry") and Path(first.meta["geometry"]).is_file():
        geometry = first.meta["geometry"]  # the spec's theatre.geometry, when it names a file that exists
    figs = [
        _fig(
            REGION_VARIABLES[v][1],
            f"{REGION_VARIABLES[v][1]} ({REGION_VARIABLES[v][0]}) by month, one panel per region: each strategy's median and middle 50% of the sampled runs.",
            region_series_figure(results, v),
        )
        for v in REGION_FIGURES
    ]
    if geometry is not None:
        figs.append(
            _fig(
                "Map of violence by region",
                f"Mean violence (deaths per 100,000 a month) over the first 5 years from the mission start, by region, over the sampled runs; boundaries from {Path(geometry).name}.",
                region_map_figure(results, geometry),
            )
        )
    else:
        shares = dict(zip(first.meta.get("regions", []), first.meta.get("region_shares", []), strict=False))
        figs.append(
            _fig(
                "Schematic of violence by region",
                "Mean violence (deaths per 100,000 a month) over the first 5 years from the mission start, by region, over the sampled runs. The spec gives no region geometry (theatre.geometry), so the regions are drawn as tiles sized by population, not as a map.",
                region_schematic_figure(results, shares),
            )
        )
    return figs


def render_report(
    title: str,
    results: dict[str, Results],
    comparison: Mapping[str, Any] | Sequence[Any] | None = None,
    notes: list[str] | None = None,
    extra_sections: list[tuple[str, str]] | None = None,
    geometry: str | Path | None = None,
) -> str:
    """The report as one HTML string; see :func:`write_report`."""
    if not results:
        raise ValueError("a report needs at least one strategy's results")
    summaries = {name: summary_table(res) for name, res in results.items()}
    return _environment().get_template("report.html").render(
        title=title,
        version=__version__,
        bottom_line=bottom_line(results),
        settings=_settings(results),
        strategies=list(results),
        window_rows=_window_rows(summaries),
        summary_rows=_summary_rows(summaries, results),
        comparison=_comparison(comparison),
        binding=_binding_rows(results),
        status_figures=_status_figures(results),
        region_figures=_region_figures(results, geometry),
        figures=_figures(results),
        extra_sections=[(t, Markup(body)) for t, body in extra_sections or []],
        notes=notes or [],
    )


def write_report(
    path: str | Path,
    title: str,
    results: dict[str, Results],
    comparison: Mapping[str, Any] | Sequence[Any] | None = None,
    notes: list[str] | None = None,
    extra_sections: list[tuple[str, str]] | None = None,
    geometry: str | Path | None = None,
) -> Path:
    """Write a self-contained HTML report comparing ``results`` (strategy name -> Results).

    Parameters
    ----------
    path : file to write (its folder is created).
    title : page title and heading.
    results : each strategy's simulated results, in the order to show them.
    comparison : the paired comparison, ``{"reference": name, "rows": [...]}``
        with rows as from :func:`endstate.experiments.compare.rows_as_dicts`,
        or the list of rows; each row shows "significant", "not significant"
        or, when it could not be computed, the reason.
    notes : plain-text notes shown at the end.
    extra_sections : ``(title, html)`` pairs shown after the figures; the
        html is trusted and inserted as it is.
    geometry : a GeoJSON file with one feature per region (property ``id``);
        with it (or with a spec whose ``theatre.geometry`` names an existing
        file) the report draws a map, without it a schematic.

    Returns
    -------
    The path written.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render_report(title, results, comparison, notes, extra_sections, geometry), encoding="utf-8")
    return p
