"""Replaying historical operations, and changing one decision.

Core objects: :func:`case_ids`, :func:`load_case` (a case's spec and its
historical record from ``cases/history.yaml``), :func:`change_arms` (one arm
per change, and all changes together), :func:`replay` (the case as it
happened and, with changes, as it might have gone, each arm paired with the
case on common random numbers) and :func:`history_check` (the model's probability of what actually
happened).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from endstate.engine.runner import Results
from endstate.model.params import Parameters
from endstate.spec import MissionSpec, load_spec

from .changes import apply_changes
from .compare import Row, compare, run_strategies

HISTORY_FILE = "history.yaml"


class UnknownCase(LookupError):
    pass


def _case_dir() -> Path:
    return Path(str(resources.files("endstate.cases")))


def case_ids() -> list[str]:
    return sorted(p.stem for p in _case_dir().glob("*.yaml") if p.name != HISTORY_FILE)


def history() -> dict[str, dict[str, Any]]:
    path = _case_dir() / HISTORY_FILE
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def load_case(case_id: str) -> tuple[MissionSpec, dict[str, Any], Path]:
    ids = case_ids()
    if case_id not in ids:
        import difflib

        near = difflib.get_close_matches(case_id, ids, n=3)
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise UnknownCase(f"no case '{case_id}'; {hint}cases: {', '.join(ids)}")
    path = _case_dir() / f"{case_id}.yaml"
    return load_spec(path), history().get(case_id, {}), path


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + (end.month - start.month)


@dataclass
class Replay:
    case_id: str
    spec: MissionSpec
    record: dict[str, Any]
    results: dict[str, Results]
    rows: list[Row] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)


def history_check(spec: MissionSpec, record: dict[str, Any], res: Results) -> list[dict[str, Any]]:
    """The model's probability of each recorded fact, beside the fact."""
    o = res.outcomes
    out: list[dict[str, Any]] = []
    reason = record.get("exit_reason")
    if reason:
        out.append({"fact": f"exit reason: {reason}", "model_probability": float((o.exit_reason.astype(str) == reason).mean())})
    exit_date = record.get("exit_date")
    if isinstance(exit_date, str):
        exit_date = dt.date.fromisoformat(exit_date)
    if isinstance(exit_date, dt.date):
        m = _months_between(spec.mission.start_date, exit_date)
        exited = o.exit_month[o.exit_month >= 0]
        within = float(((o.exit_month >= 0) & ((o.exit_month - m).abs() <= 12)).mean())
        out.append(
            {
                "fact": f"exit in {exit_date.isoformat()} (month {m})",
                "model_probability": within,
                "note": f"P(exit within 12 months of it); model median exit month {float(np.median(exited)) if len(exited) else float('nan'):.0f}",
            }
        )
    relapse = record.get("relapse")
    if relapse is not None:
        p_any = float(o.relapsed.mean())
        out.append({"fact": "war resumed" if relapse else "war did not resume", "model_probability": p_any if relapse else 1 - p_any})
        years = record.get("relapse_within_years_of_exit")
        if relapse and years is not None and years < 0:
            out.append({"fact": "war resumed while the mission was present", "model_probability": float(o.relapse_in_mission.mean())})
        elif relapse and years is not None:
            col = "relapse_2y" if years <= 2 else ("relapse_5y" if years <= 5 else "relapse_10y")
            horizon = {"relapse_2y": 2, "relapse_5y": 5, "relapse_10y": 10}[col]
            out.append(
                {
                    "fact": f"war resumed {years:.1f} years after exit",
                    "model_probability": float(o[col].mean()),
                    "note": f"P(relapse during the mission or within {horizon} years of exit)",
                }
            )
    return out


AS_IT_HAPPENED = "as it happened"
ALL_CHANGES = "all changes together"


def change_arms(spec: MissionSpec, changes: list[str], source: str = "<spec>") -> dict[str, MissionSpec]:
    """The case as it happened, one arm per change, and (with more than one change) all changes together.

    Each arm is named by its change (``PATH=VALUE``); every change is checked
    before anything is simulated (a bad one raises :class:`ChangeError`).
    """
    arms = {AS_IT_HAPPENED: spec}
    for change in changes:
        arms[change] = apply_changes(spec, [change], source)
    if len(changes) > 1:
        arms[ALL_CHANGES] = apply_changes(spec, changes, source)
    return arms


def replay(case_id: str, runs: int, seed: int, changes: list[str] | None = None, workers: int = 1, params: Parameters | None = None) -> Replay:
    """Simulate a case as it happened and each change arm on the same random numbers, each compared with the case."""
    spec, record, path = load_case(case_id)
    specs = change_arms(spec, list(dict.fromkeys(changes or [])), str(path))
    results = run_strategies(specs, runs, seed, workers, params=params)
    rows = compare(results, AS_IT_HAPPENED) if changes else []
    return Replay(case_id, spec, record, results, rows, history_check(spec, record, results[AS_IT_HAPPENED]))
