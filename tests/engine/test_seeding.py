"""The engine's random numbers: run k's numbers depend on the seed, k and the month only, and they are what they claim to be."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from endstate.engine.seeding import STRIDE, U_SLOT, UC_SLOT, BlockStreams, fill_month, normal, run_keys, uniform


def test_a_run_sees_the_same_numbers_in_any_chunk() -> None:
    whole = BlockStreams(7, 0, 1_000)
    part = BlockStreams(7, 613, 901)
    for _ in range(3):
        a, b = whole.month(12, 11, 4), part.month(12, 11, 4)
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x[613:901], y)
    np.testing.assert_array_equal(whole.initial(5)[613:901], part.initial(5))


def test_the_rows_of_a_compacted_batch_are_those_runs_numbers() -> None:
    rows = np.array([3, 17, 18, 250, 251, 499])
    full, some = BlockStreams(3, 0, 500), BlockStreams(3, 0, 500)
    for _ in range(2):
        a, b = full.month(12, 11, 4), some.month(12, 11, 4, rows=rows)
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(x[rows], y)


def test_seeds_runs_and_months_differ() -> None:
    a, b = BlockStreams(1, 0, 200), BlockStreams(2, 0, 200)
    za, zb = a.month(6, 5, 2)[0], b.month(6, 5, 2)[0]
    assert (za != zb).all()
    assert (za[:-1] != za[1:]).all()  # neighbouring runs
    assert (a.month(6, 5, 2)[0] != za).all()  # the next month
    keys = run_keys(1, 0, 2)
    assert len({uniform(keys[0], 0), uniform(keys[1], 0), uniform(keys[0], 1)}) == 3


def test_uniforms_and_normals_have_their_distributions() -> None:
    """KS tests, and the normal tails (the ziggurat's wedges and its tail beyond 3.44) against their probabilities."""
    s = BlockStreams(11, 0, 50_000)
    z, u, uc = s.month(40, 20, 4)
    assert u.min() >= 0.0 and u.max() < 1.0 and uc.min() >= 0.0
    assert stats.kstest(u.ravel(), "uniform").pvalue > 1e-3
    assert stats.kstest(z.ravel(), "norm").pvalue > 1e-3
    n = z.size
    for t in (1.0, 2.0, 3.0, 3.442619855899, 4.0):
        expected = 2 * stats.norm.sf(t) * n
        assert abs((np.abs(z) > t).sum() - expected) < 5 * np.sqrt(expected), t
    assert abs(np.corrcoef(z[:, 0], z[:, 1])[0, 1]) < 0.03  # columns independent
    assert abs(np.corrcoef(u[:, 0], u[:, 1])[0, 1]) < 0.03


def _definition(keys: np.ndarray, month: int, wz: int, wu: int, wc: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A month's numbers read one at a time by the definition, and for each run how many more numbers than normals its
    normals took (in wedges and the tail)."""
    z, u, uc = np.empty((keys.size, wz)), np.empty((keys.size, wu)), np.empty((keys.size, wc))
    base, extra = month * STRIDE, np.zeros(keys.size, dtype=np.int64)
    for n, key in enumerate(keys):
        pos = base
        for i in range(wz):
            z[n, i], pos = normal(key, pos)
        extra[n] = pos - base - wz
        u[n] = [uniform(key, base + U_SLOT + i) for i in range(wu)]
        uc[n] = [uniform(key, base + UC_SLOT + c) for c in range(wc)]
    return z, u, uc, extra


def _filled(keys: np.ndarray, month: int, wz: int, wu: int, wc: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """fill_month's numbers, in arrays laid out as the engine's (runs fastest)."""
    z, u, uc = (np.full((keys.size, w), np.nan, order="F") for w in (wz, wu, wc))
    fill_month(keys, month, z, u, uc)
    return z, u, uc


def test_a_month_is_its_definition_read_number_by_number() -> None:
    """fill_month (blocks of runs, vectorised columns, the runs whose ziggurat needed more than one number redone one
    at a time and the run's later numbers shifted) gives every run exactly the numbers the definition reads one at a
    time: normals in order from the month's first position, uniforms at their slots."""
    runs, month = 601, 3  # two whole blocks of runs and one of 89, whose last word of flags holds 1 run's and 7 stale bytes
    keys = run_keys(5, 0, runs)
    *want, extra = _definition(keys, month, 40, 7, 3)
    for got, w in zip(_filled(keys, month, 40, 7, 3), want, strict=True):
        np.testing.assert_array_equal(got, w)
    assert 0.5 * runs < (extra > 0).sum() < runs  # most runs needed a wedge or the tail (about 1 - 0.972^40 of them), not all


def test_every_normal_path_is_its_definition() -> None:
    """Runs whose normals hit the tail (beyond 3.44) or took several extra numbers in one month: the same numbers as the
    definition's, whatever else is in their block (one run alone, only such runs, none, or the usual mix)."""
    keys = run_keys(8, 0, 4_000)
    month, wz = 7, 12
    z, _, _, extra = _definition(keys, month, wz, 1, 1)
    tail = np.flatnonzero((np.abs(z) > 3.442619855899).any(axis=1) | (extra >= 3))
    assert (np.abs(z[tail]) > 3.442619855899).any() and (extra[tail] >= 3).any()
    for some in (keys[tail], keys[tail[:1]], keys[:0], keys):
        *want, _ = _definition(some, month, wz, 2, 1)
        for got, w in zip(_filled(some, month, wz, 2, 1), want, strict=True):
            np.testing.assert_array_equal(got, w)


def test_the_streams_are_those_of_their_definition() -> None:
    """A few numbers of seed 2026, run 2, month 5, as the scalar fill_month of commit 379a53d drew them (one run, one number at a time)."""
    z, u, uc = _filled(run_keys(2026, 0, 3), 5, 4, 2, 1)
    assert z[2].tolist() == [2.150426798537461, 1.4513046864313799, -1.1441985297526698, -2.186652713144012]
    assert u[2].tolist() == [0.275169352965859, 0.859915426494755]
    assert uc[2].tolist() == [0.6319531340616354]


def test_out_arrays_are_filled_and_returned() -> None:
    """month(out=...) fills and returns the caller's arrays, month after month, with the numbers a fresh call gives;
    arrays of the wrong shape, type or order are refused with a message naming them."""
    fresh, reused = BlockStreams(4, 0, 300), BlockStreams(4, 0, 300)
    rows = np.arange(0, 300, 7)
    out = np.empty((300, 12), order="F"), np.empty((300, 11), order="F"), np.empty((300, 4), order="F")
    few = np.empty((rows.size, 12), order="F"), np.empty((rows.size, 11), order="F"), np.empty((rows.size, 4), order="F")
    for _ in range(3):
        got = reused.month(12, 11, 4, out=out)
        assert all(g is o for g, o in zip(got, out, strict=True))
        for g, w in zip(got, fresh.month(12, 11, 4), strict=True):
            np.testing.assert_array_equal(g, w)
        got = reused.month(12, 11, 4, rows=rows, out=few)
        for g, w in zip(got, fresh.month(12, 11, 4, rows=rows), strict=True):
            np.testing.assert_array_equal(g, w)
    wrong = np.empty((300, 11), order="F"), np.empty((299, 12), order="F"), np.empty((300, 12)), np.empty((300, 12), np.float32, order="F")
    for bad in wrong:
        with pytest.raises(ValueError, match="out array z"):
            reused.month(12, 11, 4, out=(bad, out[1], out[2]))


def test_run_keys_are_each_runs_compiled_key() -> None:
    """NumPy's unsigned arithmetic wraps as the compiled ``run_key`` does, for any seed and run range."""
    from endstate.engine.seeding import run_key, seed_key

    for seed, start, stop in [(0, 0, 3000), (12345, 10**6, 10**6 + 500), (2**31, 2**40, 2**40 + 50)]:
        keys = run_keys(seed, start, stop)
        assert keys.dtype == np.uint64
        np.testing.assert_array_equal(keys, [run_key(seed_key(seed), r) for r in range(start, stop)])
