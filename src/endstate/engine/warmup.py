"""The engine's compiled code compiled on both cores at once, the first time it is needed.

The first simulation with a source of the engine not seen before compiles the
engine's Numba code (:mod:`endstate.model.compiled`): the monthly kernel
(:func:`endstate.model.kernel.month_kernel`, about 15 s on the 2-core machine)
and everything else (the exit rules, presence, the random numbers, the guard:
about 12 s), one after the other, in one thread.  :func:`ensure`, called by
:func:`endstate.engine.runner.simulate_parts` before its first chunk (so that a
simulation's workers find the cache warm, and every caller of ``simulate``,
``endstate run`` and ``compare`` included, gains), compiles the two groups at
the same time in two child processes, one a core, each writing its machine
code into Numba's cache, and waits for both; the simulation then loads them
from the cache (0.15 s).  The wall time is the longer group's; the CPU time
that of one compile, plus a little (both children build the batch; a spawned
child imports the engine again).  It needs both cores: on a machine where
other work holds one, it takes as long as compiling in one process.

Exactly what the simulation then calls is compiled: each child steps a batch
of two runs (fewer if the first chunk is smaller) of the same spec,
parameters and horizon through :class:`~endstate.engine.runner.RunBatch`, so
every compiled function sees the argument types (NumPy layouts included) it
will see.  The kernel's child stubs the random numbers and presence (their
values are not needed to know the kernel's argument types) and compiles the
kernel for the arguments of its first call without running it; the other
child replaces the kernel by one that writes zeros and steps the batch to its
end along the paths the simulation's chunks take (monthly series recorded or
not, :func:`~endstate.engine.runner.simulate_chunk`).  The stubs live in the
children only: the calling process never patches anything.

The children are forked where the calling process runs a single thread (they
start with the engine imported; the engine's Numba code uses no threading
layer), and spawned otherwise (a fresh interpreter that imports the engine:
a fork of a process with other threads could inherit a lock one of them
holds).  They ignore Ctrl-C and die with their parent, which kills them on
any exception (Ctrl-C included) or past :data:`TIMEOUT_S`.

It runs only while the cache is cold for the simulation's layout: a marker
file in :func:`~endstate.model.compiled.cache_folder` (whose name is a digest
of the compiled sources, so a changed source is cold again), one for each
:func:`layout`, is written once both children succeeded.  An array of runs by
regions, contributors, phases or goals is both C- and Fortran-contiguous where
there are 0 or 1 of them, and Numba compiles another version of every function
that takes it: a strategy without handover phases, a spec with one region or
one contributor.  So each such layout is warmed up on two cores the first time
it is simulated (``endstate compare`` of a phased and an unphased strategy
compiles twice, each on both cores).  Anything that goes wrong (a child failing, killed, or
too slow) leaves the marker unwritten and the process compiles what is
missing itself on first use, as without this module; two processes warming
up at once both compile, and Numba's cache writes (atomic renames) keep
either's copy whole.  ``ENDSTATE_PARALLEL_COMPILE=0`` turns it off
(everything compiled in the calling process, on first use).

A simulation that takes a path the first of its layout did not (monthly
series recorded, which calls the indicators from Python), or whose arrays
differ in a way :func:`layout` does not see, compiles what it adds once, in
the calling process; code that steps a
:class:`~endstate.engine.runner.RunBatch` itself (``explain``, backtests)
compiles in its own process as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from endstate.model.compiled import cache_folder

log = logging.getLogger(__name__)

SWITCH = "ENDSTATE_PARALLEL_COMPILE"
"""Environment variable: ``0`` compiles in the calling process instead (and is what the children run with)."""

MARKER = "warm"
"""The start of the name of the file in the cache folder that says the compiled code of a layout is there (written
after a successful warm-up: :func:`marker`)."""

TIMEOUT_S = 600.0
"""The longest a warm-up waits for its children (a cold compile takes 30 s on the 2-core machine, a few minutes on a
heavily loaded one) before killing them and leaving the compile to the calling process."""

GROUPS = ("kernel", "rest")
"""The two children's shares: the monthly kernel; everything else (about equal compile times)."""


