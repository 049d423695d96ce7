"""What one month's random numbers cost (``seeding.fill_month``), against the floor of the same count of uniforms.

Run with ``.venv/bin/python benchmarks/random_numbers.py`` (options: ``--help``).
For the default scenario's widths (2R+2 normals, 2R+1 and C uniforms a
run-month) and a batch of runs, it prints the minimum over repetitions of, side
by side in one run:

- the whole month (:func:`endstate.engine.seeding.fill_month`), in ns a run-month;
- its normals alone and its uniforms alone, in ns a number: a uniform is one
  SplitMix64 number in a vectorised loop, the floor; a normal is one such
  number looked up in the ziggurat's tables most of the time (two gathers),
  plus the runs whose number left its layer's box, redone one at a time;
- the ratio of a normal's cost to a uniform's.

Months 12 and 100 are drawn (different counters, the same work).  On a machine
shared with other work the times are noisy: read the ratios, not the times.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from endstate.engine.seeding import fill_month, run_keys
from endstate.model.scenario import compile_spec
from endstate.model.step import Draws
from endstate.spec import load_spec

DEFAULT_SPEC = Path(__file__).resolve().parents[1] / "examples" / "east_timor_1999_lead_state.yaml"


def fastest(keys: np.ndarray, month: int, wz: int, wu: int, wc: int, repeats: int) -> float:
    """The least time of ``repeats`` calls of fill_month on arrays laid out as the engine's (runs fastest), in seconds."""
    z, u, uc = (np.empty((keys.size, w), order="F") for w in (wz, wu, wc))
    fill_month(keys, month, z, u, uc)  # compile (or load from the cache), and touch the arrays' pages
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fill_month(keys, month, z, u, uc)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=str(DEFAULT_SPEC), help="case spec whose regions and contributors give the widths")
    ap.add_argument("--runs", type=int, default=10_000, help="runs in the batch (the engine's default chunk)")
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    sc = compile_spec(load_spec(args.spec))
    wz, wu, wc = Draws.widths(sc.R, sc.C)
    keys = run_keys(3, 0, args.runs)
    print(f"{args.runs:,} runs; a run-month draws {wz} normals and {wu} + {wc} uniforms")
    for month in (12, 100):
        whole = fastest(keys, month, wz, wu, wc, args.repeats)
        normals = fastest(keys, month, wz, 0, 0, args.repeats)
        uniforms = fastest(keys, month, 0, wu, wc, args.repeats)
        per_normal, per_uniform = normals / (args.runs * wz), uniforms / (args.runs * (wu + wc))
        print(
            f"month {month}: {whole / args.runs * 1e9:.1f} ns a run-month; a normal {per_normal * 1e9:.2f} ns, "
            f"a uniform {per_uniform * 1e9:.2f} ns ({per_normal / per_uniform:.1f}x)"
        )


if __name__ == "__main__":
    main()
