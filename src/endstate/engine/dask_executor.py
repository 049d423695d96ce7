"""The Dask distributed backend of the executor interface.

Core object: :class:`DaskExecutor`, connecting to a running scheduler
(``scheduler="tcp://host:8786"``) or starting a local cluster of ``workers``
single-threaded processes.  The fixed arguments of the task function (those
bound with :func:`functools.partial`: for a sweep, the compiled study) are
scattered to every worker once, so each task carries only its own small piece
of work; tasks should be batches of at least a second of work, so that
scheduling (about a millisecond a task) is not the bottleneck.  Results come
back in task order, as from the serial executor, and every number is computed
by the same function from the same task, so they are identical to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from .executors import Executor

T = TypeVar("T")


def _call(task: Any, fn: Callable[..., Any], bound: list[Any], keywords: dict[str, Any]) -> Any:
    return fn(*bound, task, **keywords)


class DaskExecutor(Executor):
    """Run tasks on a Dask cluster: the one at ``scheduler``, or a local one of ``workers`` processes."""

    def __init__(self, workers: int = 2, scheduler: str | None = None):
        self.workers = workers
        self.scheduler = scheduler

    def map(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> list[T]:
        from distributed import Client, LocalCluster, as_completed

        if not tasks:
            return []
        cluster = None
        if self.scheduler is None:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            client = Client(self.scheduler)
        try:
            func, bound, keywords = (fn.func, list(fn.args), dict(fn.keywords)) if isinstance(fn, partial) else (fn, [], {})
            shared = client.scatter(bound, broadcast=True) if bound else []
            futures = client.map(_call, list(tasks), fn=func, bound=shared, keywords=keywords, pure=False)
            index = {f.key: i for i, f in enumerate(futures)}
            results: list[Any] = [None] * len(tasks)
            for f in as_completed(futures):
                i = index[f.key]
                results[i] = f.result()
                f.release()
                if on_done:
                    on_done(i)
            return results
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
