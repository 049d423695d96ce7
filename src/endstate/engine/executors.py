"""Where chunks run: one small interface, a serial and a process-pool backend.

Both return results in chunk order, so the outcome files are identical for any
number of workers.

Workers never outlive the command that started them: each asks the kernel
to kill it when its parent dies (Linux ``PR_SET_PDEATHSIG``; elsewhere a
watchdog thread notices the parent is gone), and ignores Ctrl-C, which the
parent handles: on any exception, ``KeyboardInterrupt`` included, the pool is
shut down and its processes are killed before the exception goes on.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 1.0
"""How often a worker without PR_SET_PDEATHSIG checks that its parent still runs."""


class WorkerLost(RuntimeError):
    """A worker process died before finishing its chunk (killed from outside, or by the system when memory ran out)."""


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


def _die_with(parent: int) -> None:
    """Worker initializer: ignore Ctrl-C (the parent handles it), take SIGTERM plainly, and die when the parent process does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker would otherwise inherit the command's own handler
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the request took effect
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class PoolExecutor(Executor):
    def __init__(self, workers: int):
        self.workers = workers

    def map(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> list[T]:
        results: list[Any] = [None] * len(tasks)
        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_die_with, initargs=(os.getpid(),))
        try:
            futures = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
            for f in as_completed(futures):
                i = futures[f]
                results[i] = f.result()
                if on_done:
                    on_done(i)
        except BrokenProcessPool:
            _kill(pool)
            raise WorkerLost(
                "a worker process died before finishing its chunk (killed from outside, or by the system when memory ran out); "
                "try a smaller --chunk-size or fewer --workers"
            ) from None
        except BaseException:
            _kill(pool)
            raise
        pool.shutdown(wait=True)
        return results


def _kill(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and kill the workers now (waiting would finish every running chunk first).

    Python 3.14 has ``ProcessPoolExecutor.kill_workers``; before it the pool's
    own table of processes is the only handle on them.
    """
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(OSError, ValueError):
            p.kill()
    for p in processes:
        with contextlib.suppress(OSError, ValueError):
            p.join(timeout=5)


def make_executor(workers: int) -> Executor:
    return SerialExecutor() if workers <= 1 else PoolExecutor(workers)
