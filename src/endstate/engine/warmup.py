"""The engine's compiled code compiled on both cores at once, the first time it is needed.

The first simulation with a source of the engine not seen before compiles the
engine's Numba code (:mod:`endstate.model.compiled`): the monthly kernel
(:func:`endstate.model.kernel.month_kernel`, about 15 s on the 2-core machine)
and everything else (the exit rules, presence, the random numbers, the guard:
about 13 s), one after the other in one process, about 28 s.  Numba compiles a
function in one thread.  :func:`ensure`, called by
:func:`endstate.engine.runner.simulate_parts` before its first chunk, compiles
the two groups at the same time in two child processes (one a core), each
writing its machine code into Numba's cache, and waits for both; the
simulation then loads them from the cache (0.15 s).  The wall time is the
longer group's plus a child's start (importing the engine, about 1.5 s); the
CPU time is the same compile plus two starts.

Exactly what the simulation then calls is compiled: each child steps a batch
of two runs (fewer if the first chunk is smaller) of the same spec,
parameters and horizon through :class:`~endstate.engine.runner.RunBatch`, so
every compiled function sees the argument types (NumPy layouts included) it
will see.  The kernel's child stubs the random numbers and presence (their
results are not needed to know the kernel's argument types) and compiles the
kernel for the arguments of its first call without running it; the other
child replaces the kernel by one that writes zeros and steps the batch to its
end, once with the monthly series recorded and once without (the two paths of
:func:`~endstate.engine.runner.simulate_chunk`).  The stubs live in the
children only: the calling process never patches anything.

It runs only while the cache is cold: a marker file in
:func:`~endstate.model.compiled.cache_folder` (whose name is a digest of the
compiled sources, so a changed source is cold again) is written once both
children succeeded.  Anything that goes wrong (a child failing, killed, or
running past :data:`TIMEOUT_S`) leaves the marker unwritten and the process
compiles what is missing itself, as without this module, on its first call;
two processes warming up at once both compile, and Numba's cache writes
(atomic renames) keep either's copy whole.  The children ignore Ctrl-C and
die with their parent, which kills them on any exception (Ctrl-C included).
``ENDSTATE_PARALLEL_COMPILE=0`` turns it off (everything compiled in the
calling process, on first use, as before); the children run with it off.

A spec whose arrays have other layouts (one region or one contributor: an
array both C- and Fortran-ordered) compiles its own variants once, in the
calling process, after the marker was written by another spec.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from endstate.model.compiled import cache_folder

log = logging.getLogger(__name__)

SWITCH = "ENDSTATE_PARALLEL_COMPILE"
"""Environment variable: ``0`` compiles in the calling process instead (and is what the children run with)."""

MARKER = "warm"
"""The file in the cache folder that says the compiled code is there (written after a successful warm-up)."""

TIMEOUT_S = 600.0
"""The longest a warm-up waits for its children (a cold compile takes 30 s on the 2-core machine, a few minutes on a
heavily loaded one) before killing them and leaving the compile to the calling process."""

GROUPS = ("kernel", "rest")
"""The two children's shares: the monthly kernel; everything else (about equal compile times)."""


def is_cold() -> bool:
    """Whether the compiled code of these sources was never warmed up here (no marker; not switched off)."""
    return os.environ.get(SWITCH, "1") != "0" and not (cache_folder() / MARKER).exists()


def ensure(job: Any, timeout_s: float = TIMEOUT_S) -> bool:
    """Compile the engine for ``job``'s scenario in two child processes if the cache is cold; whether it did.

    ``job`` is the first :class:`~endstate.engine.runner.ChunkJob` of a
    simulation; the children step at most its first two runs.  Returns
    ``False`` (the calling process then compiles on first use) when the
    cache is warm, the warm-up is switched off, or a child failed.
    """
    if not is_cold():
        return False
    small = replace(job, stop=job.start + min(2, job.stop - job.start))
    started = time.perf_counter()
    ok = run_children(pickle.dumps(small), timeout_s)
    if ok:
        with contextlib.suppress(OSError):
            cache_folder().mkdir(parents=True, exist_ok=True)
            (cache_folder() / MARKER).touch()
    log.info("compile warm-up on two cores: %s in %.1f s", "done" if ok else "failed (compiling in this process)", time.perf_counter() - started)
    return ok


