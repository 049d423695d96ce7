"""Goal and phase status over all runs, read from the event log.

Core objects: :func:`goal_status` (for each goal, the share of runs in which it
is met and held, month by month), :func:`binding_goals` (which goal is met
last, or still blocks the handover, when the exit is decided, and how often),
:func:`phase_timeline` (when each handover phase is reached: share of runs,
median and 50%/90% ranges) and :func:`monthly_totals` (spending and personnel
over time from the sampled series).

Goals are judged only while the mission is present, so a run counts as
holding a goal from its ``goal_met`` event to its ``goal_lapsed`` event or the
month the mission left, whichever comes first.  Shares are over all runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from endstate.engine.runner import Results
from endstate.exits.events import EV

from .stats import BAND_QUANTILES, observed_series


def _end_of_presence(o: pd.DataFrame) -> pd.Series:
    """Per run: the month the mission left, or the end of observation for runs still running."""
    exit_m = o["exit_month"].to_numpy()
    return pd.Series(np.where(exit_m >= 0, exit_m, o["months_observed"].to_numpy()), index=o["run"].to_numpy())


def goal_status(res: Results) -> pd.DataFrame:
    """Share of all runs in which each goal is met and held, by month from the mission start.

    Columns: one per goal id in the spec's order, plus ``mission_present``
    (share of runs whose mission is still there, the ceiling of every goal
    curve); indexed by month.
    """
    o, ev = res.outcomes, res.events
    goals: list[str] = res.meta.get("goals", [])
    end = _end_of_presence(o)
    months = int(end.max()) + 1 if len(end) else 1
    n = max(len(o), 1)
    out: dict[str, np.ndarray] = {}
    for g, gid in enumerate(goals):
        delta = np.zeros(months + 1)
        met = ev[(ev["event"] == EV["goal_met"]) & (ev["detail"] == g)]
        lapsed = ev[(ev["event"] == EV["goal_lapsed"]) & (ev["detail"] == g)]
        np.add.at(delta, np.minimum(met["month"].to_numpy(), months), 1.0)
        np.add.at(delta, np.minimum(lapsed["month"].to_numpy(), months), -1.0)
        open_runs = met.groupby("run").size().sub(lapsed.groupby("run").size(), fill_value=0)
        open_runs = open_runs[open_runs > 0].index.to_numpy()
        np.add.at(delta, np.minimum(end.reindex(open_runs).to_numpy(dtype=np.int64), months), -1.0)
        out[gid] = np.cumsum(delta)[:months] / n
    present = np.zeros(months + 1)
    np.add.at(present, np.minimum(end.to_numpy(dtype=np.int64), months), 1.0)
    out["mission_present"] = 1.0 - np.cumsum(present)[:months] / n
    return pd.DataFrame(out, index=pd.RangeIndex(months, name="month"))


def _last_met(ev: pd.DataFrame, goal: int, until: pd.Series) -> pd.Series:
    """Per run: the month of the latest ``goal_met`` event of ``goal`` at or before ``until``; -1 if none."""
    met = ev[(ev["event"] == EV["goal_met"]) & (ev["detail"] == goal)]
    met = met[met["month"].to_numpy() <= until.reindex(met["run"]).to_numpy()]
    return met.groupby("run")["month"].max().reindex(until.index, fill_value=-1)


def _held_at(ev: pd.DataFrame, goal: int, at: pd.Series) -> pd.Series:
    """Per run: whether ``goal`` was held at month ``at`` (its latest met event then is later than its latest lapse)."""
    met = _last_met(ev, goal, at)
    lap = ev[(ev["event"] == EV["goal_lapsed"]) & (ev["detail"] == goal)]
    lap = lap[lap["month"].to_numpy() <= at.reindex(lap["run"]).to_numpy()]
    last_lapse = lap.groupby("run")["month"].max().reindex(at.index, fill_value=-1)
    return (met >= 0) & (met >= last_lapse)


def binding_goals(res: Results) -> pd.DataFrame:
    """For each goal the exit plan waits on: how often it is met, held when the exit is decided, and binds the exit.

    The goal that binds a run's exit is the one the handover waited for last:
    in a run whose phases were all handed over, the goal (among those of the
    last phase) met last before the final handover; in a run whose handover
    stopped at a phase (the mission left on another trigger, or is still
    running), the goal of that phase furthest from being met when the exit was
    decided (never met, or met longest ago; ties go to the first listed).
    Rows: goal ids in the spec's order; columns ``met_ever`` (share of runs in
    which it was met before the exit was decided), ``held_at_decision``,
    ``binds`` (share of runs whose exit it binds), ``binds_blocked`` (of those,
    runs where it still blocked the handover).  Empty when no phase waits on a
    goal (a calendar exit).
    """
    o, ev = res.outcomes, res.events
    goals: list[str] = res.meta.get("goals", [])
    phase_goals: list[list[str]] = res.meta.get("phase_goals", [])
    required = [g for g in goals if any(g in when for when in phase_goals)]
    if not required or not len(o):
        return pd.DataFrame(columns=["met_ever", "held_at_decision", "binds", "binds_blocked"], dtype=float)
    runs = o["run"].to_numpy()
    decided = pd.Series(np.where(o["trigger_month"].to_numpy() >= 0, o["trigger_month"].to_numpy(), o["months_observed"].to_numpy()), index=runs)
    handed = pd.Series(o["phases_handed_over"].to_numpy(), index=runs)
    index = {g: i for i, g in enumerate(goals)}
    last = {g: _last_met(ev, index[g], decided) for g in required}
    held = {g: _held_at(ev, index[g], decided) for g in required}
    binder = pd.Series("", index=runs, dtype=object)
    blocked = pd.Series(False, index=runs)
    P = len(phase_goals)
    complete = handed >= P
    if P and complete.any():
        final = [g for g in phase_goals[-1] if g in last]
        if final:
            months = pd.DataFrame({g: last[g] for g in final})
            binder[complete] = months[complete].idxmax(axis=1)
    for p, when in enumerate(phase_goals):
        stuck = (handed == p).to_numpy()
        waiting = [g for g in when if g in last]
        if not waiting or not stuck.any():
            continue
        # the unmet goal furthest from being met: never met, or met longest ago (ties: the first listed)
        since = pd.DataFrame({g: np.where(held[g], np.iinfo(np.int64).max, last[g]) for g in waiting}, index=runs)
        unmet = ~pd.DataFrame({g: held[g] for g in waiting}).all(axis=1).to_numpy()
        pick = stuck & unmet
        binder[pick] = since[pick].idxmin(axis=1)
        blocked[pick] = True
    n = len(o)
    rows = {
        g: {
            "met_ever": float((last[g] >= 0).mean()),
            "held_at_decision": float(held[g].mean()),
            "binds": float((binder == g).sum() / n),
            "binds_blocked": float(((binder == g) & blocked).sum() / n),
        }
        for g in required
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def phase_timeline(res: Results) -> pd.DataFrame:
    """When each handover phase is reached, then when the exit is decided and when the mission has left.

    Rows in order (the phases by name, ``exit decided``, ``mission left``);
    columns ``share`` (runs that reached it), ``q05, q25, q50, q75, q95`` (of
    the month, over those runs).  Quantiles are NaN where no run reached it.
    """
    o, ev = res.outcomes, res.events
    stages: list[tuple[str, np.ndarray]] = []
    h = ev[ev["event"] == EV["phase_handed_over"]]
    for p, name in enumerate(res.meta.get("phases", [])):
        stages.append((f"phase {p + 1}: {name}", h[h["detail"] == p]["month"].to_numpy()))
    trig = o["trigger_month"].to_numpy()
    stages.append(("exit decided", trig[trig >= 0]))
    ex = o["exit_month"].to_numpy()
    stages.append(("mission left", ex[ex >= 0]))
    n = max(len(o), 1)
    rows = {}
    for label, months in stages:
        row = {"share": months.size / n}
        for k, q in BAND_QUANTILES.items():
            row[k] = float(np.quantile(months, q)) if months.size else float("nan")
        rows[label] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def monthly_totals(res: Results) -> pd.DataFrame:
    """Spending (US$ m a month) and international personnel, by month: median and 50%/90% bands of the sampled runs.

    Columns are a two-level index (``spending_usd_m`` or ``personnel``, then
    ``q05 ... q95``); months where fewer than half the sampled runs are still
    observed are dropped, as in the fan charts.
    """
    s = observed_series(res)
    if s.empty or "cost_usd" not in s:
        return pd.DataFrame()
    s = s.sort_values(["run", "month"])
    spend = s.groupby("run")["cost_usd"].diff().fillna(s["cost_usd"]) / 1e6
    frame = pd.DataFrame({"month": s["month"].to_numpy(), "spending_usd_m": spend.to_numpy(), "personnel": s["personnel"].to_numpy()})
    g = frame.groupby("month")
    parts = {v: pd.DataFrame({k: g[v].quantile(q) for k, q in BAND_QUANTILES.items()}) for v in ("spending_usd_m", "personnel")}
    out = pd.concat(parts, axis=1)
    keep = g.size() >= 0.5 * res.series["run"].nunique()
    return out[keep]
