"""The arithmetic exp/log functions against the C library's, and their vectorisation in a compiled loop."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from endstate.model import elementary


@pytest.fixture(autouse=True)
def _quiet() -> object:
    """Overflow and invalid operations are what some of these tests ask for (exp(800), log(-1)): no warnings."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        yield


def ulps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance in units in the last place between two arrays of finite doubles of the same sign."""
    return np.abs(a.view(np.int64) - b.view(np.int64))


def test_exp_within_two_ulp_over_the_double_range() -> None:
    x = np.concatenate([np.linspace(-745.0, 709.7, 400_001), np.linspace(-1.0, 1.0, 100_001), np.random.default_rng(0).normal(0, 5, 100_000)])
    assert ulps(elementary.exp(x), np.exp(x)).max() <= 2


def test_exp_underflows_gradually_and_overflows_to_infinity() -> None:
    x = np.linspace(-745.1, -708.5, 20_001)  # subnormal results
    rel = np.abs(elementary.exp(x) - np.exp(x)) / np.exp(x)
    assert rel.max() < 1e-16 / np.exp(x + 708.4).min()  # bounded by the subnormal spacing
    assert elementary.exp(-746.0) == 0.0 and elementary.exp(-np.inf) == 0.0
    assert elementary.exp(709.78) == np.exp(709.78) or ulps(np.array([elementary.exp(709.78)]), np.array([np.exp(709.78)]))[0] <= 2
    assert elementary.exp(709.8) == np.inf and elementary.exp(np.inf) == np.inf
    assert np.isnan(elementary.exp(np.nan))
    assert elementary.exp(0.0) == 1.0


def test_log_within_two_ulp_over_the_double_range() -> None:
    rng = np.random.default_rng(1)
    x = np.concatenate([10.0 ** rng.uniform(-307, 308, 400_000), rng.uniform(0.5, 2.0, 200_000), 1.0 + rng.normal(0, 1e-6, 10_000)])
    x = x[x != 1.0]
    ours, theirs = elementary.log(x), np.log(x)
    same_sign = np.sign(ours) == np.sign(theirs)
    assert same_sign.all()
    assert ulps(ours, theirs).max() <= 2


def test_log_special_values_and_subnormals() -> None:
    assert elementary.log(0.0) == -np.inf
    assert np.isnan(elementary.log(-1.0)) and np.isnan(elementary.log(np.nan)) and np.isnan(elementary.log(-np.inf))
    assert elementary.log(np.inf) == np.inf
    assert elementary.log(1.0) == 0.0
    sub = np.array([5e-324, 1e-310, 2.2e-308])
    assert np.allclose(elementary.log(sub), np.log(sub), rtol=1e-15, atol=0.0)


@pytest.mark.parametrize("x", [1e-300, 1e-17, 1e-9, -1e-9, 0.3, -0.5, 3.0, 1e6, 1e300])
def test_log1p_keeps_small_arguments_accurate(x: float) -> None:
    assert elementary.log1p(x) == pytest.approx(np.log1p(x), rel=5e-16, abs=0.0)


def test_log1p_and_log10_special_values() -> None:
    assert elementary.log1p(-1.0) == -np.inf and np.isnan(elementary.log1p(-2.0)) and elementary.log1p(np.inf) == np.inf
    assert elementary.log1p(0.0) == 0.0 and np.isnan(elementary.log1p(np.nan))
    x = 10.0 ** np.random.default_rng(2).uniform(-300, 300, 100_000)
    assert ulps(elementary.log10(x[np.abs(np.log10(x)) > 1e-3]), np.log10(x[np.abs(np.log10(x)) > 1e-3])).max() <= 3
    assert elementary.log10(1000.0) == pytest.approx(3.0, rel=1e-15)


@njit(error_model="numpy")
def _loop(x: np.ndarray, out: np.ndarray) -> None:
    for i in range(x.shape[0]):
        out[i] = elementary.exp(x[i]) + elementary.log1p(x[i] * x[i])


def test_compiled_loop_gives_the_numbers_of_the_python_call_whatever_the_lane() -> None:
    x = np.random.default_rng(3).normal(0, 4, 1003)  # not a multiple of any vector width: the loop's tail runs too
    out = np.empty_like(x)
    _loop(x, out)
    assert np.array_equal(out, elementary.exp(x) + elementary.log1p(x * x))
    single = np.array([elementary.exp(v) + elementary.log1p(v * v) for v in x[-7:]])
    assert np.array_equal(out[-7:], single)