def layout(job: Any) -> str:
    """What besides the sources decides which machine code ``job``'s simulation needs: whether its chunk's runs and its
    regions, contributors, handover phases and goals number 0, 1 or more (``"22222"`` for the default example: 2 for
    two or more), since an array of runs by any of them is both C- and Fortran-contiguous at 0 or 1 and Numba types
    it as another layout."""
    from endstate.model.scenario import compile_spec

    sc = compile_spec(job.spec, job.horizon)
    sizes = (job.stop - job.start, sc.R, sc.C, sc.phase_mask.shape[0], sc.goal_indicator.shape[0])
    return "".join(str(min(int(d), 2)) for d in sizes)


def marker(job: Any) -> Path:
    """The file that says ``job``'s layout (:func:`layout`) was warmed up with these sources."""
    return cache_folder() / f"{MARKER}-{layout(job)}"


def is_cold(job: Any) -> bool:
    """Whether the compiled code of these sources was never warmed up here for ``job``'s layout (no marker; not
    switched off)."""
    return os.environ.get(SWITCH, "1") != "0" and not marker(job).exists()


def start_method() -> str:
    """``fork`` where the platform has it and this process runs one thread: the children start with the engine
    imported (spawned, each imports it again: 1.5 s, 3-5 s on a loaded machine); ``spawn`` otherwise (a forked copy of
    a process with other threads could inherit a lock one of them holds, Numba's compiler lock among them)."""
    return "fork" if hasattr(os, "fork") and threading.active_count() == 1 else "spawn"


_TRIED: set[Path] = set()
"""The markers this process has tried to write: a warm-up that failed is not tried again for the same layout (the
process compiled, or compiles, it itself)."""


def ensure(jobs: Sequence[Any], timeout_s: float = TIMEOUT_S, method: str | None = None, announce: Callable[[], None] | None = None) -> bool:
    """Compile the engine for a simulation's chunks ``jobs`` in two child processes if the cache is cold; whether it did.

    The children step at most the first two runs of the first
    :class:`~endstate.engine.runner.ChunkJob`, along the paths the chunks
    take (series recorded or not); it is that job's layout that is warmed up,
    once a process (a failed warm-up is not tried again).  ``announce`` is
    called just before the children start (a command line says why it
    pauses).  ``method``: ``fork`` or ``spawn``
    (default: :func:`start_method`).  Returns ``False`` (the calling process
    then compiles on first use) when the cache is warm, the warm-up is
    switched off, the machine has one core, the cache folder cannot be
    written, or a child failed.
    """
    job = jobs[0]
    if os.environ.get(SWITCH, "1") == "0":
        return False
    done = marker(job)  # (a digest of the sources and the spec's layout: found once)
    if done.exists() or done in _TRIED or (os.cpu_count() or 1) < 2 or not _writable(done.parent):
        return False  # (one core: nothing to gain; a cache it cannot write: the children's compile would be lost)
    _TRIED.add(done)
    if announce:
        announce()
    small = replace(job, stop=job.start + min(2, job.stop - job.start))
    paths = sorted({min(j.series_runs - j.start, j.stop - j.start) > 0 for j in jobs})  # (simulate_chunk's test)
    started = time.perf_counter()
    ok = run_children(small, paths, timeout_s, method or start_method())
    if ok:
        with contextlib.suppress(OSError):
            done.touch()  # (in the folder _writable made)
    log.info(
        "compile warm-up on two cores: %s in %.1f s",
        "done" if ok else "failed (compiling in this process)",
        time.perf_counter() - started,
    )
    return ok


def _writable(folder: Path) -> bool:
    """Whether compiled code can be cached in ``folder`` (children that could not cache what they compile would only
    make the calling process compile it again after them)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def child_command(group: str) -> list[str]:
    """The command line of a spawned child compiling ``group`` (its job comes pickled on standard input)."""
    return [
        sys.executable,
        "-c",
        "import sys; from endstate.engine.warmup import main; sys.exit(main(sys.argv[1:]))",
        group,
        str(cache_folder()),
    ]


class Child:
    """A child process compiling one group, forked or spawned, its standard error into ``err``."""

    def __init__(self, group: str, job: Any, paths: list[bool], method: str, err: Any):
        self.group, self.err = group, err
        self.rc: int | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        if method == "fork":
            self.pid = _fork(group, job, paths, err)
            return
        env = {
            **os.environ,
            SWITCH: "0",
            "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]),
        }
        self.proc = subprocess.Popen(child_command(group), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err, env=env)
        self.pid = self.proc.pid
        assert self.proc.stdin is not None
        with contextlib.suppress(OSError):  # a child that died at once: its exit status says so
            self.proc.stdin.write(pickle.dumps((job, paths)))
            self.proc.stdin.close()

    def poll(self) -> int | None:
        """Its exit status, or None while it runs."""
        if self.rc is None:
            if self.proc is not None:
                self.rc = self.proc.poll()
            else:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                self.rc = os.waitstatus_to_exitcode(status) if pid else None
        return self.rc

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            if self.proc is not None:
                self.proc.wait()
            else:
                os.waitpid(self.pid, 0)
            self.rc = -signal.SIGKILL


def _fork(group: str, job: Any, paths: list[bool], err: Any) -> int:
    """Fork a child that compiles ``group`` and exits (never returns in the child)."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.dup2(err.fileno(), 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.stderr = open(2, "w", closefd=False)  # (the parent's may be a Python object, not its descriptor 2)  # noqa: SIM115
        from endstate.engine.executors import _die_with

        _die_with(parent)
        os.environ[SWITCH] = "0"
        WORK[group](job, paths)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os._exit(code)


