"""Sequential Monte Carlo over model runs: the simulated ensemble conditioned on what was observed.

Core objects: :class:`FilterSettings`, :func:`assimilate` and :class:`Filtered`.

Each particle is one run of the model: its state and its sampled uncertain
inputs, stepped by the engine's own monthly step (:class:`~endstate.engine.runner.RunBatch`,
on the engine's block seeding).  After each month with observations every
particle is weighted by the likelihood of what was observed
(:mod:`endstate.monitor.likelihood`); months without observations are simply
stepped.  When the effective sample size falls below ``ess_threshold`` x N the
particles are resampled (systematic resampling: the ``particles`` library's
inverse CDF fed this filter's own seeded uniforms) and the static inputs are
rejuvenated with Liu and West's (2001) shrinkage kernel, so that they do not
collapse onto a few values.  At the last observed month the particles are
resampled once more, so the forecast that follows is an equally weighted
ensemble.

Everything is drawn from streams derived from the seed, so the same seed gives
the same result.  The filter runs in one process: resampling couples all
particles every month, so they cannot be split into independent chunks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd
from particles import resampling as rs

from endstate.engine.runner import ChunkJob, RunBatch, outcomes_frame
from endstate.model.indicators import indicator
from endstate.model.params import Parameters, load_parameters
from endstate.model.scenario import Scenario
from endstate.model.state import State
from endstate.model.step import Month
from endstate.spec.models import MissionSpec

from .likelihood import FAMILY, ObservationModel, count_log_likelihood_marginal, log_likelihood
from .observations import COUNTRY

STATIC_INPUTS: dict[str, str] = {
    "war_rate": "log",
    "war_quantile": "logit",
    "static_hazard": "identity",
    "arms_base": "log",
    "need": "logit",
    "pay": "logit",
    "legitimacy0": "logit",
    "tension0": "logit",
    "support": "logit",
}
"""The state's fields drawn once per run from the spec's uncertain inputs, and the scale they are jittered on.

``war_quantile`` sets the intensity of every conflict the run resumes: without its own jitter, resampled copies
share it, and each time a particle's war ends and resumes its jittered ``war_rate`` is replaced by the
ancestor's, so the ensemble's war intensity collapses onto the few ancestors left (seen on MINUSCA: 5-95% of
war_rate within 3%, forecasts a fifth of the observed deaths)."""

REGULARISED: dict[str, str] = {
    "spoilers": "log",
    "arms": "log",
    "legitimacy": "logit",
    "consent": "logit",
    "tension": "logit",
}
"""Continuous dynamic state jittered with the same kernel after resampling (a regularised particle filter,
Musso, Oudjane & Le Gland 2001): without it, resampled copies share their state exactly and only the model's
own shocks separate them, so the ensemble collapses when several regions are observed each month."""

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_FILTER_KEY = 7_919
"""Spawn-key prefix of the filter's own streams (resampling and jitter); the engine's blocks use one-number keys."""


@dataclass(frozen=True)
class FilterSettings:
    """How the filter runs; each default with its reasoning."""

    particles: int = 5_000
    seed: int = 0
    ess_threshold: float = 0.5
    """Resample when ESS < this x N: the usual choice (Chopin & Papaspiliopoulos 2020, An Introduction to SMC, ch. 10)."""
    discount: float = 0.98
    """Liu & West (2001) discount factor delta; shrinkage a = (3 delta - 1) / (2 delta); they advise 0.95-0.99."""
    observation: ObservationModel = field(default_factory=ObservationModel)
    integrate_shock: bool = True
    """Weigh battle and civilian death counts with the month's violence shock integrated out
    (:func:`~endstate.monitor.likelihood.count_log_likelihood_marginal`); False weighs each particle's realised count,
    which makes the posterior too narrow when several regions are observed (docs/monitoring.md)."""

    @property
    def shrinkage(self) -> float:
        d = self.discount
        return (3 * d - 1) / (2 * d)


@dataclass
class Filtered:
    """The filter's result: diagnostics, monthly bands and the forecast ensemble."""

    spec: MissionSpec
    sc: Scenario
    settings: FilterSettings
    last_observed: int
    """Model month of the last observation used (-1: none)."""
    diagnostics: pd.DataFrame
    """Per observed month: month, date, observations, loglik (log of the mean likelihood), ess, resampled."""
    bands: pd.DataFrame
    """Per month and tracked series: weighted quantiles q05..q95 and mean."""
    outcomes: pd.DataFrame
    """The engine's outcome columns for each particle (equally weighted after the last observation)."""
    goal_held: np.ndarray
    """(N, G) first model month each goal had held for its sustain window, -1 if never."""
    goal_next: np.ndarray
    """(N, G) first model month after the last observed one in which each goal holds its sustain window, -1 if never."""
    war_within: dict[int, np.ndarray]
    """Months -> whether each particle is at war at some month in (last_observed, last_observed + months]."""
    ahead: dict[str, np.ndarray]
    """Series -> (N, months) simulated values for the months after the last observation (for scoring)."""
    state_now: State | None
    """The particles' state at the last observed month (equally weighted), for strategy comparisons."""
    meta: dict[str, Any] = field(default_factory=dict)

    def calendar(self, month: int) -> pd.Period:
        return model_month_to_period(self.spec, month)

    @property
    def log_evidence(self) -> float:
        return float(self.diagnostics["loglik"].sum()) if len(self.diagnostics) else 0.0


