"""The monitoring report: one self-contained HTML page.

Core objects: :func:`fan_figure` (a series' filtered and forecast bands with the
observations drawn on them), :func:`clock_figure` (the handover clock: for
each goal and for the handover and exit, the forecast month, median and 90%
interval, against today), :func:`diagnostics_figure` (ESS, resampling and
log-likelihood per month) and :func:`render_monitor_report`.  Figures use the
report package's PNG helpers and palette; text is escaped.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from endstate import __version__
from endstate.report.figures import STRATEGY_COLOURS, to_base64, to_png

from .filter import Filtered, model_month_to_period


def _x(f: Filtered, months: np.ndarray) -> np.ndarray:
    start = pd.Period(f.spec.mission.start_date, freq="M")
    return np.asarray([(start + int(m)).to_timestamp() for m in months])


def fan_figure(f: Filtered, series: str, obs: pd.DataFrame) -> bytes:
    """Median and 50%/90% bands of ``series`` by month, the last observed month marked, observations as dots."""
    b = f.bands[f.bands["series"] == series].sort_values("month")
    fig = Figure(figsize=(7.5, 3.0))
    ax = fig.subplots()
    x = _x(f, b["month"].to_numpy())
    c = STRATEGY_COLOURS[0]
    ax.fill_between(x, b["q05"], b["q95"], color=c, alpha=0.15, linewidth=0, label="90% band")
    ax.fill_between(x, b["q25"], b["q75"], color=c, alpha=0.3, linewidth=0, label="50% band")
    ax.plot(x, b["q50"], color=c, linewidth=1.2, label="median")
    ind, _, reg = series.partition("@")
    o = obs[(obs["indicator"] == ind) & (obs["region"] == (reg or "country"))]
    if len(o):
        ax.plot([p.to_timestamp() for p in o["month"]], o["value"], "o", color="#D55E00", markersize=2.5, label="observed")
    if f.last_observed >= 0:
        ax.axvline(model_month_to_period(f.spec, f.last_observed).to_timestamp(), color="#555555", linestyle="--", linewidth=0.8)
    ax.set_title(series, fontsize=10)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    fig.tight_layout()
    return to_png(fig)


def clock_figure(f: Filtered, summary: dict[str, Any]) -> bytes:
    """The handover clock: each goal's, the handover's and the exit's forecast month (median, 90%), against today."""
    items = [(g["goal"], g) for g in summary["goals"]] + [("handover complete", summary["handover_complete"]), ("exit", summary["exit"])]
    fig = Figure(figsize=(7.5, 0.5 * len(items) + 1.6))
    ax = fig.subplots()
    ticks, labels = [], []
    for i, (label, d) in enumerate(items):
        y = len(items) - i
        ticks.append(y)
        labels.append(f"{label} ({d['share']:.0%} reach it)")
        if d["median"] is not None:
            lo, mid, hi = (pd.Period(d[k], freq="M").to_timestamp() for k in ("p05", "median", "p95"))
            ax.plot([lo, hi], [y, y], color=STRATEGY_COLOURS[0], linewidth=3, alpha=0.4)
            ax.plot([mid], [y], "o", color=STRATEGY_COLOURS[0])
    if f.last_observed >= 0:
        ax.axvline(model_month_to_period(f.spec, f.last_observed).to_timestamp(), color="#D55E00", linestyle="--", linewidth=1, label="today")
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_title("Handover clock: forecast month (median, 90% interval)", fontsize=10)
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    fig.tight_layout()
    return to_png(fig)


def diagnostics_figure(f: Filtered) -> bytes:
    """Effective sample size (resampling marked) and log-likelihood per observed month."""
    d = f.diagnostics
    fig = Figure(figsize=(7.5, 3.2))
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    x = _x(f, d["month"].to_numpy())
    ax1.plot(x, d["ess"], color=STRATEGY_COLOURS[0], linewidth=1)
    rs = d["resampled"].to_numpy(dtype=bool)
    ax1.plot(x[rs], d["ess"].to_numpy()[rs], "v", color="#D55E00", markersize=3, label="resampled")
    ax1.axhline(f.settings.ess_threshold * f.settings.particles, color="#999999", linewidth=0.8, linestyle=":")
    ax1.set_ylabel("ESS", fontsize=8)
    ax1.legend(fontsize=7, frameon=False)
    ax2.plot(x, d["loglik"], color=STRATEGY_COLOURS[2], linewidth=1)
    ax2.set_ylabel("log-lik", fontsize=8)
    fig.tight_layout()
    return to_png(fig)


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>none</p>"
    cols = list(rows[0])
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(r.get(c)))}</td>" for c in cols) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, list):
        return ", ".join(map(str, v))
    return "" if v is None else str(v)


def render_monitor_report(f: Filtered, obs: pd.DataFrame, summary: dict[str, Any], status: list[dict[str, Any]], strategies: pd.DataFrame | None) -> str:
    """The page: threshold status, the forecast, the handover clock, fan charts, strategies, diagnostics."""
    img = lambda png: f'<img alt="figure" src="data:image/png;base64,{to_base64(png)}">'  # noqa: E731
    series = list(dict.fromkeys(f.bands["series"]))
    fans = "".join(img(fan_figure(f, s, obs)) for s in series)
    parts = [
        f"<h1>Monitoring: {html.escape(f.spec.mission.name)}</h1>",
        f"<p>Data to {html.escape(str(summary['as_of']))}; {f.settings.particles} particles, seed {f.settings.seed}; endstate {__version__}.</p>",
        "<h2>Threshold status (observed)</h2>", _table(status),
        "<h2>Forecast</h2>", _table(summary["goals"]),
        _table([{"event": "handover complete", **summary["handover_complete"]}, {"event": "exit", **summary["exit"]}]),
        f"<p>War at some point in the next 12 months: {summary['war_within_12_months']:.0%}; 24 months: {summary['war_within_24_months']:.0%}.</p>",
        img(clock_figure(f, summary)),
        "<h2>Fan charts (observations as dots; dashed line: last observed month)</h2>", fans,
    ]
    if strategies is not None and len(strategies):
        parts += ["<h2>Exit strategies from the filtered state (paired)</h2>", _table(strategies.to_dict("records"))]
    parts += [
        "<h2>Filter diagnostics</h2>",
        f"<p>{int(f.diagnostics['resampled'].sum())} resampling events over {len(f.diagnostics)} observed months; log evidence {f.log_evidence:.1f}.</p>",
        img(diagnostics_figure(f)) if len(f.diagnostics) else "",
        _table(f.diagnostics.to_dict("records")),
    ]
    style = "body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px}img{max-width:100%}"
    return f"<!doctype html><html><head><meta charset='utf-8'><title>endstate monitor</title><style>{style}</style></head><body>{''.join(parts)}</body></html>\n"


__all__ = ["clock_figure", "diagnostics_figure", "fan_figure", "render_monitor_report"]
