"""Running a sweep into a result store, resumably, on any executor.

Core objects: :func:`run_sweep` and :class:`SweepRun` (what was done).  The
evaluations are cut into batches by position; each batch is one task and one
partition, written by the worker that simulated it.  A store reopened for the
same sweep (same file content, spec, parameters and batch size) skips the
partitions already complete, so a sweep killed at any moment and started again
ends with the same files, byte for byte, as one that ran through.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from endstate.engine.executors import Executor, SerialExecutor
from endstate.outcomes.partitions import MANIFEST, PartitionStore, StoreConflict

from .design import evaluations
from .evaluate import batches, points_sql, run_batch
from .sweep import Study

TARGET_RUNS_PER_TASK = 2000
"""Runs per task by default: about 1-3 s of work on the default scenario, so that a few ms of scheduling per task
(process pool or Dask) stay under 1% and a killed sweep loses at most a few seconds per worker."""


@dataclass(frozen=True)
class SweepRun:
    store: PartitionStore
    evaluations: int
    batches: int
    skipped: int
    runs: int
    seconds: float


MIN_TASKS = 32
"""A small sweep is still cut into at least this many tasks (when it has that many evaluations), so that every worker has work."""


def default_batch_size(study: Study, evaluations: int) -> int:
    """Evaluations per batch: about :data:`TARGET_RUNS_PER_TASK` runs, fewer for small sweeps; never a function of the workers."""
    return max(1, min(TARGET_RUNS_PER_TASK // study.sweep.runs_per_point, -(-evaluations // MIN_TASKS)))


def stored_batch_size(out: Path) -> int | None:
    """The batch size an existing store of a sweep was cut with (a resumed sweep keeps it)."""
    if not (out / MANIFEST).exists():
        return None
    size = PartitionStore(out).manifest().get("identity", {}).get("batch_size")
    return int(size) if isinstance(size, int) else None


def run_sweep(
    study: Study,
    out: str | Path,
    executor: Executor | None = None,
    batch_size: int | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SweepRun:
    """Simulate every evaluation of ``study`` not yet in the store at ``out``; ``progress(done, total)`` in batches."""
    t0 = time.perf_counter()
    out = Path(out)
    stored = stored_batch_size(out)
    evals = evaluations(study)
    size = batch_size or stored or default_batch_size(study, len(evals))
    if batch_size is not None and stored is not None and batch_size != stored and not force:
        raise StoreConflict(f"{out} was cut into batches of {stored} evaluations; resume with --batch-size {stored} (or leave it out), or use another --out")
    store = PartitionStore.open(out, study.identity() | {"batch_size": size}, {"points": points_sql(study.sweep)}, force)
    every = batches(evals, size)
    done = store.done()
    todo = [b for b in every if b.name not in done]
    counter = [len(every) - len(todo)]
    if progress:
        progress(counter[0], len(every))

    def on_done(i: int) -> None:
        counter[0] += 1
        if progress:
            progress(counter[0], len(every))

    written = (executor or SerialExecutor()).map(partial(run_batch, study, str(store.root)), todo, on_done)
    missing = [name for name, _ in written if not (store.parts / f"{name}.parquet").exists()]
    if missing:
        raise StoreConflict(f"workers wrote {len(missing)} partition(s) this machine cannot see under {store.parts}; the workers and this process must share the --out folder")
    return SweepRun(store, len(evals), len(every), len(every) - len(todo), sum(r for _, r in written), time.perf_counter() - t0)
