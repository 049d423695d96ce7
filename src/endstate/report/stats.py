"""The numbers a report shows, computed from simulated outcomes.

Core objects: :func:`summary_table` (one strategy's headline figures, also
written to ``summary.json``), :func:`window_summary` (the same on fixed windows
from the mission start), :func:`peace_after_exit` (time from exit to relapse
for every run that exited, for :func:`endstate.outcomes.survival.kaplan_meier`)
and :func:`monthly_bands` (median and 50%/90% bands of a
sampled monthly series, each run counted only while it was simulated).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from endstate.engine.runner import WINDOW_YEARS, Results
from endstate.experiments.compare import MIN_OBSERVED
from endstate.types import EXIT_REASONS

BAND_QUANTILES: dict[str, float] = {"q05": 0.05, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q95": 0.95}


def peace_after_exit(outcomes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Months from exit to relapse (events) or to the end of observation (censored), for runs that exited.

    A run whose war resumed while the mission was still there is a relapse at
    time 0: the mission left no peace behind.  Runs still running at the
    horizon never exited and are left out.
    """
    o = outcomes[outcomes["exit_month"] >= 0]
    exit_m = o["exit_month"].to_numpy(dtype=np.int64)
    rel = o["relapse_month"].to_numpy(dtype=np.int64)
    observed = o["months_observed_after_exit"].to_numpy(dtype=np.int64)
    gap = np.maximum(rel - exit_m, 0)
    event = (rel >= 0) & ((rel < exit_m) | (gap < observed))
    return np.where(event, gap, observed).astype(float), event


def observed_series(res: Results) -> pd.DataFrame:
    """The sampled monthly series, keeping each run's months only while it was simulated.

    A run that exited is followed for ``months_observed_after_exit`` months;
    one still running stops at the horizon, read as the month after its last
    month with personnel deployed (the horizon is not in the outcomes).
    Afterwards the engine no longer advances it, so its values would only
    distort the bands.
    """
    s = res.series
    if s.empty:
        return s
    o = res.outcomes.set_index("run")
    exit_m = o["exit_month"].reindex(s["run"]).to_numpy()
    end = exit_m + o["months_observed_after_exit"].reindex(s["run"]).to_numpy()
    running = exit_m < 0
    deployed = s["month"].to_numpy()[running & (s["personnel"].to_numpy() > 0)]
    horizon = int(deployed.max()) + 1 if deployed.size else 0
    end = np.where(running, horizon, end)
    return s[s["month"].to_numpy() < end]


def monthly_bands(res: Results, variable: str, min_share: float = 0.5) -> pd.DataFrame:
    """Median and 50%/90% bands of ``variable`` by month over the sampled runs.

    Columns ``q05, q25, q50, q75, q95`` and ``n`` (runs observed that month),
    indexed by month from the mission start.  Months where fewer than
    ``min_share`` of the sampled runs are still observed are dropped: a band
    drawn from the few longest runs would describe them, not the strategy.
    """
    s = observed_series(res)
    if s.empty:
        return pd.DataFrame(columns=[*BAND_QUANTILES, "n"], dtype=float)
    g = s.groupby("month")[variable]
    out = pd.DataFrame({k: g.quantile(q) for k, q in BAND_QUANTILES.items()})
    out["n"] = g.size()
    return out[out["n"] >= min_share * res.series["run"].nunique()]


def _r(x: float, digits: int) -> float | None:
    """Rounded for JSON; NaN (nothing to average) becomes None."""
    return None if x is None or not np.isfinite(x) else round(float(x), digits)


def window_summary(res: Results) -> dict[str, Any]:
    """Fixed windows from the mission start: for each of :data:`WINDOW_YEARS`, JSON-serialisable.

    ``observed_{Y}y`` is the share of runs whose relapse status at year Y is
    known; ``p_no_relapse_by_{Y}y`` (a share of those runs) and the means of
    battle deaths, civilian deaths and cost (US$ m) over runs observed the
    whole window are None when fewer than
    :data:`~endstate.experiments.compare.MIN_OBSERVED` of the runs are.
    """
    o = res.outcomes
    out: dict[str, Any] = {}
    for y in WINDOW_YEARS:
        rel = o[f"relapse_by_{y}y"]
        known = float(rel.notna().mean()) if len(o) else 0.0
        full = float(o[f"battle_deaths_{y}y"].notna().mean()) if len(o) else 0.0
        out[f"observed_{y}y"] = _r(known, 4)
        out[f"p_no_relapse_by_{y}y"] = _r(1.0 - float(rel.dropna().astype(bool).mean()), 4) if known >= MIN_OBSERVED else None
        ok = full >= MIN_OBSERVED
        out[f"battle_deaths_{y}y_mean"] = _r(o[f"battle_deaths_{y}y"].mean(), 1) if ok else None
        out[f"civilian_deaths_{y}y_mean"] = _r(o[f"civilian_deaths_{y}y"].mean(), 1) if ok else None
        out[f"cost_usd_m_{y}y_mean"] = _r(o[f"cost_usd_{y}y"].mean() / 1e6, 1) if ok else None
    return out


def summary_table(res: Results) -> dict[str, Any]:
    """One strategy's headline numbers, JSON-serialisable; each key says whether it is a mean, a median or a share.

    Fixed-window figures (:func:`window_summary`) come first.  Peace-holding
    probabilities and months to exit are over the runs that exited
    (``exit_month >= 0``); costs, deaths and fatalities over all runs.
    Values that cannot be computed (no run exited, a window too few runs are
    observed for) are None.
    """
    o = res.outcomes
    exited = o[o["exit_month"] >= 0]
    months = exited["exit_month"].astype(float)
    reasons = o["exit_reason"].astype(str)
    return {
        **window_summary(res),
        "runs_exited": len(exited),
        "p_peace_holds_5y": _r(1.0 - exited["relapse_5y"].mean(), 4) if len(exited) else None,
        "p_peace_holds_10y": _r(1.0 - exited["relapse_10y"].mean(), 4) if len(exited) else None,
        "share_running": _r((reasons == "running").mean(), 4),
        "months_to_exit_median": _r(months.median(), 1) if len(exited) else None,
        "months_to_exit_p05": _r(months.quantile(0.05), 1) if len(exited) else None,
        "months_to_exit_p95": _r(months.quantile(0.95), 1) if len(exited) else None,
        "exit_reason_shares": {r: _r((reasons == r).mean(), 4) for r in EXIT_REASONS},
        "cost_usd_m_median": _r(o["cost_usd"].median() / 1e6, 1),
        "battle_deaths_mean": _r(o["battle_deaths"].mean(), 1),
        "civilian_deaths_mean": _r(o["civilian_deaths"].mean(), 1),
        "mission_fatalities_mean": _r(o["mission_fatalities"].mean(), 2),
    }
