"""Backtests: the model run on historical peace spells and scored against what happened.

Core objects: :func:`record_paths` (a spec's simulated peace paths: what the
relapse hazard reads each month), :class:`SpellRuns` and :func:`simulate_spells`
(every spell of a file, spells of one :class:`~endstate.experiments.spell_mission.SpellShape`
sharing runs), :func:`survival` (each spell's predicted probability of no
relapse month by month, for any parameter values), :func:`backtest` (the whole
scoring: per-case probabilities, Brier scores against the base rate, Harrell's
concordance index, Kaplan-Meier comparisons, all from
:mod:`endstate.outcomes.survival`) and :func:`html_report`.

Why paths.  Before a relapse, nothing in a run depends on the relapse
parameters: the hazard reads the state, the state never reads the hazard.  So
each spell shape is simulated once with relapse switched off, recording per
run and month the inputs of :func:`endstate.model.relapse.hazard` (hold-out
fighters, coverage, violence, legitimacy) and the engine's own relapse draw.
The hazard of any spell of that shape, under any parameter values, follows
exactly; the engine's relapse month is the first month whose draw falls under
it (the test suite checks this run by run against :func:`simulate`).  The
predictions use the expectation over those draws: along each path the chance of
no relapse through month ``t`` is ``prod(1 - h)``, averaged over runs.  That is
the engine's relapse probability without the sampling noise of the draws, and
smooth in the parameters, which is what calibration needs.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.special import ndtr

from endstate.data.spells import prior_relapses
from endstate.engine.executors import make_executor
from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model import elections, relapse
from endstate.model.params import Parameters, load_parameters
from endstate.model.state import DONE
from endstate.model.step import Month
from endstate.model.violence import violence_index, war_log_intensity
from endstate.outcomes.survival import base_rate, brier, c_index, relapsed_by, survival_before
from endstate.spec.models import MissionSpec
from endstate.types import WAR_OUTCOMES

from .spell_mission import SpellShape, SpellStatic, months_between, observed_months, shape_spec, spell_inputs

HORIZON_MONTHS = 120
"""Months simulated from each spell's start: ten years, the longest horizon scored."""
CASE_YEARS = (1, 2, 5)
BRIER_YEARS = (2, 5)
SURVIVAL_YEARS = (1, 2, 5, 10)
RELAPSE_OFF = 1e-300
"""Relapse base rate while recording paths: a hazard that never fires."""
EntryRule = Literal["none", "ucdp"]
ENTRY_RULES: tuple[str, ...] = ("none", "ucdp")
PEACEKEEPING_TYPES = frozenset({"observer", "traditional", "multidimensional", "enforcement"})
"""Mission types with uniformed peacekeepers ('political' missions and 'none' have none)."""


@dataclass
class HazardPaths:
    """What the relapse hazard reads in each of N runs and T months of one spec, relapse switched off."""

    fighters: np.ndarray  # (N, T) hold-out fighters per 1,000 inhabitants
    coverage: np.ndarray  # (N, T) population-weighted security coverage
    deterrence: np.ndarray  # (N, T) the mission's deterrence (mechanism 2a)
    battle_factor: np.ndarray  # (N, T) the mission's factor on battle deaths (how intense a resumed conflict would be)
    violence: np.ndarray  # (N, T) population-weighted violence index
    legitimacy: np.ndarray  # (N, T)
    alive: np.ndarray  # (N, T) bool: the run was still observed that month
    u: np.ndarray  # (N, T) the engine's relapse draws
    election_months: np.ndarray  # (E,)


