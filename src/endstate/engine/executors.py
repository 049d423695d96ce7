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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 1.0
"""How often a worker without PR_SET_PDEATHSIG checks that its parent still runs."""


WORKER_LOST = (
    "a worker process died before finishing its chunk (killed from outside, or by the system when memory ran out); "
    "try a smaller --chunk-size or fewer --workers"
)
"""What a user is told when a worker process dies under the pool."""


class WorkerLost(RuntimeError):
    """A worker process died before finishing its chunk (killed from outside, or by the system when memory ran out)."""


class Executor(ABC):
    @abstractmethod
    def map(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> list[T]:
        """Run ``fn`` on every task; results in task order; ``on_done(i)`` after each."""

    def imap(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> Iterator[T]:
        """Like :meth:`map`, but each result is handed over, in task order, as soon as it and those before it are done.

        A consumer that writes each result away holds only a few at a time
        (the backends below keep at most a small window of tasks in flight);
        this default holds them all.
        """
        yield from self.map(fn, tasks, on_done)


class SerialExecutor(Executor):
    def map(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> list[T]:
        return list(self.imap(fn, tasks, on_done))

    def imap(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> Iterator[T]:
        for i, t in enumerate(tasks):
            out = fn(t)
            if on_done:
                on_done(i)
            yield out


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
        return list(self.imap(fn, tasks, on_done))

    def imap(self, fn: Callable[[Any], T], tasks: Sequence[Any], on_done: Callable[[int], None] | None = None) -> Iterator[T]:
        """Results in task order, with at most :data:`IN_FLIGHT_PER_WORKER` tasks a worker submitted ahead of the consumer."""
        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_die_with, initargs=(os.getpid(),))
        ahead = IN_FLIGHT_PER_WORKER * self.workers
        futures: dict[int, Future[T]] = {}
        try:
            for i in range(len(tasks)):
                for j in range(len(futures) + i, min(i + ahead, len(tasks))):
                    futures[j] = pool.submit(fn, tasks[j])
                out = futures.pop(i).result()
                if on_done:
                    on_done(i)
                yield out
        except BrokenProcessPool:
            _kill(pool)
            raise WorkerLost(WORKER_LOST) from None
        except BaseException:  # the consumer failed or stopped early (GeneratorExit) too
            _kill(pool)
            raise
        pool.shutdown(wait=True)


IN_FLIGHT_PER_WORKER = 2
"""Tasks submitted per worker ahead of the one the consumer waits for: enough to keep every worker busy while
one result is written away, few enough that results waiting in the parent stay a handful of chunks."""


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
