"""Scoring the monitor as forecasters are scored: rolling origins on real missions, and synthetic truth.

Core objects: :func:`crps_ensemble`, :func:`brier`, :func:`rolling_origins`
(replay one mission as if live: at each origin filter the data up to it,
forecast what follows, score beside a no-change baseline and the unconditioned
model) and :func:`synthetic_trial` (observations simulated from the model with
known inputs: does the filter recover them, and does its forecast beat the
unconditioned ensemble?).

Events scored with Brier:

- ``war_level``: 1,000 or more battle deaths in the 12 months after the
  origin (UCDP's war threshold), the observable stand-in for relapse into war;
- ``goal_<id>``: the spec's goal met and held within the 12 months after the
  origin, for goals whose indicator and region the observations carry.

CRPS scores monthly battle deaths at each of the 12 months after the origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.params import Parameters, load_parameters
from endstate.model.step import Month
from endstate.spec.models import MissionSpec

from .filter import FilterSettings, assimilate, model_month_to_period, observed_value, period_to_model_month, series_key
from .likelihood import FAMILY, ObservationModel, simulate_observation
from .observations import COLUMNS, COUNTRY
from .status import _OPS

WAR_DEATHS_PER_YEAR = 1000.0
"""UCDP/PRIO's war threshold: 1,000 battle deaths in a year (Gleditsch et al. 2002)."""
LEAD = 12
"""Months scored after each origin."""


def crps_ensemble(x: np.ndarray, y: float, w: np.ndarray | None = None) -> float:
    """CRPS of a weighted ensemble ``x`` for the outcome ``y``: E|X - y| - E|X - X'| / 2 (lower is better)."""
    x = np.asarray(x, dtype=float)
    w = np.full(x.size, 1.0 / x.size) if w is None else np.asarray(w, dtype=float) / np.sum(w)
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cw = np.cumsum(ws)
    before = cw - ws  # weight strictly below each sorted point
    after = 1.0 - cw
    spread = 2.0 * np.sum(ws * xs * (before - after))  # E|X - X'|
    return float(np.sum(ws * np.abs(xs - y)) - 0.5 * spread)


def brier(p: float, outcome: bool) -> float:
    return float((p - float(outcome)) ** 2)


def _held_within(values: np.ndarray, comparator: str, threshold: float, sustain: int, held_before: int) -> np.ndarray:
    """Whether a goal reaches ``sustain`` consecutive months within the window; ``values`` (..., months).

    ``held_before`` months already held at the origin count towards the first run of months.
    """
    ok = _OPS[comparator](values, threshold)
    run = np.full(values.shape[:-1], held_before, dtype=np.int64)
    reached = run >= sustain
    for h in range(values.shape[-1]):
        run = np.where(ok[..., h], run + 1, 0)
        reached |= run >= sustain
    return reached


def _observed_series(obs: pd.DataFrame, spec: MissionSpec, key: str) -> pd.Series:
    ind, _, reg = key.partition("@")
    sel = obs[(obs["indicator"] == ind) & (obs["region"] == (reg or COUNTRY))]
    s = sel.groupby("month")["value"].mean()
    s.index = [period_to_model_month(spec, p) for p in s.index]
    return s


