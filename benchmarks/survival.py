"""The c-index against the all-pairs count it replaced: time and peak memory side by side, then at 200,000 spells.

The all-pairs version (the backtest's until December 2026) built n-by-n
matrices: at 200,000 spells it asked for 37 GiB.  This script times both on
the same data at a size the all-pairs one can still hold, checks they agree,
and prints the ratios; then it runs the shared
:func:`endstate.outcomes.survival.c_index` alone at the size that failed.

    python benchmarks/survival.py [--n 4000] [--large 200000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from endstate.outcomes.survival import c_index


def all_pairs_c_index(risk: np.ndarray, time: np.ndarray, event: np.ndarray) -> float:
    """The replaced implementation, kept here only as the baseline it is measured against."""
    t_i, t_j = time[:, None], time[None, :]
    comparable = event[:, None] & ((t_i < t_j) | ((t_i == t_j) & ~event[None, :]))
    r_i, r_j = risk[:, None], risk[None, :]
    score = np.where(r_i > r_j, 1.0, np.where(r_i == r_j, 0.5, 0.0))
    n = comparable.sum()
    return float((score * comparable).sum() / n) if n else float("nan")


def spells(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random spells shaped like a backtest's: months 0-120, 30% relapsed, risks with ties."""
    rng = np.random.default_rng(seed)
    return np.round(rng.random(n), 3), rng.integers(0, 121, n).astype(float), rng.random(n) < 0.3


def measure(fn: Callable[..., float], *args: np.ndarray) -> tuple[float, float, float]:
    tracemalloc.start()
    t0 = time.perf_counter()
    value = fn(*args)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return value, seconds, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=4000, help="spells for the side-by-side run")
    ap.add_argument("--large", type=int, default=200_000, help="spells for the shared c-index alone")
    a = ap.parse_args()
    data = spells(a.n)
    old, t_old, m_old = measure(all_pairs_c_index, *data)
    new, t_new, m_new = measure(c_index, *data)
    assert abs(old - new) < 1e-12, (old, new)
    print(f"n={a.n:,}: all-pairs {t_old:.2f} s, {m_old:,.0f} MiB peak; shared {t_new:.3f} s, {m_new:,.1f} MiB peak; same value {new:.6f}")
    print(f"ratios (all-pairs / shared): time {t_old / t_new:.0f}x, memory {m_old / m_new:.0f}x")
    big, t_big, m_big = measure(c_index, *spells(a.large, 1))
    pairs_gib = a.large**2 / 2**30
    print(f"n={a.large:,}: shared {t_big:.2f} s, {m_big:,.1f} MiB peak (one n-by-n boolean matrix alone would be {pairs_gib:,.0f} GiB); c={big:.4f}")


if __name__ == "__main__":
    main()
