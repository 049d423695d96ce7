"""The case record as a score: how probable the model finds what really happened.

Core objects: :func:`score_library` (every case with a record in
``cases/history.yaml``) and :func:`score_case` (one case's replay), giving
:class:`CaseScore` and :class:`LibraryScore`.

For each case the model's probability of three recorded facts is read off a
replay: the exit reason, the exit year (the exit within 12 months of the
recorded date; for a mission still running, skipped) and whether war resumed.
The library score counts the cases whose recorded exit reason is the model's
most likely one, and compares the mean log score of the record (the sum of the
logs of the three probabilities, averaged over cases) with a baseline that
knows nothing of any mission and predicts the library's base rates: the share
of cases that ended for each reason, the share whose war resumed, and for the
exit year the share of the library's missions whose duration lies within 12
months of the case's.  Probabilities are smoothed the same way for model and
baseline (half a count per category, so a fact the model never produced scores
a finite, very low log), which keeps the comparison fair.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from endstate.engine.runner import Results
from endstate.model.params import Parameters
from endstate.types import EXIT_REASONS

from .compare import run_strategies
from .replay import history, load_case

YEAR_WINDOW_MONTHS = 12


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + (end.month - start.month)


def smoothed(count: float, total: float, categories: int) -> float:
    """(count + 1/2) / (total + categories / 2): Jeffreys-smoothed share."""
    return (count + 0.5) / (total + 0.5 * categories)


@dataclass
class CaseScore:
    case: str
    recorded_reason: str
    recorded_exit_month: int | None
    recorded_relapse: bool
    runs: int
    reason_shares: dict[str, float]
    p_reason: float
    p_exit_year: float | None
    p_relapse: float
    most_likely_reason: str
    log_score: float = 0.0
    baseline_log_score: float = 0.0
    median_exit_month: float | None = None

    @property
    def reason_is_most_likely(self) -> bool:
        return self.most_likely_reason == self.recorded_reason


@dataclass
class LibraryScore:
    cases: list[CaseScore]
    runs: int
    seed: int
    base_rates: dict[str, float] = field(default_factory=dict)

    @property
    def n_reason_most_likely(self) -> int:
        return sum(c.reason_is_most_likely for c in self.cases)

    @property
    def mean_log_score(self) -> float:
        return float(np.mean([c.log_score for c in self.cases]))

    @property
    def mean_baseline_log_score(self) -> float:
        return float(np.mean([c.baseline_log_score for c in self.cases]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "seed": self.seed,
            "cases": [asdict(c) | {"reason_is_most_likely": c.reason_is_most_likely} for c in self.cases],
            "library": {
                "n_cases": len(self.cases),
                "n_reason_most_likely": self.n_reason_most_likely,
                "mean_log_score": self.mean_log_score,
                "mean_baseline_log_score": self.mean_baseline_log_score,
                "beats_baseline": self.mean_log_score > self.mean_baseline_log_score,
                "base_rates": self.base_rates,
            },
        }


def score_case(case_id: str, record: dict[str, Any], res: Results) -> CaseScore:
    """The model's probability of each recorded fact of one case (baseline scores filled by :func:`score_library`)."""
    spec, _, _ = load_case(case_id)
    o = res.outcomes
    n = len(o)
    reasons = o.exit_reason.astype(str)
    counts = reasons.value_counts()
    shares = {r: float(counts.get(r, 0)) / n for r in EXIT_REASONS}
    recorded = str(record["exit_reason"])
    p_reason = smoothed(float(counts.get(recorded, 0)), n, len(EXIT_REASONS))
    exit_date = record.get("exit_date")
    if isinstance(exit_date, str):
        exit_date = dt.date.fromisoformat(exit_date)
    month = months_between(spec.mission.start_date, exit_date) if isinstance(exit_date, dt.date) else None
    p_year = None
    if month is not None:
        hit = float(((o.exit_month >= 0) & ((o.exit_month - month).abs() <= YEAR_WINDOW_MONTHS)).sum())
        p_year = smoothed(hit, n, 2)
    relapse = bool(record["relapse"])
    p_relapse = smoothed(float((o.relapsed == relapse).sum()), n, 2)
    exited = o.exit_month[o.exit_month >= 0]
    return CaseScore(
        case=case_id,
        recorded_reason=recorded,
        recorded_exit_month=month,
        recorded_relapse=relapse,
        runs=n,
        reason_shares=shares,
        p_reason=p_reason,
        p_exit_year=p_year,
        p_relapse=p_relapse,
        most_likely_reason=max(EXIT_REASONS, key=lambda r: shares[r]),
        median_exit_month=float(np.median(exited)) if len(exited) else None,
    )


def _log(*ps: float | None) -> float:
    return float(sum(math.log(p) for p in ps if p is not None))


def baseline(scores: list[CaseScore]) -> dict[str, float]:
    """Fill each case's baseline log score from the library's base rates; return the rates."""
    n = len(scores)
    reason_counts = pd.Series([s.recorded_reason for s in scores]).value_counts()
    relapses = sum(s.recorded_relapse for s in scores)
    durations = [s.recorded_exit_month for s in scores if s.recorded_exit_month is not None]
    for s in scores:
        p_reason = smoothed(float(reason_counts.get(s.recorded_reason, 0)), n, len(EXIT_REASONS))
        p_relapse = smoothed(float(relapses if s.recorded_relapse else n - relapses), n, 2)
        p_year = None
        if s.recorded_exit_month is not None:
            near = sum(abs(d - s.recorded_exit_month) <= YEAR_WINDOW_MONTHS for d in durations)
            p_year = smoothed(float(near), len(durations), 2)
        s.baseline_log_score = _log(p_reason, p_year, p_relapse)
        s.log_score = _log(s.p_reason, s.p_exit_year, s.p_relapse)
    rates = {f"exit_reason:{r}": float(reason_counts.get(r, 0)) / n for r in EXIT_REASONS}
    rates["relapse"] = relapses / n
    return rates


def score_library(
    runs: int = 1000, seed: int = 0, workers: int = 1, cases: list[str] | None = None, params: Parameters | None = None
) -> tuple[LibraryScore, dict[str, Results]]:
    """Replay every case with a record (or ``cases``) and score the record; also return each replay's results.

    ``params`` defaults to the committed parameters (a sensitivity analysis passes others).
    """
    hist = history()
    ids = [c for c in (cases or sorted(hist)) if c in hist]
    scores: list[CaseScore] = []
    results: dict[str, Results] = {}
    for cid in ids:
        spec, record, _ = load_case(cid)
        res = run_strategies({"as it happened": spec}, runs, seed, workers, params=params)["as it happened"]
        results[cid] = res
        scores.append(score_case(cid, record, res))
    rates = baseline(scores)
    return LibraryScore(scores, runs, seed, rates), results