def period_to_model_month(spec: MissionSpec, p: pd.Period) -> int:
    s = spec.mission.start_date
    return (p.year - s.year) * 12 + (p.month - s.month)


def model_month_to_period(spec: MissionSpec, month: int) -> pd.Period:
    return pd.Period(spec.mission.start_date, freq="M") + month


def series_key(indicator_name: str, region: str) -> str:
    return indicator_name if region == COUNTRY else f"{indicator_name}@{region}"


def observed_value(name: str, sc: Scenario, st: State, m: Month, region: int) -> np.ndarray:
    """The model's counterpart of an observed indicator, per particle."""
    if name == "personnel":
        return m.headcount
    return indicator(name, sc, st, m, region)


SHOCKED = {"battle_deaths": "expected_battle", "civilian_deaths": "expected_civilian"}
"""Counts the model draws as expected deaths times the month's violence shock, and the Month field of the expectation."""


def expected_count(name: str, m: Month, region: int, shock_sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """A shocked count's expectation before the shock and the variance the shock adds, per particle.

    Each region has its own shock (independent, mean one, lognormal ``shock_sigma``), so
    a country total's variance is the regions' sum.
    """
    e = getattr(m, SHOCKED[name])
    v = np.expm1(shock_sigma * shock_sigma)
    if region >= 0:
        return e[:, region], v * e[:, region] ** 2
    return e.sum(axis=1), v * (e * e).sum(axis=1)


def _inside(x: np.ndarray, how: str) -> np.ndarray:
    """Entries strictly inside the scale's domain; those on a bound (no spoilers left, legitimacy 0) stay put."""
    if how == "log":
        return x > 0
    if how == "logit":
        return (x > 0) & (x < 1)
    return np.isfinite(x)


def _transform(x: np.ndarray, how: str) -> np.ndarray:
    if how == "log":
        return np.log(np.where(x > 0, x, 1.0))
    if how == "logit":
        p = np.where((x > 0) & (x < 1), x, 0.5)
        return np.log(p / (1 - p))
    return x


def _inverse(y: np.ndarray, how: str) -> np.ndarray:
    if how == "log":
        return np.exp(y)
    if how == "logit":
        return 1.0 / (1.0 + np.exp(-y))
    return y


def rejuvenate(st: State, a: float, rng: np.random.Generator) -> None:
    """Liu-West kernel on the static inputs and the continuous state (equally weighted particles).

    Shrinks towards the mean, then jitters, on each input's own scale (log or
    logit), keeping its mean and variance across particles.  Moments are taken
    over the entries inside the scale's domain, and entries on a bound (a
    region without spoilers, legitimacy at 0) are left as they are: mixing them
    in would drag every other particle towards the bound.  An input every
    particle shares (a point value in the spec) is left as it is.
    """
    h = np.sqrt(max(1.0 - a * a, 0.0))
    for name, how in (STATIC_INPUTS | REGULARISED).items():
        x = getattr(st, name)
        inside = _inside(x, how)
        y = _transform(x, how)
        count = np.maximum(inside.sum(axis=0), 1)
        mean = np.where(inside, y, 0.0).sum(axis=0) / count
        sd = np.sqrt(np.where(inside, (y - mean) ** 2, 0.0).sum(axis=0) / count)
        moved = _inverse(a * y + (1 - a) * mean + h * sd * rng.standard_normal(y.shape), how)
        setattr(st, name, np.where(inside, moved, x))


def _permute(st: State, idx: np.ndarray) -> None:
    for f in fields(State):
        setattr(st, f.name, getattr(st, f.name)[idx])


def systematic(W: np.ndarray, u: float) -> np.ndarray:
    """Systematic resampling with the uniform ``u``: ``particles``' inverse CDF at (u + k) / N."""
    n = W.shape[0]
    return np.asarray(rs.inverse_cdf((u + np.arange(n)) / n, W), dtype=np.int64)


def _weighted_quantiles(W: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.asarray(rs.wquantiles(W, x, alphas=QUANTILES))


def assimilate(
    spec: MissionSpec,
    obs: pd.DataFrame,
    settings: FilterSettings | None = None,
    params: Parameters | None = None,
    until: pd.Period | None = None,
    ahead_months: int = 24,
    ahead_series: Sequence[str] = ("battle_deaths",),
    horizon: int | None = None,
    forecast_months: int | None = None,
) -> Filtered:
    """Filter ``spec``'s runs on ``obs`` (the tidy frame) up to ``until`` (default: the last observation), then forecast.

    ``ahead_series`` (indicator or ``indicator@region`` keys) are kept per
    particle for the ``ahead_months`` after the last observed month.  With
    ``forecast_months`` the runs stop that many months after the last observed
    month (0: filtering only; their outcome columns are then partial); by
    default they run to their end.
    """
    settings = settings or FilterSettings()
    params = params or load_parameters()
    n = settings.particles
    batch = RunBatch(ChunkJob(spec, params, settings.seed, 0, n, 0, horizon))
    sc = batch.sc
    ridx = {r: i for i, r in enumerate(spec.region_ids)}
    used = without_double_counts(obs if until is None else obs[obs["month"] <= until], spec)
    mm = used["month"].map(lambda p: period_to_model_month(spec, p)).to_numpy(dtype=np.int64)
    keep = (mm >= 0) & (mm < batch.max_months)
    used, mm = used[keep], mm[keep]
    by_month: dict[int, list[tuple[str, int, float, float]]] = {}
    for t, ind, reg, val, unc in zip(mm, used["indicator"], used["region"], used["value"], used["uncertainty"], strict=True):
        by_month.setdefault(int(t), []).append((str(ind), -1 if reg == COUNTRY else ridx[reg], float(val), float(unc)))
    last = max(by_month) if by_month else -1

    tracked: dict[str, tuple[str, int]] = {}
    for ind, reg in zip(used["indicator"], used["region"], strict=True):
        tracked[series_key(ind, reg)] = (ind, -1 if reg == COUNTRY else ridx[reg])
    for g in spec.goals:
        tracked[series_key(g.indicator, g.region or COUNTRY)] = (g.indicator, -1 if g.region is None else ridx[g.region])
    tracked.setdefault("battle_deaths", ("battle_deaths", -1))
    for key in ahead_series:
        ind, _, reg = key.partition("@")
        tracked.setdefault(key, (ind, ridx[reg] if reg else -1))

    lw = np.zeros(n)
    diag: list[dict[str, Any]] = []
    band_rows: list[dict[str, Any]] = []
    war_within = {12: np.zeros(n, dtype=bool), 24: np.zeros(n, dtype=bool)}
    ahead = {k: np.full((n, ahead_months), np.nan) for k in ahead_series}
    goal_next = np.full((n, len(spec.goals)), -1, dtype=np.int64)
    now: list[State] = []
    om, a = settings.observation, settings.shrinkage
    sigma = float(batch.pv.violence_shock_sigma)

    def rng_for(month: int) -> np.random.Generator:
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(settings.seed, spawn_key=(_FILTER_KEY, month))))

    def record(month: int, m: Month, alive: np.ndarray) -> None:
        nonlocal lw
        st = batch.st
        values = {k: observed_value(ind, sc, st, m, r) for k, (ind, r) in tracked.items()}
        if month in by_month and month <= last:
            inc = np.zeros(n)
            for ind, r, val, unc in by_month[month]:
                if settings.integrate_shock and ind in SHOCKED and getattr(m, SHOCKED[ind]) is not None:
                    mean, shock_var = expected_count(ind, m, r, sigma)
                    inc += count_log_likelihood_marginal(val, mean, shock_var, om)
                    continue
                sim = values[series_key(ind, spec.region_ids[r] if r >= 0 else COUNTRY)]
                inc += log_likelihood(FAMILY[ind], val, sim, unc, om)
            before = rs.log_sum_exp(lw)
            lw = lw + inc
            loglik = float(rs.log_sum_exp(lw) - before)
            ess = float(rs.essl(lw))
            W = rs.exp_and_normalise(lw)
            for k, v in values.items():
                _bands(band_rows, month, k, W, v, alive)
            resample = ess < settings.ess_threshold * n or month == last
            if resample:
                rng = rng_for(month)
                idx = systematic(W, float(rng.random()))
                _permute(st, idx)
                rejuvenate(st, a, rng)
                lw = np.zeros(n)
            diag.append({"month": month, "date": str(model_month_to_period(spec, month)), "observations": len(by_month[month]), "loglik": loglik, "ess": ess, "resampled": resample})
        else:
            W = rs.exp_and_normalise(lw)
            for k, v in values.items():
                _bands(band_rows, month, k, W, v, alive)
        if month == last:
            now.append(st.take(np.arange(n)))
        if month > last:
            fresh = (st.goal_count >= sc.goal_sustain[None, :]) & (goal_next < 0)
            goal_next[fresh] = month
            for span, flag in war_within.items():
                if month <= last + span:
                    flag |= st.at_war
            h = month - last - 1
            if h < ahead_months:
                for k in ahead_series:
                    ahead[k][:, h] = values[k]
        if forecast_months is not None and month >= last + forecast_months:
            raise _Done

    try:
        batch.run(record)
    except _Done:
        pass
    diagnostics = pd.DataFrame(diag, columns=["month", "date", "observations", "loglik", "ess", "resampled"])
    bands = pd.DataFrame(band_rows)
    batch.close_windows()  # stepping may have stopped before the fixed windows' ends
    outcomes = pd.DataFrame(outcomes_frame(sc, batch.st, 0, batch.windows))
    return Filtered(
        spec, sc, settings, last, diagnostics, bands, outcomes, batch.st.goal_met_month.copy(), goal_next, war_within, ahead, now[0] if now else None,
        {"particles": n, "seed": settings.seed, "observations_used": int(len(used)), "observations_before_start": int((~keep).sum())},
    )


