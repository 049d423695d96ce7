"""Paired comparisons of exit strategies on common random numbers, on a common clock.

Core objects: :func:`run_strategies` (simulate several strategies with the same
seed, so run ``k`` of every strategy faces the same draws; in memory, or
streamed into a result folder keeping only the columns compared), :func:`compare`
(differences against a reference strategy with 95% intervals from the paired
per-run differences) and :data:`METRICS` (what is compared, in the order shown).

Strategies leave at different times, so a measure counted from each one's own
exit month, or summed over each one's own span, compares different stretches
of history.  The comparison therefore leads with measures over *fixed windows
from the mission start* (no relapse by year 5, 10 and 15; deaths and cost in
the same windows), the same calendar for every strategy, and shows the
post-exit measures after them.  Every figure is a mean over runs (a share of
runs is the mean of a 0/1 indicator); a row that cannot be computed carries
the reason instead of a verdict.  Pairing removes the noise the strategies
share, so intervals are much narrower than those of independent samples.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd

from endstate.engine.runner import CHUNK_SIZE, WINDOW_YEARS, Results, simulate_parts
from endstate.model.params import Parameters
from endstate.outcomes.folder import ResultFolder
from endstate.outcomes.stream import KEEP_ALL, Keep, stream_result
from endstate.spec.models import MissionSpec
from endstate.types import EXIT_REASONS

Z95 = 1.959963984540054

MIN_OBSERVED = 0.9
"""Least share of runs that must be observed over a window in both strategies for a fixed-window row.