def child_command(group: str) -> list[str]:
    """The command line of the child compiling ``group`` (its job comes on standard input)."""
    return [sys.executable, "-m", "endstate.engine.warmup", group, str(cache_folder())]


def run_children(job: bytes, timeout_s: float) -> bool:
    """Start one child per group with ``job`` (a pickled ChunkJob) on its standard input and wait for all; whether all
    succeeded.  A child still running at ``timeout_s``, or at any exception here (Ctrl-C included), is killed."""
    env = {**os.environ, SWITCH: "0", "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    procs: list[tuple[str, subprocess.Popen[bytes], Any]] = []
    try:
        for group in GROUPS:
            err = tempfile.TemporaryFile()
            proc = subprocess.Popen(child_command(group), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err, env=env)
            procs.append((group, proc, err))
            assert proc.stdin is not None
            with contextlib.suppress(OSError):  # a child that died at once: its exit status says so below
                proc.stdin.write(job)
                proc.stdin.close()
        deadline = time.monotonic() + timeout_s
        ok = True
        for group, proc, err in procs:
            try:
                rc = proc.wait(timeout=max(deadline - time.monotonic(), 0.0))
            except subprocess.TimeoutExpired:
                rc = None
            if rc != 0:
                ok = False
                err.seek(0)
                tail = err.read()[-2000:].decode(errors="replace")
                log.warning("compile warm-up child %s %s: %s", group, f"exited with {rc}" if rc is not None else "timed out", tail)
        return ok
    finally:
        for _, proc, err in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            err.close()


class _KernelCompiled(Exception):
    """Raised by the kernel child's stub once the kernel is compiled: the batch needs to go no further."""


def compile_kernel(job: Any) -> None:
    """The kernel child: the kernel compiled for the argument types of its first call in ``job``'s batch, not run."""
    from unittest import mock

    from endstate.engine import runner, seeding
    from endstate.model import kernel, presence, step

    def compile_only(*args: Any) -> None:
        dispatcher = kernel.month_kernel
        dispatcher.compile(tuple(dispatcher.typeof_pyval(a) for a in args))
        raise _KernelCompiled

    with (
        mock.patch.object(seeding, "fill_month", lambda *a: None),  # the random numbers and presence are left unset:
        mock.patch.object(presence, "deploy", lambda *a: 0),  # only the kernel's argument types matter here
        mock.patch.object(step, "month_kernel", compile_only),
        contextlib.suppress(_KernelCompiled),
    ):
        runner.RunBatch(job).run(compact=True)


def compile_rest(job: Any) -> None:
    """The other child: ``job``'s batch stepped to its end with a kernel that writes zeros (everything else is called
    with the argument types of a real simulation, and compiled), with its series recorded and without."""
    from unittest import mock

    from endstate.engine import runner
    from endstate.model import step
    from endstate.model.kernel import KernelMonth

    def zeros(*args: Any) -> None:
        for a in args:
            if isinstance(a, KernelMonth):
                for x in a:
                    x[...] = 0

    with mock.patch.object(step, "month_kernel", zeros):
        runner.simulate_chunk(replace(job, series_runs=job.stop))
        runner.simulate_chunk(replace(job, series_runs=0))


def main(argv: list[str]) -> int:
    """A child: ``warmup.py GROUP CACHE_FOLDER`` with a pickled ChunkJob on standard input."""
    from endstate.engine.executors import _die_with

    _die_with(os.getppid())
    group, folder = argv
    if str(cache_folder()) != folder:  # another copy of the package (or of its sources) than the parent's
        print(f"cache folder {cache_folder()} is not the parent's {folder}", file=sys.stderr)
        return 3
    job = pickle.loads(sys.stdin.buffer.read())
    {"kernel": compile_kernel, "rest": compile_rest}[group](job)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
