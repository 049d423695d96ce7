"""The forecast from the filtered ensemble, and the spec's exit strategies compared from today's state.

Core objects: :func:`forecast_summary` (when each goal will be met and held,
handover completion, exit, war within 12 and 24 months) and
:func:`compare_strategies` (every strategy of the spec continued from the
filtered particles with the same random numbers: a paired comparison).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd

from endstate.engine.runner import ChunkJob, RunBatch, outcomes_frame
from endstate.model.params import Parameters, load_parameters
from endstate.spec import strategy_specs

from .filter import Filtered, model_month_to_period

_STRATEGY_KEY = 104_729
"""Seed offset of the continuation streams shared by all strategies (common random numbers)."""


def _months(f: Filtered, months: np.ndarray) -> dict[str, Any]:
    """Share reached and calendar quantiles of a per-particle month (-1: not reached)."""
    reached = months >= 0
    out: dict[str, Any] = {"share": float(reached.mean())}
    if reached.any():
        q = np.quantile(months[reached], [0.05, 0.5, 0.95])
        out.update({k: str(model_month_to_period(f.spec, int(round(v)))) for k, v in zip(("p05", "median", "p95"), q, strict=True)})
    else:
        out.update(p05=None, median=None, p95=None)
    return out


def forecast_summary(f: Filtered) -> dict[str, Any]:
    """What the filtered ensemble says about the goals, the handover, the exit and relapse.

    For each goal: the share of particles in which it holds its sustain window
    at the last observed month, and the month it is (or next is) met and held:
    the last observed month where it holds, else the first month after.
    """
    goals = []
    for g, goal in enumerate(f.spec.goals):
        if f.state_now is not None:
            now = f.state_now.goal_count[:, g] >= f.sc.goal_sustain[g]
            when = np.where(now, f.last_observed, f.goal_next[:, g])
        else:
            now, when = np.zeros(len(f.outcomes), dtype=bool), f.goal_held[:, g]
        goals.append({"goal": goal.id, "holding_now": float(now.mean()), **_months(f, when)})
    phases = f.sc.phase_mask.shape[0]
    handover = _months(f, np.asarray(f.outcomes["trigger_month"].where(f.outcomes["phases_handed_over"] >= phases, -1)) if phases else np.full(len(f.outcomes), -1))
    exit_ = _months(f, f.outcomes["exit_month"].to_numpy())
    reasons = f.outcomes["exit_reason"].astype(str).value_counts(normalize=True).to_dict()
    return {
        "as_of": str(model_month_to_period(f.spec, f.last_observed)) if f.last_observed >= 0 else None,
        "particles": f.settings.particles,
        "goals": goals,
        "handover_complete": handover,
        "exit": exit_,
        "exit_reasons": {k: float(v) for k, v in reasons.items()},
        "war_within_12_months": float(f.war_within[12].mean()),
        "war_within_24_months": float(f.war_within[24].mean()),
        "log_evidence": f.log_evidence,
        "resampling_events": int(f.diagnostics["resampled"].sum()) if len(f.diagnostics) else 0,
        "min_ess": float(f.diagnostics["ess"].min()) if len(f.diagnostics) else None,
    }


def compare_strategies(f: Filtered, params: Parameters | None = None, months: int = 24) -> pd.DataFrame:
    """Each strategy of the spec continued from the filtered state at the last observed month.

    All strategies see the same particles and the same random numbers from
    then on, so their differences are paired.  A strategy that changes the
    theatre or the contributors (so that the state does not fit it) is
    skipped with a note; one that changes goals or phases starts its exit
    machinery afresh.
    """
    if f.state_now is None:
        raise ValueError("no observations were assimilated: nothing to continue from")
    params = params or load_parameters()
    n = f.settings.particles
    rows: list[dict[str, Any]] = []
    start = f.last_observed
    for name, spec in strategy_specs(f.spec).items():
        batch = RunBatch(ChunkJob(spec, params, f.settings.seed + _STRATEGY_KEY, 0, n, 0, f.sc.horizon))
        fresh = batch.st
        if fresh.present.shape != f.state_now.present.shape or fresh.tension.shape != f.state_now.tension.shape:
            rows.append({"strategy": name, "note": "changes the theatre or the contributors: cannot start from the filtered state"})
            continue
        for fld in fields(fresh):
            now = getattr(f.state_now, fld.name)
            if getattr(fresh, fld.name).shape == now.shape:
                setattr(fresh, fld.name, now.copy())
        deaths, war = np.zeros(n), np.zeros(n, dtype=bool)

        def record(month: int, m: Any, alive: np.ndarray, batch: RunBatch = batch, deaths: np.ndarray = deaths, war: np.ndarray = war) -> None:
            if month <= start + months:
                deaths += m.battle.sum(axis=1)
                war |= batch.st.at_war

        batch.run(record, start=start + 1)
        out = outcomes_frame(batch.sc, batch.st, 0, batch.windows)
        exited = out["exit_month"] >= 0
        rows.append(
            {
                "strategy": name,
                "exit_median": str(model_month_to_period(spec, int(np.median(out["exit_month"][exited])))) if exited.any() else None,
                "thresholds_met": float((out["exit_reason"] == "thresholds_met").mean()),
                f"war_within_{months}m": float(war.mean()),
                f"battle_deaths_next_{months}m": float(deaths.mean()),
                "_deaths": deaths,
                "_war": war,
            }
        )
    frame = pd.DataFrame(rows)
    if "_deaths" in frame and "baseline" in set(frame["strategy"]):
        base = frame.loc[frame["strategy"] == "baseline"].iloc[0]
        frame[f"paired_deaths_diff_{months}m"] = [float(np.mean(d - base["_deaths"])) if isinstance(d, np.ndarray) else None for d in frame["_deaths"]]
        frame[f"paired_war_diff_{months}m"] = [float(np.mean(w.astype(float) - base["_war"].astype(float))) if isinstance(w, np.ndarray) else None for w in frame["_war"]]
    return frame.drop(columns=[c for c in ("_deaths", "_war") if c in frame])