Runs observed for less are those that left early (their post-exit observation
ends first) or were still running at the horizon; once more than a tenth are
missing, the mean over the rest describes a selected subset, not the strategy.
"""

Clock = Literal["fixed window from the mission start", "after each strategy's own exit", "whole simulated period"]
Statistic = Literal["share of runs", "mean"]


@dataclass(frozen=True)
class Metric:
    """One compared quantity: its label, the clock it runs on and whether it is a share or a mean."""

    name: str
    clock: Clock
    statistic: Statistic
    years: int | None = None  # the window, for fixed-window metrics


def _window_metrics() -> list[Metric]:
    fixed: Clock = "fixed window from the mission start"
    out = [Metric(f"P(no relapse by year {y})", fixed, "share of runs", y) for y in WINDOW_YEARS]
    for y in WINDOW_YEARS:
        out += [
            Metric(f"battle deaths, years 0-{y}", fixed, "mean", y),
            Metric(f"civilian deaths, years 0-{y}", fixed, "mean", y),
            Metric(f"cost (US$ m), years 0-{y}", fixed, "mean", y),
        ]
    return out


METRICS: tuple[Metric, ...] = (
    *_window_metrics(),
    Metric("P(peace holds 5y after exit)", "after each strategy's own exit", "share of runs"),
    Metric("P(peace holds 10y after exit)", "after each strategy's own exit", "share of runs"),
    Metric("months to exit", "whole simulated period", "mean"),
    Metric("cost (US$ m)", "whole simulated period", "mean"),
    Metric("battle deaths", "whole simulated period", "mean"),
    Metric("civilian deaths", "whole simulated period", "mean"),
    Metric("mission fatalities", "whole simulated period", "mean"),
    *(Metric(f"share exiting: {r}", "whole simulated period", "share of runs") for r in EXIT_REASONS),
)
METRIC_BY_NAME = {m.name: m for m in METRICS}


@dataclass
class Row:
    """One metric of one strategy against the reference.

    ``significant`` is None when the row could not be computed; ``note`` then
    says why (and otherwise over which runs it was computed, when not all).
    """

    metric: str
    clock: str
    statistic: str
    reference: str
    strategy: str
    reference_value: float
    strategy_value: float
    difference: float
    ci_low: float
    ci_high: float
    n: int
    significant: bool | None
    note: str = ""


def _window_values(o: pd.DataFrame, stem: str, years: int, scale: float = 1.0) -> np.ndarray:
    col = o[f"{stem}_{years}y"]
    if stem == "relapse_by":
        return np.where(col.isna().to_numpy(), np.nan, ~col.fillna(False).to_numpy(dtype=bool)).astype(float)
    return col.to_numpy(dtype=float) / scale


def _exited(o: pd.DataFrame) -> np.ndarray:
    return (o["exit_month"] >= 0).to_numpy()


def _reason_share(o: pd.DataFrame, reason: str) -> np.ndarray:
    """1 for the runs that exited for ``reason``, 0 otherwise (a flagged run has no reason)."""
    return (o["exit_reason"] == reason).to_numpy(dtype=float)


def _per_run_functions() -> dict[str, Callable[[pd.DataFrame], np.ndarray]]:
    """Metric name -> the per-run quantity whose mean it is, in :data:`METRICS` order."""
    out: dict[str, Callable[[pd.DataFrame], np.ndarray]] = {}
    for y in WINDOW_YEARS:
        out[f"P(no relapse by year {y})"] = partial(_window_values, stem="relapse_by", years=y)
    for y in WINDOW_YEARS:
        out[f"battle deaths, years 0-{y}"] = partial(_window_values, stem="battle_deaths", years=y)
        out[f"civilian deaths, years 0-{y}"] = partial(_window_values, stem="civilian_deaths", years=y)
        out[f"cost (US$ m), years 0-{y}"] = partial(_window_values, stem="cost_usd", years=y, scale=1e6)
    out |= {
        "P(peace holds 5y after exit)": lambda o: np.where(_exited(o), ~o["relapse_5y"].to_numpy(dtype=bool), np.nan).astype(float),
        "P(peace holds 10y after exit)": lambda o: np.where(_exited(o), ~o["relapse_10y"].to_numpy(dtype=bool), np.nan).astype(float),
        "months to exit": lambda o: np.where(_exited(o), o["exit_month"].to_numpy(), np.nan).astype(float),
        "cost (US$ m)": lambda o: o["cost_usd"].to_numpy() / 1e6,
        "battle deaths": lambda o: o["battle_deaths"].to_numpy().astype(float),
        "civilian deaths": lambda o: o["civilian_deaths"].to_numpy().astype(float),
        "mission fatalities": lambda o: o["mission_fatalities"].to_numpy().astype(float),
    }
    for r in EXIT_REASONS:
        out[f"share exiting: {r}"] = partial(_reason_share, reason=r)
    return out


_PER_RUN = _per_run_functions()


def metric_values(o: pd.DataFrame, metric: Metric) -> np.ndarray:
    """The per-run quantity whose mean is ``metric`` (NaN where a run does not count).

    One metric at a time, so a comparison of a million runs holds two of
    these arrays, not one per metric and strategy.
    """
    return _PER_RUN[metric.name](o)


COMPARED_COLUMNS: tuple[str, ...] = (
    "exit_month", "exit_reason", "months_observed", "relapse_5y", "relapse_10y", "cost_usd", "battle_deaths", "civilian_deaths", "mission_fatalities",
    *(f"{stem}_{y}y" for y in WINDOW_YEARS for stem in ("relapse_by", "battle_deaths", "civilian_deaths", "cost_usd")),
)  # fmt: skip
"""The outcome columns :func:`compare` reads: a streamed result that keeps these (:class:`endstate.outcomes.stream.Keep`) compares as the whole one."""
COMPARISON_KEEP = Keep((*COMPARED_COLUMNS, "run", "trigger_month", "phases_handed_over"), events=("goal_met", "goal_lapsed"), series=False)
"""The least of each strategy a comparison keeps in memory: the columns compared, and what the bottom line's binding goals read
(``endstate compare`` keeps this; ``endstate.compare`` adds it to what it is told to keep)."""


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


def _why_not(metric: Metric, a: np.ndarray, b: np.ndarray, ref: str, name: str, outcomes: dict[str, pd.DataFrame]) -> str:
    """Why a row cannot be computed, or '' when it can."""
    total = a.size
    both = int((~np.isnan(a) & ~np.isnan(b)).sum())
    if metric.years is not None:
        years = metric.years
        if total == 0 or both < MIN_OBSERVED * total:
            short = [s for s, o in ((ref, outcomes[ref]), (name, outcomes[name])) if (o["months_observed"] < 12 * years).mean() > 1 - MIN_OBSERVED]
            spans = "; ".join(f"{s} observes {_observed_text(outcomes[s], years)}" for s in short)
            return f"not computable: fewer than {MIN_OBSERVED:.0%} of runs are observed for {years} years in both ({both:,} of {total:,}); {spans}"
        return ""
    if both == 0:
        if metric.clock == "after each strategy's own exit" or metric.name == "months to exit":
            return "not computable: no run exited in both strategies"
        return "not computable: no runs"
    return ""


def _observed_text(o: pd.DataFrame, years: int) -> str:
    obs = o["months_observed"]
    running = float((o["exit_month"] < 0).mean())
    short = float((obs < 12 * years).mean())
    why = f"{short:.0%} of its runs for less (median observation {float(obs.median()):.0f} months"
    return why + (f"; {running:.0%} still running at the horizon)" if running else ": it leaves early and the post-exit horizon ends first)")


def compare(results: dict[str, Results], reference: str | None = None) -> list[Row]:
    """Every strategy against ``reference`` (the first by default), metric by metric, in :data:`METRICS` order."""
    names = list(results)
    ref = reference or names[0]
    outcomes = {n: r.outcomes for n, r in results.items()}
    rows: list[Row] = []
    for name in names:
        if name == ref:
            continue
        for metric in METRICS:
            a, b = metric_values(outcomes[ref], metric), metric_values(outcomes[name], metric)
            why = _why_not(metric, a, b, ref, name, outcomes)
            ra, rb, diff, lo, hi, n = paired_difference(a, b)
            if why:
                nan = float("nan")
                rows.append(Row(metric.name, metric.clock, metric.statistic, ref, name, nan, nan, nan, nan, nan, n, None, why))
                continue
            sig = bool(n > 1 and (lo > 0 or hi < 0))
            note = f"over the {n:,} of {a.size:,} runs where it counts in both" if n < a.size else ""
            rows.append(Row(metric.name, metric.clock, metric.statistic, ref, name, ra, rb, diff, lo, hi, n, sig, note))
    return rows


def _json_value(v: object) -> object:
    if isinstance(v, float):
        return round(v, 6) if math.isfinite(v) else None
    return v


def rows_as_dicts(rows: list[Row]) -> list[dict[str, object]]:
    """Rows as plain dicts for JSON: floats rounded, NaN and infinities as None."""
    return [{k: _json_value(v) for k, v in asdict(r).items()} for r in rows]


def run_strategies(
    specs: dict[str, MissionSpec],
    runs: int,
    seed: int,
    workers: int = 1,
    chunk_size: int = CHUNK_SIZE,
    params: Parameters | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    series_runs: int = 200,
    keep: Keep = KEEP_ALL,
    folder: ResultFolder | None = None,
) -> dict[str, Results]:
    """Simulate each strategy on the same seed (common random numbers), chunk by chunk.

    Each strategy's files go into ``folder/<name>/`` as its chunks are done,
    when a folder is given; what stays in memory is what ``keep`` names (by
    default everything: the in-memory results of ``simulate``).  Keeping
    :data:`COMPARED_COLUMNS` and nothing else is enough for :func:`compare`,
    and holds a million-run comparison in a few hundred MB.
    """
    out: dict[str, Results] = {}
    for name, spec in specs.items():
        cb = (lambda done, total, _n=name: progress(_n, done, total)) if progress else None
        parts = simulate_parts(spec, runs, seed=seed, workers=workers, chunk_size=chunk_size, params=params, progress=cb, series_runs=series_runs)
        out[name] = stream_result(spec, runs, seed, parts, keep, folder, name)
    return out
