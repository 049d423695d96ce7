"""What the mechanism modules share to be compiled by Numba: the decorator, and ``clip`` for one number.

Each mechanism is written once, as a function of one run's (and one region's)
numbers, in the module named after it; :func:`mechanism` compiles it with
Numba so that the engine's monthly kernel (:mod:`endstate.model.kernel`) calls
it inside its loop over runs, and Python code and tests call the same compiled
function with plain floats.  ``cache=True`` keeps the machine code in
``__pycache__`` between processes; ``error_model="numpy"`` gives IEEE
arithmetic (a division by zero is an infinity or a NaN, which the engine's
guard then flags, as NumPy did), not a Python exception.

LLVM is told (:data:`LLVM_OPTIONS`) to vectorise the kernel's long loops.

Numba's cache checks only the source file of the function it compiled, not
those of the functions it calls: after a change to ``violence.py`` alone, the
kernel's machine code in the cache would still be the old formula's.  So the
cache lives in a folder named after a digest of every compiled module's source
(:func:`cache_folder`: ``model/``, ``exits/`` and ``engine/``), set before any
function here is compiled; a changed source gets a fresh folder, and the
folders of earlier sources are removed.  :func:`jit` is ``njit`` with that cache
for the compiled code outside the mechanisms (the kernel, the exit rules, the
random numbers, the run guard).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

import llvmlite.binding as llvm
import numba
import numpy as np
from numba import njit
from numba.core.compiler import Compiler
from numpy.lib.array_utils import byte_bounds

Fn = TypeVar("Fn", bound=Callable[..., object])

_PACKAGE = Path(__file__).resolve().parents[1]
_COMPILED_FOLDERS = ("model", "exits", "engine")


def cache_folder() -> Path:
    """Where compiled code is cached: ``<endstate>/__pycache__/numba/<digest of the compiled modules' sources>``.

    Under a user's ``NUMBA_CACHE_DIR``, ``<that>/endstate/<digest>``.
    """
    digest = hashlib.sha256()
    for folder in _COMPILED_FOLDERS:
        for path in sorted((_PACKAGE / folder).glob("*.py")):
            digest.update(f"{folder}/{path.name}".encode())
            digest.update(path.read_bytes())
    user = os.environ.get("NUMBA_CACHE_DIR")
    base = Path(user) / "endstate" if user else _PACKAGE / "__pycache__" / "numba"
    return base / digest.hexdigest()[:16]


def _use_cache_folder() -> None:
    folder = cache_folder()
    setattr(numba.config, "CACHE_DIR", str(folder))  # noqa: B010 (config is untyped); read by Numba when each function is decorated with cache=True
    if folder.parent.is_dir():
        for old in folder.parent.iterdir():
            if old.is_dir() and old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)  # machine code of sources that no longer exist


_use_cache_folder()

LLVM_OPTIONS = ("-inline-threshold=1000", "-runtime-memory-check-threshold=1024", "-vectorize-memory-check-threshold=1024")
"""LLVM settings for the vectorised kernel (process-wide: they apply to all code Numba compiles in this process).

