"""The EMA Workbench adapter: a sweep's spec as an EMA ``Model``.

Core objects: :func:`ema_model` (a sweep file or :class:`Study` -> an
``ema_workbench.Model`` with its uncertainties, levers and outcomes) and
:class:`SpecFunction` (the model's function: one experiment simulates
``runs_per_point`` runs on the engine and returns each outcome aggregated as
the sweep says).  ``perform_experiments``, ``prim`` and ``optimize`` then work
on it unchanged, with any of EMA's evaluators.

Replications are the engine's runs: an experiment's seed is derived from the
sweep's seed and the experiment's uncertainty values alone, so every policy
EMA pairs with one scenario meets the same random numbers (common random
numbers), and the same experiment gives the same numbers on any evaluator.
An uncertainty EMA does not pass (``optimize`` over levers without a
reference scenario) keeps the spec's own value, or the model's parameter.
EMA samples its real parameters uniformly: an uncertainty given a non-uniform
distribution in the sweep is offered to EMA as the range between that
distribution's 0.5% and 99.5% quantiles (uniform ranges and parameter ranges
are offered as they are).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from .design import Evaluation, distribution
from .evaluate import points_sql, simulate_evaluation
from .sweep import Study, load_sweep

TAIL = 0.005
"""Quantile cut off each end of a non-uniform distribution to give EMA a finite uniform range."""


def scenario_seed(seed: int, inputs: dict[str, Any]) -> int:
    """A 63-bit seed from the sweep's seed and a scenario's uncertainty values (not its levers)."""
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).digest()
    words = np.random.SeedSequence([seed, int.from_bytes(digest[:8], "little")]).generate_state(2, np.uint32)
    return int((int(words[0]) << 32 | int(words[1])) & (2**63 - 1))


class SpecFunction:
    """EMA's model function: keyword arguments (uncertainties and levers) -> aggregated outcomes."""

    def __init__(self, study: Study):
        self.study = study

    def __call__(self, **kwargs: Any) -> dict[str, float]:
        sw = self.study.sweep
        inputs = {u.name: (float(kwargs[u.name]) if u.values is None else kwargs[u.name]) for u in sw.uncertainties if u.name in kwargs}
        levers = {lv.name: kwargs[lv.name] for lv in sw.levers}
        ev = Evaluation(0, 0, inputs, levers, scenario_seed(sw.seed, inputs), sw.runs_per_point)
        table = simulate_evaluation(self.study, ev)
        con = duckdb.connect(config={"threads": 1})
        con.register("experiment", table)
        row = con.execute(points_sql(sw, "experiment")).df().iloc[0]
        return {o.name: float(row[o.name]) for o in sw.outcomes}


def ema_model(sweep: str | Path | Study, name: str = "endstate") -> Any:
    """An ``ema_workbench.Model`` of the sweep's spec: its uncertainties, levers (as categories) and outcomes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EMA warns at import about optional evaluators it cannot offer
        from ema_workbench import CategoricalParameter, Model, RealParameter, ScalarOutcome

    study = sweep if isinstance(sweep, Study) else load_sweep(sweep)
    sw = study.sweep
    model = Model(name, function=SpecFunction(study))
    uncertainties = []
    for u in sw.uncertainties:
        if u.values is not None:
            uncertainties.append(CategoricalParameter(u.name, list(u.values)))
            continue
        dist = distribution(u, study)
        if dist.dist == "uniform":
            lo, hi = float(dist.low), float(dist.high)  # type: ignore[arg-type]
        else:
            from endstate.model.sampling import quantile

            lo, hi = (float(v) for v in quantile(dist, np.array([TAIL, 1 - TAIL])))
        uncertainties.append(RealParameter(u.name, lo, hi))
    model.uncertainties = uncertainties
    model.levers = [CategoricalParameter(lv.name, list(lv.options)) for lv in sw.levers]
    model.outcomes = [ScalarOutcome(o.name, kind=ScalarOutcome.MINIMIZE if o.direction == "minimize" else ScalarOutcome.MAXIMIZE) for o in sw.outcomes]
    return model
