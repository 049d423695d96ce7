"""Threshold status: each goal's observed value against its threshold, how long it has held, what is left.

Core objects: :func:`goal_status` (one row per goal) and :func:`phase_status`
(one row per handover phase).  A goal is read from the observations of its
indicator in its region (or the country); of several sources the most recent
month wins, and for one month the sources' mean is taken.  Months held count
back from the latest observed month while the goal holds in consecutive
observed months; a month with no observation ends the count (nothing says it
held).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from endstate.spec.models import MissionSpec

from .observations import COUNTRY

_OPS = {"<": lambda v, t: v < t, "<=": lambda v, t: v <= t, ">": lambda v, t: v > t, ">=": lambda v, t: v >= t}


def goal_status(spec: MissionSpec, obs: pd.DataFrame) -> list[dict[str, Any]]:
    """For each goal: latest value, its month and source, threshold, months held, months still to hold."""
    rows = []
    for g in spec.goals:
        region = g.region or COUNTRY
        sel = obs[(obs["indicator"] == g.indicator) & (obs["region"] == region)]
        row: dict[str, Any] = {
            "goal": g.id, "indicator": g.indicator, "region": region, "comparator": g.comparator,
            "threshold": g.threshold, "sustain_months": g.sustain_months,
            "latest": None, "month": None, "source": None, "held_months": 0, "remaining_months": g.sustain_months, "met": False,
        }
        if len(sel):
            monthly = sel.groupby("month")["value"].mean().sort_index()
            last = monthly.index[-1]
            row.update(latest=float(monthly.iloc[-1]), month=str(last), source=", ".join(sorted(sel[sel["month"] == last]["source"].unique())))
            held = 0
            expect = last
            for month, value in zip(monthly.index[::-1], monthly.to_numpy()[::-1], strict=True):
                if month != expect or not _OPS[g.comparator](value, g.threshold):
                    break
                held += 1
                expect = month - 1
            row.update(held_months=held, remaining_months=max(g.sustain_months - held, 0), met=held >= g.sustain_months)
        rows.append(row)
    return rows


def phase_status(spec: MissionSpec, goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each handover phase: whether every goal it waits for has held its window, and which do not yet."""
    met = {r["goal"]: r["met"] for r in goals}
    out = []
    for i, ph in enumerate(spec.exit.handover):
        waiting = [gid for gid in ph.when if not met.get(gid, False)]
        out.append({"phase": i + 1, "name": ph.name, "ready": not waiting, "waiting_for": waiting})
    return out
