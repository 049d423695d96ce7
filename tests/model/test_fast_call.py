"""FastCall: a compiled function called without typing its arguments again, as the dispatcher would call it."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from endstate.model.compiled import FastCall

Pair = namedtuple("Pair", ("a", "b"))


@njit
def _weighted(p, k, scale):  # type: ignore[no-untyped-def]
    return (p.a[k] + p.b[k]) * scale


def test_the_same_objects_are_bound_and_give_the_dispatchers_result() -> None:
    call = FastCall(_weighted, scalars=(1, 2))
    p = Pair(np.arange(5.0), np.ones(5))
    assert call(p, 2, 0.5) == _weighted(p, 2, 0.5) == 1.5
    binding = call.local.binding
    assert binding is not None and binding[0][0] is p  # bound after the first call of types it knows
    assert call(p, 3, 2.0) == 8.0 and call.local.binding is binding  # the month (scalars) changes, the binding stays


def test_objects_of_other_types_go_to_the_machine_code_for_theirs() -> None:
    """An int array under a binding made for a float one would be read as floats: it must take its own code."""
    call = FastCall(_weighted, scalars=(1, 2))
    floats = Pair(np.arange(5.0), np.ones(5))
    ints = Pair(np.arange(5), np.ones(5, dtype=np.int64))
    strided = Pair(np.arange(10.0)[::2], np.ones(5))  # a view with a stride: layout "A"
    for p in (floats, ints, strided, Pair(np.arange(5.0) * 2, np.zeros(5)), ints, floats):
        assert call(p, 4, 1.0) == _weighted(p, 4, 1.0)
        assert call(p, 1, 3.0) == _weighted(p, 1, 3.0)
    assert len(call.entries) == 3  # one for each kind of arguments, found once


def test_new_objects_of_known_types_reuse_the_machine_code() -> None:
    call = FastCall(_weighted, scalars=(1, 2))
    call(Pair(np.arange(5.0), np.ones(5)), 0, 1.0)
    entries = dict(call.entries)
    q = Pair(np.full(5, 7.0), np.ones(5))
    assert call(q, 0, 1.0) == 8.0 and call.entries == entries and call.local.binding[0][0] is q
