"""The HTML report: one self-contained file comparing exit strategies.

Core objects: :func:`render_report` (the report as a string) and
:func:`write_report` (the same, written to a file).  The page holds the run
settings, a summary table per strategy (:func:`~endstate.report.stats.summary_table`),
the paired comparison if one is given, the figures inline as base64 PNGs, then
any extra sections and notes; it loads nothing from elsewhere, so it can be
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

from endstate import __version__
from endstate.engine.runner import Results
from endstate.types import EXIT_REASONS

from .figures import (
    FAN_VARIABLES,
    exit_reason_figure,
    exit_time_figure,
    fan_chart_figure,
    peace_survival_figure,
    to_base64,
)
from .stats import summary_table

__all__ = ["render_report", "summary_table", "write_report"]

FAN_CHARTS = ("violence_per_100k", "domestic_force_per_1000", "personnel")


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


def _summary_rows(summaries: dict[str, dict[str, Any]], results: dict[str, Results]) -> list[tuple[str, list[str]]]:
    """Rows of (label, one cell per strategy) for the summary table."""
    s = list(summaries.values())
    rows: list[tuple[str, list[str]]] = [
        ("runs", [f"{len(r.outcomes):,}" for r in results.values()]),
        ("runs that exited", [f"{x['runs_exited']:,}" for x in s]),
        ("P(peace holds 5 years after exit)", [fmt_share(x["p_peace_holds_5y"]) for x in s]),
        ("P(peace holds 10 years after exit)", [fmt_share(x["p_peace_holds_10y"]) for x in s]),
        ("share still running at the horizon", [fmt_share(x["share_running"]) for x in s]),
        ("months to exit: median", [fmt_months(x["months_to_exit_median"]) for x in s]),
        ("months to exit: 90% interval", [f"{fmt_months(x['months_to_exit_p05'])} to {fmt_months(x['months_to_exit_p95'])}" for x in s]),
        ("median cost (US$ m)", [fmt_number(x["cost_usd_m_median"]) for x in s]),
        ("mean battle deaths", [fmt_number(x["battle_deaths_mean"]) for x in s]),
        ("mean civilian deaths", [fmt_number(x["civilian_deaths_mean"]) for x in s]),
        ("mean mission fatalities", [fmt_number(x["mission_fatalities_mean"]) for x in s]),
    ]
    rows += [(f"exit reason: {r.replace('_', ' ')}", [fmt_share(x["exit_reason_shares"][r]) for x in s]) for r in EXIT_REASONS]
    return rows


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
    """The comparison rows grouped by strategy, formatted for display.

    ``comparison`` is ``{"reference": name, "rows": [...]}`` or the list of
    rows itself; each row has the fields of
    :class:`endstate.experiments.compare.Row` (as a dict or the dataclass).
    """
    if comparison is None:
        return []
    raw = comparison.get("rows", []) if isinstance(comparison, Mapping) else comparison
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in raw:
        r = asdict(item) if is_dataclass(item) and not isinstance(item, type) else dict(item)
        share = r["metric"].startswith(("P(", "share"))
        if r["metric"].startswith("share exiting") and not r["reference_value"] and not r["strategy_value"]:
            continue
        fmt = fmt_share if share else fmt_number
        groups.setdefault((str(r["reference"]), str(r["strategy"])), []).append(
            {
                "metric": r["metric"],
                "reference_value": fmt(r["reference_value"]),
                "strategy_value": fmt(r["strategy_value"]),
                "difference": fmt(r["difference"], sign=True),
                "ci_low": fmt(r["ci_low"], sign=True),
                "ci_high": fmt(r["ci_high"], sign=True),
                "significant": bool(r["significant"]),
            }
        )
    return [{"reference": ref, "strategy": name, "rows": rows} for (ref, name), rows in groups.items()]


def _figures(results: dict[str, Results]) -> list[dict[str, str]]:
    figs = [
        (
            "When the mission leaves",
            "Cumulative share of the runs that exited which had left by each month. Runs still running at the horizon have no exit month and are not in the curves; the legend gives their share.",
            exit_time_figure(results),
        ),
        (
            "Survival of peace after exit",
            "Kaplan-Meier estimate of the probability that war has not resumed, by years since the last international personnel left, over the runs that exited. A relapse during the mission counts as a relapse at year 0; runs are censored at the end of the post-exit observation.",
            peace_survival_figure(results),
        ),
    ]
    for v in FAN_CHARTS:
        figs.append(
            (
                FAN_VARIABLES[v][1],
                f"{FAN_VARIABLES[v][1]} ({FAN_VARIABLES[v][0]}) by month: median, and the bands holding the middle 50% and 90% of the sampled runs. Each run counts only while simulated; months with fewer than half the sampled runs are not drawn.",
                fan_chart_figure(results, v),
            )
        )
    figs.append(("Why the mission ends", "Share of runs ending for each exit reason.", exit_reason_figure(results)))
    return [{"title": t, "caption": c, "data": to_base64(png), "alt": t} for t, c, png in figs]


def render_report(
    title: str,
    results: dict[str, Results],
    comparison: Mapping[str, Any] | Sequence[Any] | None = None,
    notes: list[str] | None = None,
    extra_sections: list[tuple[str, str]] | None = None,
) -> str:
    """The report as one HTML string; see :func:`write_report`."""
    if not results:
        raise ValueError("a report needs at least one strategy's results")
    summaries = {name: summary_table(res) for name, res in results.items()}
    return _environment().get_template("report.html").render(
        title=title,
        version=__version__,
        settings=_settings(results),
        strategies=list(results),
        summary_rows=_summary_rows(summaries, results),
        comparison=_comparison(comparison),
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
) -> Path:
    """Write a self-contained HTML report comparing ``results`` (strategy name -> Results).

    Parameters
    ----------
    path : file to write (its folder is created).
    title : page title and heading.
    results : each strategy's simulated results, in the order to show them.
    comparison : the paired comparison, ``{"reference": name, "rows": [...]}``
        with rows as from :func:`endstate.experiments.compare.rows_as_dicts`,
        or the list of rows; rows whose interval includes 0 are marked
        "not significant".
    notes : plain-text notes shown at the end.
    extra_sections : ``(title, html)`` pairs shown after the figures; the
        html is trusted and inserted as it is.

    Returns
    -------
    The path written.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render_report(title, results, comparison, notes, extra_sections), encoding="utf-8")
    return p