The kernel's stages are loops over a block of runs that read and write some
forty arrays (:mod:`endstate.model.kernel`).  LLVM vectorises such a loop only
after checking, when it starts, that no two arrays overlap; its defaults give
up beyond 8 (``runtime-memory-check-threshold``) or 128 pairs
(``vectorize-memory-check-threshold``) and leave the loop scalar.  The checks
cost a few comparisons a block of 64 runs; the violence stage ran 3 times
slower without them.  The inliner's default threshold (225) left the
arithmetic ``log1p`` (:mod:`endstate.model.elementary`) as a call, which keeps a
loop scalar.  None of these changes a result: they decide only whether a loop
is vectorised, and vector and scalar code do the same IEEE operations per run.
"""
for _option in LLVM_OPTIONS:
    llvm.set_option("", _option)


class NoAliasCompiler(Compiler):  # type: ignore[misc]
    """Numba's compiler, telling LLVM that no two arrays a function is given overlap (``noalias`` on every pointer argument).

    For a loop that writes one array and reads others, LLVM otherwise checks
    when the loop starts that none overlaps (``LLVM_OPTIONS``) and compiles
    the loop twice, vectorised and plain, the plain one for when one does.
    Told that none does, it compiles it once: the monthly kernel
    (:mod:`endstate.model.kernel`) compiled in 13 s instead of 19 s, at the
    same speed, with the same results.  It is a promise: a function compiled
    so must never be handed two arrays that share memory where either is
    written (LLVM's ``noalias``); its caller checks that
    (:func:`check_distinct`).  Arrays only read may share memory.
    """

    def define_pipelines(self):  # type: ignore[no-untyped-def]
        self.state.flags.noalias = True
        return super().define_pipelines()


def check_distinct(written: Iterable[np.ndarray], read: Iterable[np.ndarray] = ()) -> None:
    """Raise ``ValueError`` if any array of ``written`` shares memory with another array of ``written`` or ``read``
    (what a function compiled with :class:`NoAliasCompiler` must never be given).

    Compares the arrays' byte ranges, sorted (``n log n``, not every pair).
    """
    spans = [(*byte_bounds(a), True) for a in written if a.size] + [(*byte_bounds(a), False) for a in read if a.size]
    spans.sort(key=lambda x: x[0])
    end, end_written = -1, False  # the furthest end so far, and whether the array reaching it is written (a written one
    # starting before it has raised already)
    for lo, hi, w in spans:
        if lo < end and (w or end_written):
            raise ValueError("arrays handed to compiled code that assumes none overlaps share memory")
        if hi > end:
            end, end_written = hi, w


class DistinctCheck:
    """:func:`check_distinct` for a function handed the same arrays month after month, and a few fresh ones.

    ``written`` and ``read`` are checked once for a given set of arrays (held by
    weak reference, so that an array freed since cannot pass for a new one);
    ``fresh`` (arrays only read, new each call: a month's random numbers) each
    call, against the written arrays' sorted byte ranges only.
    """

    def __init__(self) -> None:
        self._last: tuple[weakref.ref[np.ndarray], ...] = ()
        self._lo, self._hi = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)  # the written arrays' byte ranges, sorted (disjoint once checked)

    def __call__(self, written: tuple[np.ndarray, ...], read: tuple[np.ndarray, ...], fresh: tuple[np.ndarray, ...] = ()) -> None:
        arrays = written + read
        last = self._last
        if not (len(last) == len(arrays) and all(r() is a for r, a in zip(last, arrays, strict=True))):
            check_distinct(written, read)
            spans = np.array(sorted(byte_bounds(a) for a in written if a.size), dtype=np.int64).reshape(-1, 2)
            self._lo, self._hi = spans[:, 0], spans[:, 1]
            self._last = tuple(weakref.ref(a) for a in arrays)
        for a in fresh:
            if a.size:
                lo, hi = byte_bounds(a)
                j = int(np.searchsorted(self._lo, hi))  # the written ranges starting before this one ends: the last ends furthest
                if j > 0 and self._hi[j - 1] > lo:
                    raise ValueError("arrays handed to compiled code that assumes none overlaps share memory")


def jit(**options: Any) -> Callable[[Fn], Fn]:
    """``njit(cache=True, **options)``, cached in :func:`cache_folder` (for compiled code that is not a mechanism)."""
    return cast(Callable[[Fn], Fn], njit(cache=True, **options))


def mechanism(fn: Fn) -> Fn:
    """Compile ``fn`` (scalar arguments, parameter groups as NamedTuples) for the kernel and for Python callers."""
    return cast(Fn, njit(cache=True, error_model="numpy", inline="always")(fn))


@mechanism
def clip(x: float, lo: float, hi: float) -> float:
    """``np.clip`` for one number: a NaN stays NaN, as there, so that the engine's guard still sees it."""
    return np.minimum(np.maximum(x, lo), hi)
