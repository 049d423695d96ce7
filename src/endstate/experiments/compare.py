"""Paired comparisons of exit strategies on common random numbers.

Core objects: :func:`run_strategies` (simulate several strategies with the same
seed, so run ``k`` of every strategy faces the same draws) and :func:`compare`
(differences against a reference strategy with 95% intervals from the paired
per-run differences).  Pairing removes the noise the strategies share, so
intervals are much narrower than those of independent samples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from endstate.engine.runner import Results, simulate
from endstate.model.params import Parameters
from endstate.spec.models import MissionSpec
from endstate.types import EXIT_REASONS

Z95 = 1.959963984540054


@dataclass
class Row:
    metric: str
    reference: str
    strategy: str
    reference_value: float
    strategy_value: float
    difference: float
    ci_low: float
    ci_high: float
    n: int
    significant: bool


def per_run_metrics(o: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per-run quantities whose means are the reported metrics (NaN where a run does not count)."""
    exited = (o["exit_month"] >= 0).to_numpy()
    out: dict[str, np.ndarray] = {
        "P(peace holds 5y after exit)": np.where(exited, ~o["relapse_5y"].to_numpy(), np.nan).astype(float),
        "P(peace holds 10y after exit)": np.where(exited, ~o["relapse_10y"].to_numpy(), np.nan).astype(float),
        "months to exit": np.where(exited, o["exit_month"].to_numpy(), np.nan).astype(float),
        "cost (US$ m)": o["cost_usd"].to_numpy() / 1e6,
        "battle deaths": o["battle_deaths"].to_numpy().astype(float),
        "civilian deaths": o["civilian_deaths"].to_numpy().astype(float),
        "mission fatalities": o["mission_fatalities"].to_numpy().astype(float),
    }
    reasons = o["exit_reason"].astype(str).to_numpy()
    for r in EXIT_REASONS:
        out[f"share exiting: {r}"] = (reasons == r).astype(float)
    return out


def paired_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float, float, float, int]:
    """Means of a and b over the runs where both count, the mean paired difference and its 95% interval."""
    both = ~np.isnan(a) & ~np.isnan(b)
    n = int(both.sum())
    if n == 0:
        return (float("nan"),) * 5 + (0,)  # type: ignore[return-value]
    d = b[both] - a[both]
    mean = float(d.mean())
    half = Z95 * float(d.std(ddof=1)) / np.sqrt(n) if n > 1 else float("inf")
    return float(a[both].mean()), float(b[both].mean()), mean, mean - half, mean + half, n


def compare(results: dict[str, Results], reference: str | None = None) -> list[Row]:
    """Every strategy against ``reference`` (the first by default), metric by metric."""
    names = list(results)
    ref = reference or names[0]
    base = per_run_metrics(results[ref].outcomes)
    rows: list[Row] = []
    for name in names:
        if name == ref:
            continue
        other = per_run_metrics(results[name].outcomes)
        for metric, a in base.items():
            ra, rb, diff, lo, hi, n = paired_difference(a, other[metric])
            sig = bool(n > 1 and (lo > 0 or hi < 0))
            rows.append(Row(metric, ref, name, ra, rb, diff, lo, hi, n, sig))
    return rows


def rows_as_dicts(rows: list[Row]) -> list[dict[str, object]]:
    return [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(r).items()} for r in rows]


def run_strategies(
    specs: dict[str, MissionSpec],
    runs: int,
    seed: int,
    workers: int = 1,
    chunk_size: int = 10_000,
    params: Parameters | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Results]:
    """Simulate each strategy on the same seed (common random numbers)."""
    out: dict[str, Results] = {}
    for name, spec in specs.items():
        cb = (lambda done, total, _n=name: progress(_n, done, total)) if progress else None
        out[name] = simulate(spec, runs, seed=seed, workers=workers, chunk_size=chunk_size, params=params, progress=cb)
    return out