def run_children(job: Any, paths: list[bool], timeout_s: float, method: str) -> bool:
    """Start one child per group (by ``method``) and wait for all; whether all succeeded.  A child still running at
    ``timeout_s``, or at any exception here (Ctrl-C included), is killed."""
    children: list[Child] = []
    try:
        for group in GROUPS:
            err = tempfile.TemporaryFile()
            try:
                children.append(Child(group, job, paths, method, err))
            except BaseException:
                err.close()
                raise
        deadline = time.monotonic() + timeout_s
        while any(c.poll() is None for c in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        ok = True
        for c in children:
            rc = c.poll()
            if rc != 0:
                ok = False
                c.err.seek(0)
                tail = c.err.read()[-2000:].decode(errors="replace")
                log.warning(
                    "compile warm-up child %s %s: %s", c.group, f"exited with {rc}" if rc is not None else "timed out", tail
                )
        return ok
    finally:
        for c in children:
            c.kill()
            c.err.close()


class _KernelCompiled(Exception):
    """Raised by the kernel child's stub once the kernel is compiled: the batch needs to go no further."""


def compile_kernel(job: Any, paths: list[bool]) -> None:
    """The kernel child: the kernel compiled for the argument types of its first call in ``job``'s batch, not run."""
    from unittest import mock

    from endstate.engine import runner, seeding
    from endstate.model import kernel, presence, step

    def compile_only(*args: Any) -> None:
        dispatcher: Any = kernel.month_kernel  # a Numba dispatcher
        dispatcher.compile(tuple(dispatcher.typeof_pyval(a) for a in args))
        raise _KernelCompiled

    with (
        mock.patch.object(seeding, "fill_month", lambda *a: None),  # the random numbers and presence are left unset:
        mock.patch.object(presence, "deploy", lambda *a: 0),  # only the kernel's argument types matter here
        mock.patch.object(step, "KERNEL", compile_only),  # (the kernel as step calls it: endstate.model.compiled.FastCall)
        contextlib.suppress(_KernelCompiled),
    ):
        runner.RunBatch(job).run(compact=True)


def compile_rest(job: Any, paths: list[bool]) -> None:
    """The other child: ``job``'s batch stepped to its end with a kernel that writes zeros (everything else is called
    with the argument types of a real simulation, and compiled), with its series recorded and/or without (``paths``:
    whether series are recorded, as the simulation's chunks do)."""
    from unittest import mock

    from endstate.engine import runner
    from endstate.model import step
    from endstate.model.kernel import KernelMonth

    def zeros(*args: Any) -> None:
        for a in args:
            if isinstance(a, KernelMonth):
                for x in a:
                    x[...] = 0

    with mock.patch.object(step, "KERNEL", zeros):
        for series in paths:
            runner.simulate_chunk(replace(job, series_runs=job.stop if series else 0))


WORK: dict[str, Callable[[Any, list[bool]], None]] = {"kernel": compile_kernel, "rest": compile_rest}


def main(argv: list[str]) -> int:
    """A spawned child: ``GROUP CACHE_FOLDER`` with a pickled (ChunkJob, paths) on standard input."""
    from endstate.engine.executors import _die_with

    _die_with(os.getppid())
    group, folder = argv
    if str(cache_folder()) != folder:  # another copy of the package (or of its sources) than the parent's
        print(f"cache folder {cache_folder()} is not the parent's {folder}", file=sys.stderr)
        return 3
    job, paths = pickle.loads(sys.stdin.buffer.read())
    WORK[group](job, paths)
    return 0
