"""Simulating evaluations and batches of them into result-store partitions.

Core objects: :func:`evaluation_inputs` (the spec and parameters of one
evaluation: its strategy, lever changes and uncertainty values laid over the
base spec), :func:`simulate_evaluation` (its runs as one Arrow table, one row
per run), :class:`Batch` (consecutive evaluations, one partition, named by
position and a hash of their keys) and :func:`run_batch` (what a worker does:
simulate a batch and write its partition atomically).  :func:`points_sql`
aggregates the runs of each evaluation into the sweep's outcomes; the store's
``points`` view, the analysis and the EMA adapter all use it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from endstate.engine.runner import simulate
from endstate.experiments.changes import apply_changes
from endstate.model.params import Parameters
from endstate.outcomes.partitions import PartitionStore
from endstate.spec import MissionSpec

from .design import Evaluation
from .sweep import Outcome, Scalar, Study, Sweep, change_text, with_parameters


def evaluation_inputs(study: Study, ev: Evaluation) -> tuple[MissionSpec, Parameters]:
    """The spec (strategy, then lever changes, then uncertain facts) and parameters of one evaluation."""
    sw = study.sweep
    spec = study.spec
    changes: list[str] = []
    for lv in sw.levers:
        value = ev.levers[lv.name]
        if lv.strategies is not None:
            spec = study.strategies[str(value)]
        else:
            assert lv.path is not None
            changes.append(change_text(lv.path, value))
    values: dict[str, float] = {}
    for u in sw.uncertainties:
        if u.name not in ev.inputs:
            continue  # left out (EMA's optimize without a reference scenario): the spec's own value, the model's parameter
        if u.parameter is not None:
            values[u.parameter] = float(ev.inputs[u.name])  # type: ignore[arg-type]
        else:
            assert u.path is not None
            changes.append(change_text(u.path, ev.inputs[u.name]))
    if changes:
        spec = apply_changes(spec, changes, study.source)
    return spec, with_parameters(study.params, values) if values else study.params


def _column(options: list[Scalar], value: Scalar | None, n: int) -> pa.Array:
    """Numbers stay numbers; anything else (strategy names, dates, categories) is written as text; a value left out is null."""
    numeric = all(isinstance(o, (int, float)) and not isinstance(o, bool) for o in options)
    if value is None:
        return pa.nulls(n, type=pa.float64() if numeric else pa.string())
    if numeric:
        return pa.array(np.full(n, float(value)))  # type: ignore[arg-type]
    return pa.array([str(value)] * n, type=pa.string())


def simulate_evaluation(study: Study, ev: Evaluation) -> pa.Table:
    """The evaluation's runs: key, point, policy, seed, levers, uncertainties, then the outcome columns."""
    spec, params = evaluation_inputs(study, ev)
    res = simulate(spec, ev.runs, seed=ev.seed, workers=1, chunk_size=ev.runs, params=params, series_runs=0, horizon=study.sweep.horizon_months)
    n = len(res.outcomes)
    cols: dict[str, pa.Array] = {
        "key": pa.array([ev.key] * n, type=pa.string()),
        "point": pa.array(np.full(n, ev.point, dtype=np.int64)),
        "policy": pa.array(np.full(n, ev.policy, dtype=np.int64)),
        "seed": pa.array(np.full(n, ev.seed, dtype=np.int64)),
    }
    for lv in study.sweep.levers:
        cols[lv.name] = _column(lv.options, ev.levers[lv.name], n)
    for u in study.sweep.uncertainties:
        cols[u.name] = _column(u.values or [0.0], ev.inputs.get(u.name), n)
    for name in res.outcomes.columns:
        col = res.outcomes[name]
        # missing values (a flagged run's exit reason, a fixed window the run was not observed to) stay null
        cols[name] = pa.array(col.astype(object), type=pa.string(), from_pandas=True) if name == "exit_reason" else pa.Array.from_pandas(col)
    return pa.table(cols)


@dataclass(frozen=True)
class Batch:
    """Consecutive evaluations written as one partition."""

    index: int
    evaluations: tuple[Evaluation, ...]

    @property
    def name(self) -> str:
        digest = hashlib.sha256("".join(ev.key for ev in self.evaluations).encode()).hexdigest()[:16]
        return f"{self.index:06d}-{digest}"

    @property
    def runs(self) -> int:
        return sum(ev.runs for ev in self.evaluations)


def batches(evals: list[Evaluation], size: int) -> list[Batch]:
    """The evaluations cut into batches of ``size``; the cut depends only on the list and the size."""
    return [Batch(i, tuple(evals[a : a + size])) for i, a in enumerate(range(0, len(evals), size))]


def run_batch(study: Study, root: str, batch: Batch) -> tuple[str, int]:
    """Simulate a batch and write its partition; returns its name and rows (runs in a worker)."""
    table = pa.concat_tables([simulate_evaluation(study, ev) for ev in batch.evaluations])
    PartitionStore(root).write(batch.name, table)
    return batch.name, table.num_rows


def _aggregate(o: Outcome) -> str:
    x = f'CAST("{o.column}" AS DOUBLE)'
    if o.over == "exited":
        x = f"CASE WHEN exit_month >= 0 THEN {x} END"
    return {
        "mean": f"avg({x})",
        "median": f"quantile_cont({x}, 0.5)",
        "std": f"stddev_samp({x})",
        "min": f"min({x})",
        "max": f"max({x})",
        "q10": f"quantile_cont({x}, 0.1)",
        "q90": f"quantile_cont({x}, 0.9)",
    }[o.aggregate]


def points_sql(sweep: Sweep, runs: str = "{runs}") -> str:
    """One row per evaluation (point and policy): its inputs, its runs and each outcome aggregated."""
    inputs = [lv.name for lv in sweep.levers] + [u.name for u in sweep.uncertainties]
    cols = ["point", "policy", "first(key) AS key", "first(seed) AS seed"] + [f'first("{c}") AS "{c}"' for c in inputs] + ["count(*) AS runs"]
    cols += [f'{_aggregate(o)} AS "{o.name}"' for o in sweep.outcomes]
    return f"SELECT {', '.join(cols)} FROM {runs} GROUP BY point, policy ORDER BY point, policy"
