"""What the mechanism modules share to be compiled by Numba: the decorator, and ``clip`` for one number.

Each mechanism is written once, as a function of one run's (and one region's)
numbers, in the module named after it; :func:`mechanism` compiles it with
Numba so that the engine's monthly kernel (:mod:`endstate.model.kernel`) calls
it inside its loop over runs, and Python code and tests call the same compiled
function with plain floats.  ``cache=True`` keeps the machine code in
``__pycache__`` between processes; ``error_model="numpy"`` gives IEEE
arithmetic (a division by zero is an infinity or a NaN, which the engine's
guard then flags, as NumPy did), not a Python exception.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

import numpy as np
from numba import njit

Fn = TypeVar("Fn", bound=Callable[..., object])


def mechanism(fn: Fn) -> Fn:
    """Compile ``fn`` (scalar arguments, parameter groups as NamedTuples) for the kernel and for Python callers."""
    return cast(Fn, njit(cache=True, error_model="numpy")(fn))


@mechanism
def clip(x: float, lo: float, hi: float) -> float:
    """``np.clip`` for one number: a NaN stays NaN, as there, so that the engine's guard still sees it."""
    return np.minimum(np.maximum(x, lo), hi)