def rolling_origins(
    spec: MissionSpec,
    obs: pd.DataFrame,
    every: int = 6,
    first: int = 12,
    particles: int = 1000,
    seed: int = 0,
    params: Parameters | None = None,
    integrate_shock: bool = True,
) -> pd.DataFrame:
    """One row per origin and method (``filter``, ``unconditioned``, ``no_change``) with its scores.

    Origins run every ``every`` months from ``first`` months after the mission
    start while 12 months of battle-death observations follow.  Observations
    used at an origin are those up to and including its month.
    ``integrate_shock``: as :attr:`FilterSettings.integrate_shock`.
    """
    params = params or load_parameters()
    settings = FilterSettings(particles=particles, seed=seed, integrate_shock=integrate_shock)
    bd = _observed_series(obs, spec, "battle_deaths")
    goals = [g for g in spec.goals if len(_observed_series(obs, spec, series_key(g.indicator, g.region or COUNTRY)))]
    keys = ["battle_deaths", *[series_key(g.indicator, g.region or COUNTRY) for g in goals]]
    keys = list(dict.fromkeys(keys))
    horizon_months = int(bd.index.max()) + 1 if len(bd) else 0
    prior = assimilate(spec, obs.iloc[0:0], settings, params, ahead_months=horizon_months, ahead_series=keys, forecast_months=horizon_months)
    rows: list[dict[str, Any]] = []
    last_data = int(bd.index.max()) if len(bd) else -1
    for origin in range(max(first, int(bd.index.min()) if len(bd) else first), last_data - LEAD + 1, every):
        future = bd.reindex(range(origin + 1, origin + LEAD + 1))
        if future.isna().any() or origin not in bd.index:
            continue
        f = assimilate(
            spec, obs, settings, params, until=model_month_to_period(spec, origin), ahead_months=LEAD, ahead_series=keys,
            forecast_months=LEAD,
        )
        fc = {k: f.ahead[k] for k in keys}
        pr = {k: prior.ahead[k][:, origin + 1 : origin + LEAD + 1] for k in keys}
        past12 = bd.reindex(range(origin - 11, origin + 1)).fillna(0.0).sum()
        war = future.sum() >= WAR_DEATHS_PER_YEAR
        base = {"mission": spec.mission.name, "origin": str(model_month_to_period(spec, origin)), "observed_deaths_12m": float(future.sum())}
        for method, ens in (("filter", fc), ("unconditioned", pr)):
            row = {**base, "method": method}
            row["crps_deaths"] = float(np.mean([crps_ensemble(ens["battle_deaths"][:, h], float(future.iloc[h])) for h in range(LEAD)]))
            row["brier_war_level"] = brier(float((ens["battle_deaths"].sum(axis=1) >= WAR_DEATHS_PER_YEAR).mean()), war)
            rows.append(row)
        nc = {**base, "method": "no_change", "crps_deaths": float(np.mean(np.abs(future.to_numpy() - bd.loc[origin]))), "brier_war_level": brier(float(past12 >= WAR_DEATHS_PER_YEAR), war)}
        rows.append(nc)
        for g in goals:
            key = series_key(g.indicator, g.region or COUNTRY)
            s = _observed_series(obs, spec, key)
            fut = s.reindex(range(origin + 1, origin + LEAD + 1))
            if fut.isna().any():
                continue
            past = s.reindex(range(origin - g.sustain_months + 1, origin + 1))
            held = 0
            for v in past.to_numpy()[::-1]:
                if v != v or not _OPS[g.comparator](v, g.threshold):
                    break
                held += 1
            outcome = bool(_held_within(fut.to_numpy()[None, :], g.comparator, g.threshold, g.sustain_months, held)[0])
            for r in rows[-3:]:
                if r["method"] == "no_change":
                    p = float(held >= g.sustain_months)
                else:
                    members = fc[key] if r["method"] == "filter" else pr[key]
                    p = float(_held_within(members, g.comparator, g.threshold, g.sustain_months, held).mean())
                r[f"brier_goal_{g.id}"] = brier(p, outcome)
    return pd.DataFrame(rows)


