"""Speed of the vectorised engine against the plain-Python reference, measured in one process.

Run with ``.venv/bin/python benchmarks/engine.py`` (options: ``--help``).  BLAS
is held to one thread so that both sides use one core.

A run-month is one month of one run, counted from the mission start until the
run's observation ends: its exit month plus the post-exit horizon, or the
mission horizon if it is still running then.  Both implementations are credited
with the same run-months for the same run; months the engine spends on runs
already finished (a chunk steps until its last run is done) count as overhead,
not as work.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from endstate.engine.reference import simulate_reference  # noqa: E402
from endstate.engine.runner import simulate  # noqa: E402
from endstate.model.scenario import Scenario, compile_spec  # noqa: E402
from endstate.spec import load_spec, strategy_specs  # noqa: E402

DEFAULT_SPEC = Path(__file__).resolve().parents[1] / "examples" / "east_timor_1999_lead_state.yaml"
TARGET_RATE = 2_000_000
TARGET_RATIO = 100


def run_months(sc: Scenario, outcomes: pd.DataFrame) -> np.ndarray:
    """Months each run is simulated: until the end of its post-exit observation, or the horizon if still running."""
    exit_month = outcomes["exit_month"].to_numpy()
    months = np.where(exit_month >= 0, exit_month + sc.post_exit_months, sc.horizon)
    return np.minimum(months, sc.horizon + 60 + sc.post_exit_months)


def stepped(months: np.ndarray, chunk: int) -> int:
    """Run-months the engine steps: every run of a chunk, until the chunk's longest run ends."""
    return int(sum(months[a : a + chunk].max() * len(months[a : a + chunk]) for a in range(0, len(months), chunk)))


def timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    ap.add_argument("--strategy", default="baseline")
    ap.add_argument("--runs", type=int, default=20_000)
    ap.add_argument("--chunk", type=int, default=10_000)
    ap.add_argument("--reference-runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    spec = strategy_specs(load_spec(args.spec))[args.strategy]
    sc = compile_spec(spec)
    simulate(spec, 10, seed=args.seed, chunk_size=10, series_runs=0)  # warm up imports and caches

    fast, fast_wall, fast_cpu = timed(lambda: simulate(spec, args.runs, seed=args.seed, chunk_size=args.chunk, series_runs=0).outcomes)
    fast_months = run_months(sc, fast)
    ref, ref_wall, ref_cpu = timed(lambda: simulate_reference(spec, args.reference_runs, seed=args.seed))
    ref_months = np.array(ref.months)
    n = args.reference_runs
    assert (run_months(sc, ref.outcomes) == ref_months).all(), "run-month count disagrees with the reference's own count"
    same = (ref.outcomes[["exit_month", "exit_reason", "relapse_month", "phases_handed_over"]] == fast.iloc[:n][["exit_month", "exit_reason", "relapse_month", "phases_handed_over"]]).all(axis=1)

    fast_rate, ref_rate = fast_months.sum() / fast_cpu, ref_months.sum() / ref_cpu
    print(f"scenario: {spec.mission.name} ({args.strategy}), seed {args.seed}")
    print("run-month: one month of one run, from the mission start to the end of its post-exit observation (or the horizon if running)")
    print(f"vectorised: {args.runs:,} runs, chunk {args.chunk:,}, {fast_months.sum():,} run-months "
          f"(mean {fast_months.mean():.0f} a run; {stepped(fast_months, args.chunk) / fast_months.sum() - 1:.0%} more stepped on finished runs)")  # fmt: skip
    print(f"            {fast_cpu:.2f} s CPU, {fast_wall:.2f} s wall: {fast_rate:,.0f} run-months/s CPU ({fast_months.sum() / fast_wall:,.0f} wall)")
    print(f"reference:  {n:,} runs, {ref_months.sum():,} run-months, {ref_cpu:.2f} s CPU, {ref_wall:.2f} s wall: {ref_rate:,.0f} run-months/s CPU ({ref_months.sum() / ref_wall:,.0f} wall)")
    print(f"ratio (CPU): {fast_rate / ref_rate:,.0f}x   [target >= {TARGET_RATIO}x: {'met' if fast_rate / ref_rate >= TARGET_RATIO else 'NOT met'}]")
    print(f"vectorised rate target >= {TARGET_RATE:,} run-months/s on one core: {'met' if fast_rate >= TARGET_RATE else 'NOT met'}")
    print(f"agreement: {int(same.sum())}/{n} reference runs have the engine's exit month, exit reason, relapse month and phases")


if __name__ == "__main__":
    main()