class _Done(Exception):
    """Stops the runs once the months asked for are simulated."""


def without_double_counts(obs: pd.DataFrame, spec: MissionSpec) -> pd.DataFrame:
    """Drop a count's country row where the same source gives it for every region that month.

    The country figure of a count is then the regions' sum (plus events with no
    admin-1), and weighting by both would count the same deaths twice.
    """
    if obs.empty:
        return obs
    counts = obs["indicator"].map(FAMILY) == "negbin"
    regional = obs[counts & (obs["region"] != COUNTRY)]
    covered = regional.groupby(["month", "indicator", "source"])["region"].nunique()
    full = set(covered[covered >= len(spec.region_ids)].index)
    keys = list(zip(obs["month"], obs["indicator"], obs["source"], strict=True))
    drop = counts.to_numpy() & (obs["region"] == COUNTRY).to_numpy() & np.array([k in full for k in keys], dtype=bool)
    return obs[~drop]


BAND_MIN_SHARE = 0.5
"""Bands are drawn for months in which at least this share of the particles is still observed
(the convention of the strategy report's fan charts)."""


def _bands(rows: list[dict[str, Any]], month: int, key: str, W: np.ndarray, v: np.ndarray, alive: np.ndarray) -> None:
    """Append the month's weighted band of ``v`` over the particles still observed."""
    if alive.mean() < BAND_MIN_SHARE:
        return
    w = W * alive
    rows.append(_band(month, key, w / w.sum(), v) if w.sum() > 0 else _band(month, key, W, v))


def _band(month: int, key: str, W: np.ndarray, v: np.ndarray) -> dict[str, Any]:
    q = _weighted_quantiles(W, v)
    row: dict[str, Any] = {"month": month, "series": key, "mean": float(np.dot(W, v))}
    row.update({f"q{int(p * 100):02d}": float(x) for p, x in zip(QUANTILES, q, strict=True)})
    return row
