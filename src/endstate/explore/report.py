"""The sweep report: one HTML page with PNG figures beside it.

Core object: :func:`write_report`.  Figures: sensitivity bars (Sobol' indices
or Morris ``mu_star`` with their intervals, one panel per outcome), PRIM's
coverage-density trade-off and the chosen box's limits (the EMA Workbench's
own plots), and each policy's regret per outcome; tables: regret, PRIM's box
in words, CART's leaves and the indices.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from jinja2 import Environment  # noqa: E402

from .analysis import Analysis  # noqa: E402

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4}
table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#eee}td:first-child,th:first-child{text-align:left}img{max-width:100%}.finding{background:#f4f4ff;padding:1em}</style>
</head><body>
<h1>{{ title }}</h1>
<p>{{ summary }}</p>
<h2>Where {{ d.strategy }} does worse than {{ d.reference }}</h2>
<p class="finding">{{ d.text }}</p>
{% if d.chosen >= 0 %}
<p>PRIM (Friedman &amp; Fisher 1999, as the EMA Workbench implements it) peels the uncertainty space box by box; each dot of the
trade-off is one box of its peeling trajectory. The box in the sentence above is the one with the most coverage among those with a
density of at least {{ density }}. The box plot gives its limits against each uncertainty's full range (quasi-p values in brackets).</p>
<img src="prim_tradeoff.png" alt="PRIM coverage-density trade-off">{% if has_box %} <img src="prim_box.png" alt="PRIM box limits">{% endif %}
<h3>CART leaves (the same question, as a classification tree)</h3>
{{ cart }}
{% endif %}
<h2>Robustness: regret across points</h2>
<p>A policy's regret at a point is how far its outcome falls short of the best policy's at that point (in the outcome's units).
A robust policy has a small largest (or 90th-percentile) regret.</p>
{{ regret }}
<img src="regret.png" alt="regret per policy">
<h2>Global sensitivity</h2>
<p>{{ sens_note }}</p>
{% if has_sens %}<img src="sensitivity.png" alt="sensitivity indices">{{ sens }}{% endif %}
</body></html>
"""


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, float_format=lambda x: f"{x:,.4g}", border=0)


def _sensitivity_figure(sens: pd.DataFrame, path: Path) -> None:
    outcomes = list(dict.fromkeys(sens["outcome"]))
    main = sens["index"].iloc[0]
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.2 * len(outcomes), 0.45 * sens["input"].nunique() + 1.8), sharey=True, squeeze=False)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        sub = sens[(sens["outcome"] == outcome) & (sens["index"] == main)]
        pols = list(dict.fromkeys(sub["policy"]))
        inputs = list(dict.fromkeys(sub["input"]))
        h = 0.8 / len(pols)
        for k, pol in enumerate(pols):
            s = sub[sub["policy"] == pol].set_index("input").loc[inputs]
            ax.barh(np.arange(len(inputs)) + k * h, s["value"], height=h, xerr=s["conf"].fillna(0), label=pol, capsize=2)
        ax.set_yticks(np.arange(len(inputs)) + 0.4 - h / 2, inputs)
        ax.set_title(outcome)
        ax.set_xlabel(f"{main} (bars: 95% interval)")
        ax.axvline(0, color="k", lw=0.5)
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _regret_figure(reg: pd.DataFrame, path: Path) -> None:
    outcomes = list(dict.fromkeys(reg["outcome"]))
    fig, axes = plt.subplots(1, len(outcomes), figsize=(3.6 * len(outcomes), 3.2), squeeze=False)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        sub = reg[reg["outcome"] == outcome]
        x = np.arange(len(sub))
        ax.bar(x - 0.2, sub["mean_regret"], 0.4, label="mean")
        ax.bar(x + 0.2, sub["p90_regret"], 0.4, label="90th percentile")
        ax.set_xticks(x, sub["policy"], rotation=20, fontsize=8)
        ax.set_title(f"{outcome} ({sub['direction'].iloc[0]})", fontsize=9)
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(a: Analysis, out: str | Path) -> Path:
    """Write ``report.html`` and its figures into ``out``; returns the page's path."""
    from .analysis import DENSITY

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    d = a.discovery
    if d.box is not None:
        fig = d.box.show_tradeoff()
        ax = fig.axes[0]
        row = d.trajectory.loc[d.chosen]
        ax.scatter([row["coverage"]], [row["density"]], s=160, facecolors="none", edgecolors="red", label="box described")
        ax.legend(loc="lower left", fontsize=8)
        fig.savefig(out / "prim_tradeoff.png", dpi=110, bbox_inches="tight")
        plt.close(fig)
    (out / "prim_box.png").unlink(missing_ok=True)  # not left over from an earlier report when there is no box now
    if d.box is not None and not d.limits.empty:
        d.box.inspect(d.chosen, style="graph")
        fig = plt.gcf()
        fig.set_size_inches(9, 0.5 * len(d.limits) + 1.5)
        fig.savefig(out / "prim_box.png", dpi=110, bbox_inches="tight")
        plt.close(fig)
    if not a.regret.empty:
        _regret_figure(a.regret, out / "regret.png")
    has_sens = not a.sensitivity.empty
    if has_sens:
        _sensitivity_figure(a.sensitivity, out / "sensitivity.png")
    method = a.sweep.design.method
    sens_note = {
        "sobol": "Sobol' first-order (S1) and total (ST) indices with 95% bootstrap intervals (SALib, Saltelli design); bars show S1.",
        "morris": "Morris elementary effects: mu_star (mean absolute effect per unit of the input's quantile range) with its 95% interval, and sigma.",
    }.get(method, "First-order Sobol' indices (S1) with 95% bootstrap intervals, estimated from the sample by SALib's binned estimator.")
    if not has_sens:
        sens_note += " No outcome varied across the points, so there is nothing to apportion."
    sweep = a.sweep
    summary = (
        f"{len(a.points):,} evaluations: {a.points['point'].nunique():,} points of a {method} design over {len(sweep.uncertainties)} uncertainties, "
        f"{a.points['label'].nunique()} policies, {sweep.runs_per_point} paired runs each (seed {sweep.seed})."
    )
    regret_cols = ["policy", "outcome", "direction", "mean_value", "mean_regret", "p90_regret", "max_regret", "share_best"]
    html = (
        Environment(autoescape=True)
        .from_string(_PAGE)
        .render(
            title="Sweep report",
            summary=summary,
            d=d,
            density=DENSITY,
            cart=_safe(_table(d.cart.drop(columns=[c for c in ("box",) if c in d.cart]))) if not d.cart.empty else "",
            regret=_safe(_table(a.regret[regret_cols])) if not a.regret.empty else "",
            sens=_safe(_table(a.sensitivity)),
            sens_note=sens_note,
            has_sens=has_sens,
            has_box=not d.limits.empty,
        )
    )
    page = out / "report.html"
    page.write_text(html, encoding="utf-8")
    return page


def _safe(html: str) -> object:
    from markupsafe import Markup

    return Markup(html)  # noqa: S704  (pandas escapes the cell text itself)