def pooled(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean of each score by method (and by mission), goal Briers pooled into one ``brier_goals`` column."""
    s = scores.copy()
    goal_cols = [c for c in s.columns if c.startswith("brier_goal_")]
    s["brier_goals"] = s[goal_cols].mean(axis=1) if goal_cols else np.nan
    cols = ["crps_deaths", "brier_war_level", "brier_goals"]
    return s.groupby(["mission", "method"])[cols].mean().reset_index(), s.groupby("method")[cols].mean().reset_index()  # type: ignore[return-value]


class _Enough(Exception):
    """Stops the truth run once the observed and scored months are simulated."""


@dataclass
class TrialResult:
    coverage: dict[str, bool]
    """Quantity -> whether the truth lies in the filter's 90% posterior interval."""
    truth: dict[str, float]
    interval: dict[str, tuple[float, float]]
    crps_filter: float
    crps_prior: float


RECOVERED = {
    "spoilers": lambda st: st.spoilers.sum(axis=1),
    "war_rate": lambda st: st.war_rate,
    "arms_base": lambda st: st.arms_base,
    "legitimacy": lambda st: st.legitimacy,
}
"""The state and static inputs the synthetic check compares with the truth."""


def synthetic_trial(
    spec: MissionSpec,
    truth_seed: int,
    months: int = 36,
    particles: int = 1000,
    seed: int = 0,
    params: Parameters | None = None,
    om: ObservationModel | None = None,
    regional: bool = True,
    integrate_shock: bool = True,
    discount: float = FilterSettings.discount,
) -> TrialResult:
    """Simulate one run as the truth, observe its battle deaths for ``months`` with noise, filter, score.

    ``regional``: each region's deaths are observed (as from event data mapped
    to the spec's regions); otherwise the country's total only.
    ``integrate_shock`` and ``discount``: as in :class:`FilterSettings`.

    The truth is run 0 of seed ``truth_seed``; the filter's particles come from
    ``seed`` (a different seed: the truth is not one of them).  Coverage: is the
    truth at the last observed month inside the 5-95% range of the equally
    weighted particles?  Forecast: mean CRPS of country battle deaths over the
    12 months after, filter against the unconditioned ensemble (same seed,
    no observations).
    """
    params = params or load_parameters()
    om = om or ObservationModel()
    truth = RunBatch(ChunkJob(spec, params, truth_seed, 0, 1, 0))
    sc = truth.sc
    deaths: dict[int, np.ndarray] = {}
    total: dict[int, float] = {}
    captured: list[Any] = []

    def record(month: int, m: Month, alive: np.ndarray) -> None:
        if month < months + LEAD:
            deaths[month] = np.array([float(observed_value("battle_deaths", sc, truth.st, m, r)[0]) for r in range(sc.R)])
            total[month] = float(m.battle.sum())
        if month == months - 1:
            captured.append(truth.st.take(np.arange(1)))
        if month >= months + LEAD:
            raise _Enough

    try:
        truth.run(record)
    except _Enough:
        pass
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(truth_seed, spawn_key=(31,))))
    rows = []
    for month in range(months):
        if month not in deaths:
            break
        seen = deaths[month] if regional else np.array([deaths[month].sum()])
        noisy = simulate_observation(FAMILY["battle_deaths"], seen, om, rng)
        for r, rid in enumerate(spec.region_ids if regional else [COUNTRY]):
            rows.append({"month": model_month_to_period(spec, month), "region": rid, "indicator": "battle_deaths", "value": noisy[r], "source": "synthetic", "vintage": "", "uncertainty": np.nan})
    obs = pd.DataFrame(rows, columns=list(COLUMNS))
    settings = FilterSettings(particles=particles, seed=seed, observation=om, integrate_shock=integrate_shock, discount=discount)
    f = assimilate(spec, obs, settings, params, ahead_months=LEAD, ahead_series=("battle_deaths",), forecast_months=LEAD)
    prior = assimilate(spec, obs.iloc[0:0], settings, params, ahead_months=months + LEAD, ahead_series=("battle_deaths",), forecast_months=months + LEAD)
    coverage, truths, intervals = {}, {}, {}
    if captured and f.state_now is not None:
        for name, get in RECOVERED.items():
            true = float(get(captured[0])[0])
            lo, hi = (float(q) for q in np.quantile(get(f.state_now), [0.05, 0.95]))
            coverage[name], truths[name], intervals[name] = bool(lo - 1e-9 <= true <= hi + 1e-9), true, (lo, hi)
    fut = [total.get(months + h, np.nan) for h in range(LEAD)]
    cf = float(np.nanmean([crps_ensemble(f.ahead["battle_deaths"][:, h], fut[h]) for h in range(LEAD) if fut[h] == fut[h]]))
    cp = float(np.nanmean([crps_ensemble(prior.ahead["battle_deaths"][:, months + h], fut[h]) for h in range(LEAD) if fut[h] == fut[h]]))
    return TrialResult(coverage, truths, intervals, cf, cp)
