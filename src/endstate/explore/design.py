"""Experimental designs over the uncertainty space, and the evaluations they make.

Core objects: :func:`unit_design` (points in the unit hypercube from SciPy's
Latin hypercube, SALib's Sobol' (Saltelli) and Morris samplers, or a full
factorial grid), :func:`point_values` (unit coordinates -> uncertainty values
through each one's inverse distribution function) and :func:`evaluations`
(every point under every combination of levers, each with its seed).  A
design is a pure function of the sweep, so the analysis regenerates it instead
of storing it; the samplers are seeded from the sweep's seed.

Seeding: point ``p`` simulates runs ``0..runs-1`` with the seed
``SeedSequence(seed, spawn_key=(p,))``, the same for every lever combination,
so all strategies at one point meet the same draws (common random numbers)
while different points draw independently.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import qmc

from endstate.model.sampling import quantile
from endstate.spec import Uncertain

from .sweep import Scalar, Study, Sweep, Uncertainty, parameter_range


def salib_problem(sweep: Sweep) -> dict[str, Any]:
    """SALib's problem over the unit hypercube (values are mapped from it by :func:`point_values`).

    Inputs are named ``x0, x1, ...`` there (SALib forbids some name endings); results are mapped back by position.
    """
    d = len(sweep.uncertainties)
    return {"num_vars": d, "names": [f"x{j}" for j in range(d)], "bounds": [[0.0, 1.0]] * d}


def unit_design(sweep: Sweep) -> np.ndarray:
    """The design's points in ``[0, 1]^D``, in a fixed order (one row per point)."""
    d, design = len(sweep.uncertainties), sweep.design
    if design.method == "lhs":
        return qmc.LatinHypercube(d=d, seed=np.random.default_rng(sweep.seed)).random(int(design.points or 0))
    if design.method == "sobol":
        from SALib.sample import sobol

        return np.asarray(sobol.sample(salib_problem(sweep), int(design.points or 0), calc_second_order=design.second_order, seed=sweep.seed))
    if design.method == "morris":
        from SALib.sample import morris

        return np.asarray(morris.sample(salib_problem(sweep), int(design.points or 0), num_levels=design.levels, seed=sweep.seed))
    # full factorial: each categorical uncertainty takes all its values, each real one the centres of
    # `levels` equal-probability bins (finite for unbounded distributions too)
    axes = [((np.arange(len(u.values)) + 0.5) / len(u.values)) if u.values is not None else (np.arange(design.levels) + 0.5) / design.levels for u in sweep.uncertainties]
    return np.array(list(itertools.product(*axes)), dtype=float)


def distribution(u: Uncertainty, study: Study) -> Uncertain:
    """The distribution of a real uncertainty (a parameter without one takes its range in model/params.py)."""
    if u.distribution is not None:
        return u.distribution
    assert u.parameter is not None
    lo, hi = parameter_range(study.params, u.parameter)
    return Uncertain(dist="uniform", low=lo, high=hi)


def point_values(study: Study, unit: np.ndarray) -> list[dict[str, Scalar]]:
    """Each unit point as uncertainty values: quantiles of the distribution, or the k-th of the categories."""
    cols: dict[str, list[Scalar]] = {}
    for j, u in enumerate(study.sweep.uncertainties):
        q = unit[:, j]
        if u.values is not None:
            idx = np.minimum((q * len(u.values)).astype(int), len(u.values) - 1)
            cols[u.name] = [u.values[i] for i in idx]
        else:
            cols[u.name] = [float(x) for x in quantile(distribution(u, study), q)]
    return [{k: v[i] for k, v in cols.items()} for i in range(unit.shape[0])]


def policies(sweep: Sweep) -> list[dict[str, Scalar]]:
    """Every combination of lever options, in the order the levers and their options are written."""
    if not sweep.levers:
        return [{}]
    return [dict(zip([lv.name for lv in sweep.levers], combo, strict=True)) for combo in itertools.product(*(lv.options for lv in sweep.levers))]


def policy_label(policy: dict[str, Scalar]) -> str:
    """A policy's name in tables and figures: its option alone when there is one lever."""
    if len(policy) == 1:
        return str(next(iter(policy.values())))
    return ", ".join(f"{k}={v}" for k, v in policy.items()) or "baseline"


def point_seed(seed: int, point: int) -> int:
    """The seed of point ``point``: child ``point`` of the sweep's SeedSequence, as a 63-bit integer."""
    words = np.random.SeedSequence(seed, spawn_key=(point,)).generate_state(2, np.uint32)
    return int((int(words[0]) << 32 | int(words[1])) & (2**63 - 1))


@dataclass(frozen=True)
class Evaluation:
    """One point of the design under one policy: ``runs`` paired runs."""

    point: int
    policy: int
    inputs: dict[str, Scalar]
    levers: dict[str, Scalar]
    seed: int
    runs: int

    @property
    def key(self) -> str:
        """A hash of what decides this evaluation's numbers: its inputs, levers, seed and runs."""
        text = json.dumps({"u": self.inputs, "l": self.levers, "seed": self.seed, "runs": self.runs}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def evaluations(study: Study) -> list[Evaluation]:
    """Every point under every policy, point by point."""
    sw = study.sweep
    pols = policies(sw)
    out: list[Evaluation] = []
    for p, inputs in enumerate(point_values(study, unit_design(sw))):
        seed = point_seed(sw.seed, p)
        out.extend(Evaluation(p, k, inputs, pol, seed, sw.runs_per_point) for k, pol in enumerate(pols))
    return out