class _Tap:
    """Passes a run batch's random streams through, keeping the last month's uniforms."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.u: np.ndarray | None = None

    def initial(self, width: int) -> np.ndarray:
        return self.inner.initial(width)  # type: ignore[no-any-return]

    def month(self, wz: int, wu: int, wc: int, rows: np.ndarray | None = None, out: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        z, u, uc = self.inner.month(wz, wu, wc, rows=rows, out=out)
        self.u = u
        return z, u, uc


def record_paths(spec: MissionSpec, runs: int, seed: int, months: int, params: Parameters | None = None) -> HazardPaths:
    """Simulate ``runs`` runs of ``spec`` for ``months`` months with relapse switched off and record the hazard's inputs.

    Runs are the engine's runs ``0..runs-1`` for ``seed``: the same baseline
    draws and monthly shocks as :func:`endstate.engine.runner.simulate`.
    """
    params = (params or load_parameters()).with_values(
        relapse_base_settlement=RELAPSE_OFF, relapse_base_truce=RELAPSE_OFF, relapse_base_victory=RELAPSE_OFF
    )
    batch = RunBatch(ChunkJob(spec, params, seed, 0, runs, 0))
    tap = _Tap(batch.streams)
    batch.streams = tap  # type: ignore[assignment]
    batch.max_months = months
    sc, st = batch.sc, batch.st
    cols: dict[str, np.ndarray] = {
        k: np.zeros((runs, months)) for k in ("fighters", "coverage", "deterrence", "battle_factor", "violence", "legitimacy", "u")
    }
    alive = np.zeros((runs, months), dtype=bool)
    ru = 2 * sc.R
    observed = np.ones(runs, dtype=bool)  # the engine's `alive` at the start of the coming month

    def record(month: int, m: Month, *_: object) -> None:  # engines may pass more (e.g. which runs were alive)
        assert tap.u is not None
        per100k = (m.battle + m.civilian) / sc.pop * 1e5
        cols["fighters"][:, month] = (st.spoilers / (sc.pop / 1000.0)) @ sc.share
        cols["coverage"][:, month] = m.coverage @ sc.share
        assert m.mission is not None
        cols["deterrence"][:, month] = m.mission.deterrence
        cols["battle_factor"][:, month] = m.mission.battle
        cols["violence"][:, month] = violence_index(per100k, batch.pv.violence_index_scale) @ sc.share
        cols["legitimacy"][:, month] = st.legitimacy
        cols["u"][:, month] = tap.u[:, ru]
        alive[:, month] = observed
        observed[:] = st.status < DONE

    batch.run(record)
    return HazardPaths(alive=alive, election_months=sc.election_months, **cols)


def static_hazards(statics: Sequence[SpellStatic], params: Parameters) -> np.ndarray:
    """The static part of each spell's log hazard (how the war ended, its size and length, identity, the country's earlier
    failed peaces), as the engine computes it."""
    b_d, b_t, b_i = params.v("relapse_log_deaths"), params.v("relapse_log_duration"), params.v("relapse_identity")
    b_p = params.v("relapse_prior_relapses")
    return np.array(
        [
            relapse.static_log_hazard(
                np.array([s.war_deaths]), np.array([s.war_years]), s.identity, params.v(f"relapse_base_{s.war_outcome}"), b_d, b_t, b_i,
                s.prior_relapses, b_p,
            )[0]
            for s in statics
        ]
    )


def reach_share(log_intensity: np.ndarray, battle_factor: np.ndarray, threshold: np.ndarray, sigma: float) -> np.ndarray:
    """(S, N, T): the chance that a conflict resuming along each path reaches ``threshold`` battle deaths in a year.

    A resumed conflict kills ``exp(mu + sigma * z)`` a year times the mission's
    factor on battle deaths (mechanism 2): it reaches ``threshold`` when ``z >=
    (ln threshold - ln factor - mu) / sigma``.  (A year of the conflict at its
    rate: a conflict that ends within months, or resumes late in a calendar
    year, may fall short; the engine's outcomes measure the calendar years.)
    """
    z = (np.log(threshold)[:, None, None] - np.log(np.maximum(battle_factor, 1e-300))[None] - log_intensity[:, None, None]) / sigma
    return ndtr(-z)  # type: ignore[no-any-return]


def monthly_hazard(
    paths: HazardPaths, static: np.ndarray, params: Parameters, log_intensity: np.ndarray | None = None, threshold: np.ndarray | None = None
) -> np.ndarray:
    """(S, N, T) relapse hazard of S spells (static parts ``static``) along the recorded paths; 0 where unobserved.

    With ``threshold`` (and the spells' ``log_intensity``, see
    :func:`endstate.model.violence.war_log_intensity`), the hazard of a relapse
    that reaches that many battle deaths in a year: a relapse as a source with
    that definition would record it.
    """
    months = np.arange(paths.u.shape[1])
    el = np.array(
        [
            elections.log_ratio(
                int(m), paths.election_months, params.v("election_hazard_ratio"), params.v("election_window_months"), params.v("election_early_years")
            )
            for m in months
        ]
    )
    pv = SimpleNamespace(**{n: params.v(n) for n in params.names()})
    h = relapse.hazard(
        static[:, None, None], months, paths.fighters, paths.coverage, paths.deterrence, paths.violence, paths.legitimacy, el,  # type: ignore[arg-type]
        relapse.RelapseParams.of(pv),
    )
    if threshold is not None:
        assert log_intensity is not None, "a relapse definition needs the spells' war intensity"
        h = h * reach_share(log_intensity, paths.battle_factor, threshold, params.v("war_intensity_sigma"))
    return np.where(paths.alive[None], h, 0.0)


def path_survival(
    paths: HazardPaths, static: np.ndarray, params: Parameters, log_intensity: np.ndarray | None = None,
    threshold: np.ndarray | None = None, block: int = 64,
) -> np.ndarray:
    """(S, T): probability of no relapse (with ``threshold``: none reaching it) in months ``0..t``, averaged over the runs."""
    out = np.empty((static.shape[0], paths.u.shape[1]))
    for a in range(0, static.shape[0], block):
        sl = slice(a, a + block)
        h = monthly_hazard(
            paths, static[sl], params, None if log_intensity is None else log_intensity[sl], None if threshold is None else threshold[sl]
        )
        with np.errstate(divide="ignore"):
            out[a : a + block] = np.exp(np.cumsum(np.log1p(-h), axis=2)).mean(axis=1)
    return out


def relapse_months(paths: HazardPaths, static: np.ndarray, params: Parameters) -> np.ndarray:
    """(S, N): the month the engine's draws put each run's relapse in (-1: none), as :func:`simulate` would."""
    hit = paths.u[None] < monthly_hazard(paths, static, params)
    return np.where(hit.any(axis=2), hit.argmax(axis=2), -1)


@dataclass
class SpellRuns:
    """Simulated paths for every spell of a file (spells of one shape share them)."""

    spells: pd.DataFrame
    shapes: list[SpellShape]
    statics: list[SpellStatic]
    group: np.ndarray  # (S,) index into paths
    paths: list[HazardPaths]
    months: np.ndarray  # (S,) months observed (to relapse or censoring)
    event: np.ndarray  # (S,) bool: relapsed
    entry: np.ndarray  # (S,) first month a relapse can be recorded (see :func:`entry_months`)
    threshold: np.ndarray  # (S,) battle deaths in a year that the spell's source counts as a relapse (:func:`relapse_thresholds`)
    horizon: int
    runs: int
    seed: int

    def subset(self, mask: np.ndarray) -> SpellRuns:
        """The spells where ``mask`` holds (paths shared, not copied)."""
        idx = np.flatnonzero(mask)
        return SpellRuns(
            self.spells.iloc[idx].reset_index(drop=True), [self.shapes[i] for i in idx], [self.statics[i] for i in idx],
            self.group[idx], self.paths, self.months[idx], self.event[idx], self.entry[idx], self.threshold[idx], self.horizon, self.runs,
            self.seed,
        )


@dataclass
class _Job:
    spec: MissionSpec
    runs: int
    seed: int
    months: int
    params: Parameters


def _record(job: _Job) -> HazardPaths:
    return record_paths(job.spec, job.runs, job.seed, job.months, job.params)


RELAPSE_DEFINITIONS: dict[str, float] = {"conflict": 25.0, "war": 1000.0}
"""What a spell file's ``relapse_definition`` may say: ``conflict`` (a calendar year with 25 battle deaths, UCDP's
armed conflict) or ``war`` (1,000, the Correlates of War and Doyle & Sambanis), or a number of battle deaths."""
DEFAULT_RELAPSE_DEFINITION = "conflict"
"""A spell file without the column, or an empty cell: UCDP's definition, the one the project's own spell builder
from UCDP data uses (the calibration's Doyle & Sambanis spells say ``war``)."""


def relapse_thresholds(spells: pd.DataFrame) -> np.ndarray:
    """(S,) the battle deaths in a year each spell's source counts as a relapse, from ``relapse_definition``."""
    if "relapse_definition" not in spells.columns:
        return np.full(len(spells), RELAPSE_DEFINITIONS[DEFAULT_RELAPSE_DEFINITION])
    out = []
    for v in spells["relapse_definition"]:
        key = DEFAULT_RELAPSE_DEFINITION if v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "" else str(v).strip()
        if key in RELAPSE_DEFINITIONS:
            out.append(RELAPSE_DEFINITIONS[key])
            continue
        try:
            out.append(float(key))
        except ValueError:
            raise ValueError(f"relapse_definition {key!r} is not one of {', '.join(RELAPSE_DEFINITIONS)} or a number of battle deaths") from None
        if not out[-1] > 0:
            raise ValueError(f"relapse_definition {key!r} must be a positive number of battle deaths")
    return np.array(out, dtype=float)


def entry_months(spells: pd.DataFrame, rule: EntryRule = "none") -> np.ndarray:
    """The first month of each spell in which its source could record a relapse.

    ``"none"``: month 0.  ``"ucdp"``: UCDP ends a conflict episode only after a
    calendar year with fewer than 25 battle deaths and starts a new one only
    after that, so no relapse can be coded before 1 January of the second year
    after the war's end; a spell that had relapsed sooner would never have
    been coded as a spell.  Predictions are then conditioned on no relapse
    before that month (see :func:`survival`).
    """
    if rule == "none" or spells.empty:
        return np.zeros(len(spells), dtype=np.int64)
    starts = pd.to_datetime(spells["peace_start"])
    return np.array([months_between(d.date(), dt.date(d.year + 2, 1, 1)) for d in starts], dtype=np.int64)


def simulate_spells(
    spells: pd.DataFrame,
    runs: int = 200,
    seed: int = 0,
    horizon: int = HORIZON_MONTHS,
    params: Parameters | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    entry: EntryRule = "none",
) -> SpellRuns:
    """Simulate every spell of ``spells`` (:func:`~endstate.data.read_spells`'s frame) for ``horizon`` months.

    ``progress(done, total)`` counts spells.  Each distinct shape is one job of
    ``runs`` runs with ``seed``; jobs run on ``workers`` processes.  ``entry``
    names the source's rule for the first month a relapse can be recorded
    (:func:`entry_months`).  Each spell's earlier failed peaces in its country
    come from the whole of ``spells`` (:func:`endstate.data.spells.prior_relapses`),
    so pass the whole file, not a part of it.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    params = params or load_parameters()
    spells = spells.assign(prior_relapses=prior_relapses(spells))
    rows = spells.to_dict("records")
    inputs = [spell_inputs(r, horizon) for r in rows]
    shapes = [s for s, _ in inputs]
    statics = [t for _, t in inputs]
    index: dict[SpellShape, int] = {}
    jobs: list[_Job] = []
    for i, (shape, static) in enumerate(inputs):
        if shape not in index:
            index[shape] = len(jobs)
            r = rows[i]
            spec = shape_spec(shape, static, pd.Timestamp(r["peace_start"]).date(), str(r["country"]), str(r["case_id"]))
            jobs.append(_Job(spec, runs, seed, horizon, params))
    group = np.array([index[s] for s in shapes], dtype=np.int64)
    sizes = np.bincount(group, minlength=len(jobs))
    done = [0]

    def on_done(j: int) -> None:
        done[0] += int(sizes[j])
        if progress:
            progress(done[0], len(rows))

    paths = make_executor(workers).map(_record, jobs, on_done) if jobs else []
    months = np.array([observed_months(r) for r in rows], dtype=np.int64)
    event = spells["relapsed"].to_numpy().astype(bool) if len(rows) else np.zeros(0, dtype=bool)
    return SpellRuns(
        spells.reset_index(drop=True), shapes, statics, group, paths, months, event, entry_months(spells, entry), relapse_thresholds(spells),
        horizon, runs, seed,
    )


def survival(sr: SpellRuns, params: Parameters | None = None) -> np.ndarray:
    """(S, T) each spell's predicted probability of no relapse recorded through month ``t`` under ``params``.

    Where a spell's source cannot record a relapse before month ``e`` (its
    entry), the prediction is conditioned on no relapse before it:
    ``S(t) / S(e - 1)`` from month ``e`` on, 1 before.
    """
    params = params or load_parameters()
    static = static_hazards(sr.statics, params)
    mu = war_log_intensity(np.array([s.war_deaths for s in sr.statics]), params.v("war_intensity_intercept"), params.v("war_intensity_slope"))
    out = np.empty((len(sr.statics), sr.horizon))
    for g in np.unique(sr.group):
        idx = np.flatnonzero(sr.group == g)
        out[idx] = path_survival(sr.paths[g], static[idx], params, mu[idx], sr.threshold[idx])
    e = np.minimum(sr.entry, sr.horizon)
    late = e > 0
    if late.any():
        before = out[late, e[late] - 1][:, None]
        t = np.arange(sr.horizon)[None, :]
        out[late] = np.where(t < e[late][:, None], 1.0, out[late] / np.maximum(before, 1e-300))
    return out


# --------------------------------------------------------------------------- scoring


def peacekeepers(mission_type: pd.Series) -> pd.Series:
    return mission_type.isin(PEACEKEEPING_TYPES).map({True: "with peacekeepers", False: "without peacekeepers"})


@dataclass
class BacktestResult:
    """Per-case predictions, overall metrics and survival comparisons of one backtest."""

    cases: pd.DataFrame
    metrics: dict[str, float]
    survival: pd.DataFrame
    calibration: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    curves: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types; a score that cannot be computed (no spell known at a horizon) is ``None``."""
        cases = self.cases.assign(peace_start=self.cases["peace_start"].dt.strftime("%Y-%m-%d"))
        return _finite(
            {
                "metrics": self.metrics,
                "cases": cases.to_dict("records"),
                "survival": self.survival.to_dict("records"),
                "calibration": self.calibration.to_dict("records"),
                "meta": self.meta,
            }
        )


