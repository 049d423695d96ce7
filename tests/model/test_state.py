"""The simulation state: what is built from its arrays is rebuilt when one is replaced; runs taken keep their layout."""

from __future__ import annotations

import copy
import pickle
from dataclasses import fields
from pathlib import Path

import numpy as np

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.params import load_parameters
from endstate.model.state import State, take_runs
from endstate.model.step import Draws, _state_tuple, step
from endstate.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def batch(runs: int = 6, seed: int = 1) -> RunBatch:
    return RunBatch(ChunkJob(load_spec(EXAMPLE), load_parameters(), seed, 0, runs, 0))


def test_what_is_built_is_kept_until_an_array_is_replaced() -> None:
    st = batch().st
    calls = []

    def build(s: State) -> tuple[np.ndarray, ...]:
        calls.append(1)
        return (s.spoilers, s.force)

    first = st.built("k", build)
    assert st.built("k", build) is first and len(calls) == 1
    st.force[0] = 123.0  # a write into an array changes nothing built
    assert st.built("k", build) is first and len(calls) == 1
    new = st.force.copy()
    st.force = new  # a replaced array drops everything built
    again = st.built("k", build)
    assert len(calls) == 2 and again[1] is new and again[0] is st.spoilers


def test_compiled_arrays_and_the_kernel_tuple_hold_a_replaced_array() -> None:
    st = batch().st
    (force,) = st.compiled_arrays((("force",), np.float64))
    assert _state_tuple(st).force is force is st.force
    st.force = np.arange(st.force.shape[0], dtype=np.int64)  # another dtype: replaced by a float copy when next asked for
    (checked,) = st.compiled_arrays((("force",), np.float64))
    assert checked.dtype == np.float64 and checked is st.force
    np.testing.assert_array_equal(checked, np.arange(st.force.shape[0]))
    assert _state_tuple(st).force is st.force


def test_a_replaced_array_is_the_one_the_kernel_steps() -> None:
    """A caller that puts a new array on the state between months (as the monitor's resampling does) gets it stepped,
    the same as a state that had it from the start."""
    a, b = batch(), batch()
    z, u, uc = a.streams.month(*a.widths)
    step(a.sc, a.pv, a.pt, a.st, Draws(z, u, uc), 0)
    step(b.sc, b.pv, b.pt, b.st, Draws(z, u, uc), 0)
    for st in (a.st, b.st):
        st.spoilers = np.asfortranarray(st.spoilers * 3.0)
    b.st = b.st.take(np.arange(b.st.force.shape[0]))  # nothing built yet
    for month in (1, 2):
        step(a.sc, a.pv, a.pt, a.st, Draws(z, u, uc), month)
        step(b.sc, b.pv, b.pt, b.st, Draws(z, u, uc), month)
    for f in fields(a.st):
        np.testing.assert_array_equal(getattr(a.st, f.name), getattr(b.st, f.name), err_msg=f.name)


def test_copies_build_their_own() -> None:
    st = batch().st
    t = _state_tuple(st)
    for other in (copy.deepcopy(st), pickle.loads(pickle.dumps(st))):
        assert "_built" not in other.__dict__
        assert _state_tuple(other).force is other.force is not t.force


def test_taken_runs_are_copies_with_the_runs_fastest() -> None:
    st = batch(9).st
    idx = np.array([7, 0, 3, 3])
    part = st.take(idx)
    for f in fields(st):
        a, b = getattr(st, f.name), getattr(part, f.name)
        assert b.flags.f_contiguous and b.flags.writeable and b.dtype == a.dtype, f.name
        np.testing.assert_array_equal(b, a[idx], err_msg=f.name)
        assert not np.shares_memory(a, b)
    c = np.arange(24.0).reshape(6, 4)  # a C-ordered array too
    np.testing.assert_array_equal(take_runs(c, idx[1:]), c[idx[1:]])
    assert take_runs(c, idx[1:]).flags.f_contiguous


def test_a_row_major_array_is_replaced_by_one_with_the_runs_fastest_once() -> None:
    """As the monitor's resampling leaves them (``a[idx]`` of a 2-D array is row-major): checked once, not copied
    again every month."""
    st = batch().st
    st.spoilers = np.ascontiguousarray(st.spoilers)
    (a,) = st.compiled_arrays((("spoilers",), np.float64))
    assert a.flags.f_contiguous and a is st.spoilers
    assert st.compiled_arrays((("spoilers",), np.float64))[0] is a
