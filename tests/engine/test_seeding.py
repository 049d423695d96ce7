"""The engine's random numbers: run k's numbers depend on the seed, k and the month only, and they are what they claim to be."""

from __future__ import annotations

import numpy as np
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


def test_a_month_is_its_definition_read_number_by_number() -> None:
    """fill_month (blocks of runs, a vectorised first pass, a second pass for the runs whose ziggurat needed more than one
    number a normal) gives every run exactly the numbers the definition reads one at a time: normals in order from the
    month's first position, uniforms at their slots."""
    runs, month = 600, 3  # two whole blocks of runs and a partial one
    keys = run_keys(5, 0, runs)
    z, u, uc = np.empty((runs, 40)), np.empty((runs, 7)), np.empty((runs, 3))
    fill_month(keys, month, z, u, uc)
    base, longer = month * STRIDE, 0
    for n in range(runs):
        pos = base
        for i in range(z.shape[1]):
            want, pos = normal(keys[n], pos)
            assert z[n, i] == want, (n, i)
        longer += pos > base + z.shape[1]
        assert [uniform(keys[n], base + U_SLOT + i) for i in range(u.shape[1])] == u[n].tolist()
        assert [uniform(keys[n], base + UC_SLOT + c) for c in range(uc.shape[1])] == uc[n].tolist()
    assert 0.5 * runs < longer < runs  # most runs took the second pass (about 1 - 0.972^40 of them), not all


def test_the_streams_are_those_of_their_definition() -> None:
    """A few numbers of seed 2026, run 2, month 5, as the scalar fill_month of commit 379a53d drew them (one run, one number at a time)."""
    z, u, uc = np.empty((3, 4)), np.empty((3, 2)), np.empty((3, 1))
    fill_month(run_keys(2026, 0, 3), 5, z, u, uc)
    assert z[2].tolist() == [2.150426798537461, 1.4513046864313799, -1.1441985297526698, -2.186652713144012]
    assert u[2].tolist() == [0.275169352965859, 0.859915426494755]
    assert uc[2].tolist() == [0.6319531340616354]