def _finite(x: Any) -> Any:
    """``x`` with NaN replaced by ``None`` and numpy scalars by Python ones (JSON has no NaN)."""
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_finite(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x


def score(sr: SpellRuns, surv: np.ndarray, base_rates: dict[int, float] | None = None) -> BacktestResult:
    """Score predictions ``surv`` (:func:`survival`) against the spells' outcomes.

    ``base_rates`` maps a horizon in years to the base rate to compare with
    (e.g. from a training set); by default each is the share relapsed in these
    spells themselves.
    """
    months, event, T = sr.months, sr.event, sr.horizon
    sp = sr.spells
    cases = pd.DataFrame(
        {
            "case_id": sp["case_id"].astype(str),
            "country": sp["country"].astype(str),
            "peace_start": pd.to_datetime(sp["peace_start"]),
            "war_outcome": sp["war_outcome"].astype(str),
            "mission_type": sp["mission_type"].astype(str),
            "observed_months": months,
            "relapsed": event.astype(int),
        }
    )
    for y in (*CASE_YEARS, 10):
        if 12 * y <= T:
            cases[f"p_relapse_{y}y"] = 1.0 - surv[:, 12 * y - 1]
    metrics: dict[str, float] = {"spells": float(len(sp)), "relapsed": float(event.sum())}
    for y in BRIER_YEARS:
        k = 12 * y
        if k > T:
            continue
        p = 1.0 - surv[:, k - 1]
        b, n = brier(p, months, event, k)
        base = (base_rates or {}).get(y, base_rate(months, event, k))
        b0, _ = brier(np.full(len(p), base), months, event, k)
        metrics |= {f"brier_{y}y": b, f"brier_{y}y_base": b0, f"base_rate_{y}y": base, f"known_{y}y": float(n)}
    time = np.minimum(months, T)
    metrics["c_index"] = c_index(1.0 - surv[:, T - 1], time, event & (months < T))
    rows = []
    curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    groups = {"war_outcome": cases["war_outcome"], "peacekeepers": peacekeepers(cases["mission_type"])}
    years = [y for y in SURVIVAL_YEARS if 12 * y <= T]
    for by, key in groups.items():
        for value in sorted(key.unique()):
            m = (key == value).to_numpy()
            km = survival_before(months[m], event[m], [12 * y for y in years])
            pred = surv[m].mean(axis=0)
            curves[f"{by}={value}"] = (survival_before(months[m], event[m], list(range(T + 1))), np.concatenate([[1.0], pred]))
            for y, o in zip(years, km, strict=True):
                rows.append({"by": by, "group": value, "spells": int(m.sum()), "years": y, "observed": float(o), "predicted": float(pred[12 * y - 1])})
    return BacktestResult(cases, metrics, pd.DataFrame(rows), calibration_bins(surv, months, event, T), {"runs": sr.runs, "seed": sr.seed, "horizon_months": T, "entry_months_max": int(sr.entry.max(initial=0))}, curves)


def calibration_bins(surv: np.ndarray, months: np.ndarray, event: np.ndarray, T: int, n_bins: int = 5) -> pd.DataFrame:
    """Spells known either way, in quantile bins of predicted relapse: mean prediction against observed share."""
    rows = []
    for y in BRIER_YEARS:
        k = 12 * y
        if k > T:
            continue
        p = 1.0 - surv[:, k - 1]
        obs, known = relapsed_by(months, event, k)
        if not known.any():
            continue
        pk, ok = p[known], obs[known]
        edges = np.unique(np.quantile(pk, np.linspace(0, 1, n_bins + 1)))
        which = np.clip(np.searchsorted(edges, pk, side="right") - 1, 0, max(len(edges) - 2, 0))
        for b in np.unique(which):
            m = which == b
            rows.append({"years": y, "bin": int(b), "spells": int(m.sum()), "predicted": float(pk[m].mean()), "observed": float(ok[m].mean())})
    return pd.DataFrame(rows, columns=["years", "bin", "spells", "predicted", "observed"])


def backtest(
    spells: pd.DataFrame,
    runs: int = 200,
    seed: int = 0,
    params: Parameters | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    horizon: int = HORIZON_MONTHS,
    entry: EntryRule = "none",
) -> BacktestResult:
    """Simulate and score every spell of ``spells`` (``entry``: see :func:`entry_months`)."""
    params = params or load_parameters()
    sr = simulate_spells(spells, runs, seed, horizon, params, workers, progress, entry)
    return score(sr, survival(sr, params))


# --------------------------------------------------------------------------- report


def figure_png(result: BacktestResult, title: str = "") -> bytes:
    """Calibration at 2 and 5 years, and observed (Kaplan-Meier) against predicted survival by how the war ended."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    for ax, y in zip(axes[:2], BRIER_YEARS, strict=True):
        c = result.calibration[result.calibration["years"] == y]
        ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--")
        ax.scatter(c["predicted"], c["observed"], s=20 + 2 * c["spells"], color="C0", alpha=0.8)
        for _, r in c.iterrows():
            ax.annotate(str(int(r["spells"])), (r["predicted"], r["observed"]), textcoords="offset points", xytext=(6, -4), fontsize=8)
        ax.set(xlim=(0, 1), ylim=(0, 1), xlabel=f"predicted P(relapse within {y} years)", ylabel="observed share", title=f"calibration, {y} years")
    ax = axes[2]
    for i, outcome in enumerate(WAR_OUTCOMES):
        key = f"war_outcome={outcome}"
        if key not in result.curves:
            continue
        km, pred = result.curves[key]
        t = np.arange(km.shape[0]) / 12.0
        ax.step(t, km, where="post", color=f"C{i}", label=f"{outcome}: observed")
        ax.plot(t, pred, color=f"C{i}", ls="--", label=f"{outcome}: model")
    ax.set(ylim=(0, 1.02), xlabel="years since the war ended", ylabel="share still at peace", title="survival by how the war ended")
    ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def _table(df: pd.DataFrame, floats: str = "{:.3f}") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for _, r in df.iterrows():
        cells = "".join(f"<td>{html.escape(floats.format(v) if isinstance(v, float) else str(v))}</td>" for v in r)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def html_report(result: BacktestResult, source: str) -> str:
    """A self-contained HTML page: metrics, survival comparisons, the calibration figure and every case."""
    m = result.metrics
    png = base64.b64encode(figure_png(result)).decode("ascii")
    metric_rows = pd.DataFrame(
        [
            {"metric": f"Brier score, relapse within {y} years", "model": m.get(f"brier_{y}y"), "base rate": m.get(f"brier_{y}y_base"),
             "spells known": int(m.get(f"known_{y}y", 0))}
            for y in BRIER_YEARS
        ]
        + [{"metric": "concordance index (Harrell's C, 10 years)", "model": m["c_index"], "base rate": 0.5, "spells known": int(m["spells"])}]
    )
    surv = result.survival.pivot_table(index=["by", "group", "spells"], columns="years", values=["observed", "predicted"]).reset_index()
    surv.columns = [f"{a} {b}y" if b != "" else str(a) for a, b in surv.columns]
    cases = result.cases.assign(peace_start=result.cases["peace_start"].dt.strftime("%Y-%m-%d"))
    meta = result.meta
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>endstate backtest: {html.escape(source)}</title>
<style>body{{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0;font-size:13px}}
td,th{{border:1px solid #ccc;padding:3px 7px;text-align:right}}th{{background:#f3f3f3}}td:first-child,th:first-child{{text-align:left}}</style></head>
<body>
<h1>Backtest of {html.escape(source)}</h1>
<p>{int(m['spells'])} peace spells, {int(m['relapsed'])} relapsed; {meta.get('runs')} simulated runs per spell shape, seed {meta.get('seed')},
{meta.get('horizon_months')} months simulated from each spell's start.  Brier scores count only the spells known either way at the horizon
(relapsed by then, or observed at least that long); the base rate predicts the same share relapsed for every spell.</p>
<h2>Scores</h2>{_table(metric_rows)}
<h2>Share still at peace: observed (Kaplan-Meier) and predicted</h2>{_table(surv)}
<h2>Calibration</h2><img alt="calibration and survival" src="data:image/png;base64,{png}" style="max-width:100%">
<h2>Cases</h2>{_table(cases)}
</body></html>
"""
