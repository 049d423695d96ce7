"""Simulated method of moments: fit the relapse parameters so simulated spells relapse as history did.

Core objects: :data:`FITTED` (the parameters fitted), :class:`Prepared`
(spells built, split and simulated once), :func:`prepare`, :func:`residuals`,
:func:`fit`, :func:`evaluate` and :func:`calibrate` (all of it, returning a
:class:`Calibration` that :func:`write_calibration` saves as
``model/calibrated.json``).

Method.  Every spell of both sources is simulated once (``runs`` runs a spell
shape, one seed: common random numbers).  The relapse parameters do not change
a run's path before its relapse, so each evaluation of the objective only
recomputes the relapse hazard along the recorded paths
(:func:`endstate.experiments.backtest.survival`): fast, exact, and smooth in the
parameters.  The objective is the sum of squared standardised differences
between the model's and the data's shares relapsed, over the targets of
:mod:`.targets` computed on the training spells; it is minimised with
``scipy.optimize.least_squares`` (trust-region reflective, within each
parameter's stated bounds, base rates on a log scale).  The holdout spells
(a seeded hash of their ids) are scored afterwards, never fitted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from endstate import __version__
from endstate.experiments.backtest import (
    HORIZON_MONTHS,
    HazardPaths,
    SpellRuns,
    path_survival,
    record_paths,
    simulate_spells,
    static_hazards,
    survival,
)
from endstate.experiments.evidence import HORIZON, WAR_DEATHS, WAR_YEARS, scenario, typical
from endstate.experiments.spell_mission import SpellStatic
from endstate.model.params import DEFAULTS, Parameters
from endstate.outcomes.survival import base_rate, brier, c_index

from .durations import IPI_FILE, UN_FILE, duration_check
from .sources import SpellSource, file_digest, holdout_mask, load_sources
from .targets import SE_FLOOR, Target, data_targets, holdout_counterpart, model_value, published_targets
from .transformation import VDEM_FILE, calibrate_transformation
from .troops import BATTLE_DEATHS_FILE, troop_check
from .war_duration import calibrate_war_termination
from .war_intensity import calibrate_war_intensity

FITTED: dict[str, str] = {
    "relapse_base_settlement": "log",
    "relapse_base_truce": "log",
    "relapse_base_victory": "log",
    "relapse_time_decay": "linear",
    "relapse_log_deaths": "linear",
    "relapse_prior_relapses": "linear",
    "pk_relapse_effect": "linear",
}
"""The parameters fitted, with the scale the optimiser moves them on.  Which targets identify each:
the base rates, the UCDP shares by war outcome (conflict recurrence, 25 battle deaths); the time decay,
the 2-, 5- and 10-year shares together; ``relapse_log_deaths``, the Doyle & Sambanis shares (war
recurrence, 1,000, after big wars) against UCDP's (mostly small wars); ``relapse_prior_relapses``, the shares by
the country's earlier failed peaces (0, 1-2, 3 or more: the conflict trap); ``pk_relapse_effect``, the
published hazard ratio and spending result (:data:`PUBLISHED_MOMENTS`) against the UCDP shares by
mission type (which, uncontrolled for where missions were sent, show little difference).
``relapse_identity`` and ``relapse_log_duration`` keep their literature values (``docs/calibration.md``, section 5,
gives what freeing them, with shares by identity and by war length as targets, did).

