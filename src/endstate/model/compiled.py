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
import operator
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import llvmlite.binding as llvm
import numba
import numpy as np
from numba import njit

Fn = TypeVar("Fn", bound=Callable[..., object])
Tup = TypeVar("Tup", bound=tuple[Any, ...])

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


_FLAG_BITS = 0x1 | 0x2 | 0x100 | 0x400
"""An array's flags that its Numba type depends on: C- and Fortran-contiguous, aligned, writeable (NumPy's flag bits)."""


def _fingerprint(x: Any) -> Any:
    """What Numba's type of argument ``x`` depends on: an array's class, dtype (with its byte order), dimensions,
    layout (C, Fortran or neither), and whether it is aligned and writeable; a tuple's class and its items'; anything
    else's class."""
    if isinstance(x, np.ndarray):
        return (type(x), x.dtype, x.ndim, x.flags.num & _FLAG_BITS)
    if isinstance(x, tuple):
        return (type(x), *map(_fingerprint, x))
    return type(x)


class FastCall:
    """Calls compiled function ``dispatcher`` as it would be called, but without typing its arguments again each time
    a caller passes the same objects (the same arrays and tuples of arrays) call after call.

    Numba's dispatcher finds the machine code for a call from the arguments' types, each time: for the monthly kernel,
    whose arguments hold about a hundred arrays in named tuples, that is 30-35 us a call, as long as the kernel takes
    to step 100 runs, paid every month of every chunk.  A batch passes the same state, constants, random-number and
    month arrays month after month (only the numbers at ``scalars``, the month, bounds and flags, change), so the
    machine code found for a set of objects is kept and called directly while the same objects come (its entry
    point: 7-9 us for the kernel).  Objects are compared by identity and held while they are the bound ones (until a
    call with others: a finished batch's last arrays, a few MB), so an id cannot be reused by another object.  New
    objects (a batch that dropped its finished runs has new arrays) are matched by what their types depend on
    (:func:`_fingerprint`, about 0.1 ms) to the machine code found for objects of the same types before; objects of types not met yet go through the dispatcher (which may compile) and have
    their types found (about 1 ms, once a process).  So a call always runs the machine code the dispatcher would have
    chosen.  Scalars at ``scalars`` must have one type from call to call (a Python int, float or bool as declared).
    """

    def __init__(self, dispatcher: Any, scalars: tuple[int, ...] = ()):
        self.dispatcher = dispatcher
        self.scalars = frozenset(scalars)
        # each thread's (objects bound, their entry point): threads stepping batches of their own do not undo each
        # other's binding (a Dask worker may run chunks in several threads)
        self.local = threading.local()  # .binding: (objects, entry point, their fingerprints)
        self.entries: dict[Any, Any] = {}  # fingerprint of the objects -> entry point
        self.picks: dict[int, Callable[[tuple[Any, ...]], Any]] = {}

    def _objects(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """The arguments but the scalars, picked by a getter made once for each number of arguments (in C: 1 us a call
        less than a generator)."""
        pick = self.picks.get(len(args))
        if pick is None:
            keep = [k for k in range(len(args)) if k not in self.scalars]
            pick = self.picks[len(args)] = operator.itemgetter(*keep) if len(keep) > 1 else (lambda a: tuple(a[k] for k in keep))
        return cast(tuple[Any, ...], pick(args))

    def __call__(self, *args: Any) -> Any:
        objects = self._objects(args)
        binding = getattr(self.local, "binding", None)
        if binding is not None and len(binding[0]) == len(objects) and all(map(operator.is_, binding[0], objects)):
            return binding[1](*args)
        if binding is not None and len(binding[0]) == len(objects):  # the objects still bound keep their fingerprints
            prints = tuple(p if x is y else _fingerprint(x) for x, y, p in zip(objects, binding[0], binding[2], strict=True))
        else:
            prints = tuple(map(_fingerprint, objects))
        key = (tuple(type(args[k]) for k in sorted(self.scalars) if k < len(args)), prints)
        entry = self.entries.get(key)
        if entry is None:
            out = self.dispatcher(*args)
            found = self.dispatcher.overloads.get(tuple(self.dispatcher.typeof_pyval(a) for a in args))
            if found is not None:
                self.entries[key] = found.entry_point
                self.local.binding = (objects, found.entry_point, prints)
            return out
        self.local.binding = (objects, entry, prints)
        return entry(*args)


def reuse(previous: Tup | None, items: Tup) -> Tup:
    """``previous`` if it holds the very arrays of ``items`` (and equal other values), else ``items``: a tuple built
    afresh each month from the same arrays stays the same object, which a :class:`FastCall` then finds bound."""
    if previous is not None and type(previous) is type(items) and len(previous) == len(items):
        if all(a is b or (not isinstance(a, np.ndarray | tuple) and a == b) for a, b in zip(previous, items, strict=True)):
            return previous
    return items
