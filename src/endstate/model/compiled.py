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

Compiling all of it takes about 28 s of CPU, in one thread; the first
simulation on a cold cache splits it over two processes, one a core
(:mod:`endstate.engine.warmup`), and marks the folder as warm.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import llvmlite.binding as llvm
import numba
import numpy as np
from numba import njit

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


def jit(signature: str | None = None, **options: Any) -> Callable[[Fn], Fn]:
    """``njit(cache=True, **options)``, cached in :func:`cache_folder` (for compiled code that is not a mechanism).

    With a ``signature`` the function is compiled for those types only (when the module is imported, or loaded from
    the cache), and a call with other types converts its arguments: for a function called at many sites with
    different constants, which Numba would otherwise compile once for each constant (as a literal type).
    """
    if signature is None:
        return cast(Callable[[Fn], Fn], njit(cache=True, **options))
    return cast(Callable[[Fn], Fn], njit(signature, cache=True, **options))


def mechanism(fn: Fn) -> Fn:
    """Compile ``fn`` (scalar arguments, parameter groups as NamedTuples) for the kernel and for Python callers."""
    return cast(Fn, njit(cache=True, error_model="numpy", inline="always")(fn))


@mechanism
def clip(x: float, lo: float, hi: float) -> float:
    """``np.clip`` for one number: a NaN stays NaN, as there, so that the engine's guard still sees it."""
    return np.minimum(np.maximum(x, lo), hi)
