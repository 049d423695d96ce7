"""Where chunks run: one small interface, a serial and a process-pool backend.

Both return results in chunk order, so the outcome files are identical for any
number of workers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

T = TypeVar("T")


class Executor(ABC):
    @abstractmethod
    def map(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> list[T]:
        """Run ``fn`` on every task; results in task order; ``on_done(i)`` after each."""


class SerialExecutor(Executor):
    def map(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> list[T]:
        out = []
        for i, t in enumerate(tasks):
            out.append(fn(t))
            if on_done:
                on_done(i)
        return out


class PoolExecutor(Executor):
    def __init__(self, workers: int):
        self.workers = workers

    def map(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> list[T]:
        results: list[Any] = [None] * len(tasks)
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            futures = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
            for f in as_completed(futures):
                i = futures[f]
                results[i] = f.result()
                if on_done:
                    on_done(i)
        return results


def make_executor(workers: int) -> Executor:
    return SerialExecutor() if workers <= 1 else PoolExecutor(workers)