Approximate standard errors come from the Jacobian of the standardised
residuals at the optimum (``(J'J)^-1``); they ignore that targets share spells
(2, 5 and 10 years of one group; a spell in an outcome group and a mission
group) and simulation noise, so they understate the uncertainty.  A parameter
that ends at a bound gets none.  ``objective_with_one_at_default`` puts each
parameter back at its default, the others calibrated: how much the data care."""

CALIBRATED_PATH = Path(__file__).resolve().parents[1] / "model" / "calibrated.json"
"""Where ``endstate calibrate`` writes by default, and where :func:`endstate.model.params.load_parameters` reads."""


@dataclass(frozen=True)
class Moment:
    """A published causal finding the fit also matches: a function of the relapse parameters along fixed paths."""

    id: str
    data: float
    se: float
    source: str


PUBLISHED_MOMENTS: tuple[Moment, ...] = (
    Moment("fortna2008/hazard_ratio/multidimensional", 0.45, 0.075,
           "Fortna, Does Peacekeeping Work? 2008; Doyle & Sambanis 2006: peacekeeping cuts the hazard of renewed war by half or "
           "more; a multidimensional mission's ratio of ten-year cumulative hazards, 0.3-0.6 read as 0.45 +/- 2 se"),
    Moment("collier2008/doubled_spending/10y", -0.225, 0.05,
           "Collier, Hoeffler & Soderbom 2008: doubling peacekeeping spending takes decade relapse from 40% to 31% (-22.5%); "
           "the relative change for a typical multidimensional mission with personnel and programme doubled"),
)  # fmt: skip
"""Causal findings from studies that controlled for where missions went, which the raw spell shares cannot give."""


@dataclass
class PublishedPaths:
    """Recorded paths of the evidence scenario (:func:`endstate.experiments.evidence.scenario`): no mission, a typical
    multidimensional one, and the same with personnel and programme doubled (settlement after a war of 10,000 deaths)."""

    none: HazardPaths
    mission: HazardPaths
    doubled: HazardPaths


def published_paths(runs: int, seed: int) -> PublishedPaths:
    t, pol = typical("multidimensional")
    specs = (scenario(), scenario(troops=t, police=pol), scenario(troops=2 * t, police=2 * pol, budget_per_year=2 * (t + pol) * 12 * 1000.0))
    return PublishedPaths(*(record_paths(sp, runs, seed, HORIZON, DEFAULTS) for sp in specs))


def moment_values(params: Parameters, pp: PublishedPaths) -> np.ndarray:
    """The model's hazard ratio and spending result along the published paths, under ``params``."""
    static = static_hazards([SpellStatic("settlement", WAR_DEATHS, WAR_YEARS, False)], params)
    s0, s1, s2 = (float(path_survival(p, static, params)[0, -1]) for p in (pp.none, pp.mission, pp.doubled))
    return np.array([np.log(s1) / np.log(s0), ((1 - s2) - (1 - s1)) / (1 - s1)])


@dataclass
class Prepared:
    """Spells built, split and simulated once; targets from the training part."""

    sources: dict[str, SpellSource]
    runs: dict[str, SpellRuns]
    holdout: dict[str, np.ndarray]
    targets: list[Target]
    seed: int
    n_runs: int
    share: float
    published: PublishedPaths | None = None

    def train(self, source: str) -> SpellRuns:
        return self.runs[source].subset(~self.holdout[source])

    def test(self, source: str) -> SpellRuns:
        return self.runs[source].subset(self.holdout[source])


def prepare(
    data_dir: Path,
    runs: int = 200,
    seed: int = 0,
    holdout: float = 0.3,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Prepared:
    """Build the spells from ``data_dir``, split them, simulate them with the default parameters, derive the targets."""
    sources = load_sources(data_dir)
    total = sum(len(s.spells) for s in sources.values())
    done = 0
    sims: dict[str, SpellRuns] = {}
    masks: dict[str, np.ndarray] = {}
    for name, src in sources.items():
        offset = done

        def tick(d: int, _t: int, offset: int = offset) -> None:
            if progress:
                progress(offset + d, total)

        sims[name] = simulate_spells(src.spells, runs, seed, HORIZON_MONTHS, DEFAULTS, workers, tick, src.entry)
        masks[name] = holdout_mask(src.spells["case_id"], seed, holdout)
        done += len(src.spells)
    prep = Prepared(sources, sims, masks, [], seed, runs, holdout, published_paths(runs, seed))
    for name in sources:
        tr = prep.train(name)
        prep.targets += data_targets(name, tr)
    prep.targets += published_targets("ucdp", prep.train("ucdp"))
    return prep


def params_from(x: np.ndarray, start: Parameters = DEFAULTS) -> Parameters:
    values = {name: float(np.exp(v)) if scale == "log" else float(v) for (name, scale), v in zip(FITTED.items(), x, strict=True)}
    return start.with_values(**values)


def _x(params: Parameters) -> np.ndarray:
    return np.array([np.log(params.v(n)) if s == "log" else params.v(n) for n, s in FITTED.items()])


def _bounds() -> tuple[np.ndarray, np.ndarray]:
    lo, hi = [], []
    for n, s in FITTED.items():
        p = getattr(DEFAULTS, n)
        assert p.low is not None and p.high is not None, f"{n} needs bounds to be fitted"
        lo.append(np.log(p.low) if s == "log" else p.low)
        hi.append(np.log(p.high) if s == "log" else p.high)
    return np.array(lo), np.array(hi)


def model_values(params: Parameters, prep: Prepared, targets: list[Target], holdout: bool = False) -> np.ndarray:
    """The model's share for each target, on the training spells (or the holdout's)."""
    out = np.empty(len(targets))
    for name in prep.sources:
        sr = prep.test(name) if holdout else prep.train(name)
        idx = [i for i, t in enumerate(targets) if t.source == name]
        if not idx:
            continue
        surv = survival(sr, params)
        for i in idx:
            out[i] = model_value(targets[i], sr, surv)
    return out


def residuals(params: Parameters, prep: Prepared) -> np.ndarray:
    data = np.array([t.data for t in prep.targets])
    se = np.maximum(np.array([t.se for t in prep.targets]), SE_FLOOR)
    r = (model_values(params, prep, prep.targets) - data) / se
    if prep.published is None:
        return r
    m = np.array([(v - mo.data) / mo.se for v, mo in zip(moment_values(params, prep.published), PUBLISHED_MOMENTS, strict=True)])
    return np.concatenate([r, m])


def fit(prep: Prepared, start: Parameters = DEFAULTS) -> tuple[Parameters, dict[str, Any]]:
    """Minimise the squared standardised target errors over :data:`FITTED`; returns the parameters and a summary."""
    lo, hi = _bounds()
    x0 = np.clip(_x(start), lo + 1e-9, hi - 1e-9)
    res = least_squares(lambda x: residuals(params_from(x, start), prep), x0, bounds=(lo, hi), diff_step=1e-3, xtol=1e-6, ftol=1e-8)
    at_bound = np.minimum(res.x - lo, hi - res.x) < 1e-6
    x = np.where(at_bound & (res.x - lo < hi - res.x), lo, np.where(at_bound, hi, res.x))
    params = params_from(x, start)
    before = residuals(start, prep)
    free = ~at_bound
    se: dict[str, float | None] = dict.fromkeys(FITTED)
    if free.any():
        j = res.jac[:, free]
        cov = np.linalg.pinv(j.T @ j)
        for (name, scale), v, s in zip([kv for kv, f in zip(FITTED.items(), free, strict=True) if f], x[free], np.sqrt(np.diag(cov)), strict=True):
            se[name] = float(np.exp(v) * s) if scale == "log" else float(s)
    one_back = {n: float(np.sum(residuals(params.with_values(**{n: start.v(n)}), prep) ** 2)) for n in FITTED}
    info = {
        "optimizer": "scipy.optimize.least_squares (trf)",
        "status": int(res.status),
        "message": str(res.message),
        "evaluations": int(res.nfev),
        "objective_start": float(np.sum(before**2)),
        "objective": float(np.sum(res.fun**2)),
        "targets": len(prep.targets) + (len(PUBLISHED_MOMENTS) if prep.published is not None else 0),
        "at_bound": [n for n, b in zip(FITTED, at_bound, strict=True) if b],
        "standard_errors": se,
        "objective_with_one_at_default": one_back,
    }
    return params, info


def _scores(sr: SpellRuns, surv: np.ndarray, train: SpellRuns) -> dict[str, float]:
    out: dict[str, float] = {"spells": float(len(sr.months))}
    for y in (2, 5):
        k = 12 * y
        base = base_rate(train.months, train.event, k)
        b, n = brier(1.0 - surv[:, k - 1], sr.months, sr.event, k)
        b0, _ = brier(np.full(len(sr.months), base), sr.months, sr.event, k)
        out |= {f"brier_{y}y": b, f"brier_{y}y_base": b0, f"base_rate_{y}y": base, f"known_{y}y": float(n)}
    T = sr.horizon
    time, event = np.minimum(sr.months, T), sr.event & (sr.months < T)
    out["c_index"] = c_index(1.0 - surv[:, T - 1], time, event)
    naive = sr.spells["war_outcome"].map(NAIVE_RISK).to_numpy(dtype=float)
    out["c_index_naive"] = c_index(naive, time, event)
    return out


def _worst(hold: list[Target], predicted: dict[str, float], source: str) -> dict[str, Any] | None:
    """The holdout target by war outcome of ``source`` that ``predicted`` (by target id) misses most, or None."""
    rows = [h for h in hold if h.by == "war_outcome" and h.source == source]
    if not rows:
        return None
    h = max(rows, key=lambda r: abs(predicted[r.id] - r.data))
    return {"id": h.id, "spells": h.spells, "data": h.data, "model": predicted[h.id], "error": predicted[h.id] - h.data}


NAIVE_RISK = {"truce": 3.0, "settlement": 2.0, "victory": 1.0}
"""The naive ordering the model must beat out of sample: truces relapse most, then settlements, then victories."""


def evaluate(params: Parameters, prep: Prepared) -> dict[str, Any]:
    """In-sample (training) and out-of-sample (holdout) scores and target errors under ``params``."""
    out: dict[str, Any] = {"in_sample": {}, "out_of_sample": {}}
    for name in prep.sources:
        tr, te = prep.train(name), prep.test(name)
        out["in_sample"][name] = _scores(tr, survival(tr, params), tr)
        out["out_of_sample"][name] = _scores(te, survival(te, params), tr)
    model = model_values(params, prep, prep.targets)
    err = np.array([m - t.data for m, t in zip(model, prep.targets, strict=True)])
    out["in_sample"]["target_mean_abs_error"] = float(np.mean(np.abs(err)))
    pairs = [(t, holdout_counterpart(t, prep.test(t.source))) for t in prep.targets]
    kept = [(t, h) for t, h in pairs if h is not None]
    hold = [h for _, h in kept if h is not None]
    hmodel = model_values(params, prep, hold, holdout=True)
    out["out_of_sample"]["target_mean_abs_error"] = float(np.mean(np.abs(hmodel - np.array([h.data for h in hold]))))
    out["out_of_sample"]["targets"] = [
        {"id": h.id, "spells": h.spells, "data": h.data, "se": h.se, "model": float(m)} for h, m in zip(hold, hmodel, strict=True)
    ]
    by_outcome = [abs(m - h.data) for h, m in zip(hold, hmodel, strict=True) if h.by == "war_outcome"]
    out["out_of_sample"]["max_abs_error_by_war_outcome"] = float(max(by_outcome)) if by_outcome else float("nan")
    # beside the model's worst miss, the same comparison with the training spells' own Kaplan-Meier in place of the
    # model: how far apart the two halves of the data are, which no prediction from the training spells can close
    trained = {h.id: t.data for t, h in kept if h is not None}
    for key, predicted in (("worst_by_war_outcome", dict(zip([h.id for h in hold], map(float, hmodel), strict=True))),
                           ("worst_training_km_by_war_outcome", trained)):
        out["out_of_sample"][key] = {name: _worst(hold, predicted, name) for name in prep.sources}
    if prep.published is not None:
        out["published"] = [
            {"id": mo.id, "data": mo.data, "se": mo.se, "model": float(v), "source": mo.source}
            for mo, v in zip(PUBLISHED_MOMENTS, moment_values(params, prep.published), strict=True)
        ]
    return out


@dataclass
class Calibration:
    """The result of :func:`calibrate`, as written to ``calibrated.json``."""

    values: dict[str, float]
    targets: list[dict[str, Any]]
    fit: dict[str, Any]
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"values": self.values, "targets": self.targets, "fit": self.fit, "provenance": self.provenance}


def calibrate(
    data_dir: Path,
    runs: int = 200,
    seed: int = 0,
    holdout: float = 0.3,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Calibration, Prepared]:
    """Prepare, fit and evaluate; the :class:`Calibration` and the prepared spells (for reports)."""
    prep = prepare(data_dir, runs, seed, holdout, workers, progress)
    params, info = fit(prep)
    before = model_values(DEFAULTS, prep, prep.targets)
    after = model_values(params, prep, prep.targets)
    targets = [t.as_dict() | {"model_default": float(b), "model": float(a)} for t, b, a in zip(prep.targets, before, after, strict=True)]
    fit_info = {**info, "default": evaluate(DEFAULTS, prep), "calibrated": evaluate(params, prep)}
    values = {n: float(f"{params.v(n):.6g}") for n in FITTED}
    tvalues, fit_info["transformation"] = calibrate_transformation(prep.sources["ucdp"].spells, data_dir)
    values |= {n: float(f"{v:.6g}") for n, v in tvalues.items()}
    wvalues, fit_info["war_termination"] = calibrate_war_termination(data_dir)
    ivalues, fit_info["war_intensity"] = calibrate_war_intensity(data_dir)
    wvalues |= ivalues
    values |= {n: float(f"{v:.6g}") for n, v in wvalues.items()}
    tvalues |= wvalues
    # the checks run on the values as written (rounded), which is what every later simulation loads
    fit_info["checks"] = checks(data_dir, prep, DEFAULTS.with_values(**values), max(10, runs // 5), seed, workers, progress)
    files = sorted({p for s in prep.sources.values() for p in s.files} | {data_dir / f for f in (VDEM_FILE, UN_FILE, IPI_FILE, BATTLE_DEATHS_FILE)})
    provenance = {
        "data_files": {p.name: file_digest(p) for p in files},
        "date": dt.date.today().isoformat(),
        "seed": seed,
        "runs_per_shape": runs,
        "holdout_share": holdout,
        "horizon_months": HORIZON_MONTHS,
        "spells": {n: {"train": int((~m).sum()), "holdout": int(m.sum())} for n, m in prep.holdout.items()},
        "method": "simulated method of moments on common random numbers (see endstate.calibrate.smm)",
        "endstate_version": __version__,
        "defaults": {n: DEFAULTS.v(n) for n in [*FITTED, *tvalues]},
    }
    return Calibration(values, targets, fit_info, provenance), prep


def checks(
    data_dir: Path, prep: Prepared, params: Parameters, runs: int, seed: int, workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The targets the model is checked against but that fit no parameter (see ``docs/calibration.md``, section 5d):
    battle deaths against troop levels (:mod:`.troops`) and mission durations (:mod:`.durations`), on the UCDP spells."""
    spells = prep.sources["ucdp"].spells
    return {
        "battle_deaths_vs_personnel": troop_check(data_dir, spells, params, runs, seed, workers, progress),
        "mission_durations": duration_check(data_dir, spells, params, runs, seed, workers, progress),
    }


def write_calibration(cal: Calibration, path: Path) -> None:
    """Write ``cal`` as JSON to ``path`` (no default: ``endstate calibrate --out`` names it and writes it atomically)."""
    path.write_text(json.dumps(cal.to_json(), indent=2) + "\n", encoding="utf-8")
