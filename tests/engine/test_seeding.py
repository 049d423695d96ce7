"""The engine's random numbers: run k's numbers depend on the seed, k and the month only, and they are what they claim to be."""

from __future__ import annotations

import numpy as np
from scipy import stats

from endstate.engine.seeding import BlockStreams, run_keys, uniform


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
