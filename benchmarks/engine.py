"""Speed of the compiled engine against the plain-Python reference, measured side by side in one run.

Run with ``.venv/bin/python benchmarks/engine.py`` (options: ``--help``).  BLAS
is held to one thread so that one worker uses one core.  It prints:

- the compile time paid once (a fresh process with an empty Numba cache, which
  compiles on both cores: :mod:`endstate.engine.warmup`), wall and CPU, the time a
  second process takes to load it from that cache instead, and, for comparison,
  a cold first run compiling in its own process (``ENDSTATE_PARALLEL_COMPILE=0``);
- run-months a second on one core (one worker, CPU time) and on two (two
  worker processes, wall time), the share of the one-core time spent
  drawing random numbers, and where the rest goes (the compiled month
  kernel, the compiled exit rules, the guard, Python and NumPy around them);
- the reference's run-months a second on the same runs' scenario, and the ratio;
- with ``--repeat N`` (3 by default) each of the one-core, two-worker and reference runs is made N times,
  alternated so that each sees the same phases of a shared machine, and the fastest of each is reported
  (interference only ever slows a run down), all of them listed at the end;
- how many reference runs the engine reproduces.

A run-month is one month of one run, counted from the mission start until the
run's observation ends: its exit month plus the post-exit horizon, or the
mission horizon if it is still running then.  Both implementations are credited
with the same run-months for the same run; months the engine spends on runs
already finished (a chunk steps until its last run is done) count as overhead,
not as work (runs whose observation ended are not stepped).  On a machine shared with other work the rates are low and noisy:
read them against the reference measured in the same run.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from endstate.engine import runner, seeding, warmup  # noqa: E402
from endstate.engine.reference import simulate_reference  # noqa: E402
from endstate.engine.runner import simulate  # noqa: E402
from endstate.exits import rules  # noqa: E402
from endstate.model import step  # noqa: E402
from endstate.model.scenario import Scenario, compile_spec  # noqa: E402
from endstate.spec import load_spec, strategy_specs  # noqa: E402

DEFAULT_SPEC = Path(__file__).resolve().parents[1] / "examples" / "east_timor_1999_lead_state.yaml"
TARGET_RATE = 2_500_000
TARGET_RATE_2 = 4_500_000
TARGET_RATIO = 400
TARGET_COMPILE_S = 20.0

FIRST_MONTH = """
import time, json, sys, os
t0 = time.perf_counter()
from endstate.engine.runner import simulate
from endstate.spec import load_spec
t1, c1 = time.perf_counter(), os.times()
simulate(load_spec(sys.argv[1]), 2, seed=0, chunk_size=2, series_runs=0)
c2 = os.times()
cpu = sum(getattr(c2, f) - getattr(c1, f) for f in ("user", "system", "children_user", "children_system"))
print(json.dumps({"import_s": t1 - t0, "first_run_s": time.perf_counter() - t1, "first_run_cpu_s": cpu}))
"""
"""A fresh process that simulates two runs: with an empty cache the first run pays the compilation (its CPU time
counts the warm-up's children, endstate.engine.warmup)."""


def run_months(sc: Scenario, outcomes: pd.DataFrame) -> np.ndarray:
    """Months each run is simulated: until the end of its post-exit observation, or the horizon if still running."""
    exit_month = outcomes["exit_month"].to_numpy()
    months = np.where(exit_month >= 0, exit_month + sc.post_exit_months, sc.horizon)
    return np.minimum(months, sc.horizon + 60 + sc.post_exit_months)


def timed(fn):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def first_month(spec_path: Path, cache_dir: str, parallel: bool = True) -> dict[str, float]:
    """The first two runs of a fresh process on ``cache_dir``; ``parallel``: with the two-core warm-up, or compiling in the process."""
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, warmup.SWITCH: "1" if parallel else "0"}
    out = subprocess.run([sys.executable, "-c", FIRST_MONTH, str(spec_path)], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


class Timer:
    """CPU time spent in ``owner.name`` (a function or method, called from Python) while it is installed."""

    def __init__(self, owner: object, name: str) -> None:
        self.seconds = 0.0
        self.owner, self.name = owner, name
        self._orig = getattr(owner, name)

    def __enter__(self) -> Timer:
        orig, timer = self._orig, self

        def timed_call(*a: object, **k: object) -> object:
            t = time.process_time()
            out = orig(*a, **k)
            timer.seconds += time.process_time() - t
            return out

        setattr(self.owner, self.name, timed_call)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self.owner, self.name, self._orig)

    @staticmethod
    @contextlib.contextmanager
    def paused(*timers: Timer) -> Iterator[None]:
        """The timed functions as they were while the block runs (the two-worker run and the reference between repeats)."""
        installed = [getattr(t.owner, t.name) for t in timers]
        for t in timers:
            setattr(t.owner, t.name, t._orig)
        try:
            yield
        finally:
            for t, f in zip(timers, installed, strict=True):
                setattr(t.owner, t.name, f)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    ap.add_argument("--strategy", default="baseline")
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--chunk", type=int, default=runner.CHUNK_SIZE)
    ap.add_argument("--reference-runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="each rate measured this many times, alternated; the fastest is reported (all are printed)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        cold = first_month(args.spec, cache)
        warm = first_month(args.spec, cache)
    with tempfile.TemporaryDirectory() as cache:
        serial = first_month(args.spec, cache, parallel=False)

    spec = strategy_specs(load_spec(args.spec))[args.strategy]
    sc = compile_spec(spec)
    simulate(spec, 10, seed=args.seed, chunk_size=10, series_runs=0)  # warm up imports and caches

    ones, twos, refs = [], [], []  # (seconds, result) of each repeat, the three alternated so that each sees the machine's phases
    with (
        Timer(seeding, "fill_month") as draws,
        Timer(step, "KERNEL") as kernel,
        Timer(rules, "APPLY_MONTH") as exit_rules,
        Timer(runner, "_flag_nonfinite") as guard,
    ):
        for _ in range(args.repeat):
            out, wall, cpu = timed(lambda: simulate(spec, args.runs, seed=args.seed, chunk_size=args.chunk, series_runs=0).outcomes)
            ones.append((cpu, wall, out))
            with Timer.paused(draws, kernel, exit_rules, guard):
                out, wall, _ = timed(lambda: simulate(spec, args.runs, seed=args.seed, chunk_size=args.chunk, series_runs=0, workers=2).outcomes)
                twos.append((wall, out))
                out, wall, cpu = timed(lambda: simulate_reference(spec, args.reference_runs, seed=args.seed))
                refs.append((cpu, wall, out))
    fast_cpu, fast_wall, fast = min(ones, key=lambda t: t[0])
    two_wall, two = min(twos, key=lambda t: t[0])
    ref_cpu, ref_wall, ref = min(refs, key=lambda t: t[0])
    all_cpu = sum(t[0] for t in ones)  # the timers count every repeat: their shares are of all the one-core runs
    fast_months = run_months(sc, fast)
    ref_months = np.array(ref.months)
    n = args.reference_runs
    assert (run_months(sc, ref.outcomes) == ref_months).all(), "run-month count disagrees with the reference's own count"
    assert all(t[1].equals(fast) for t in twos) and all(t[2].equals(fast) for t in ones), "two workers or a repeat gave different outcomes"
    cols = ["exit_month", "exit_reason", "relapse_month", "phases_handed_over"]
    same = (ref.outcomes[cols] == fast.iloc[:n][cols]).all(axis=1)

    fast_rate, ref_rate = fast_months.sum() / fast_cpu, ref_months.sum() / ref_cpu
    two_rate = fast_months.sum() / two_wall
    compile_s = cold["first_run_s"] - warm["first_run_s"]
    print(f"scenario: {spec.mission.name} ({args.strategy}), seed {args.seed}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print("run-month: one month of one run, from the mission start to the end of its post-exit observation (or the horizon if running)")
    print(f"compile: first 2 runs in a fresh process {cold['first_run_s']:.2f} s wall ({cold['first_run_cpu_s']:.1f} s CPU, both cores) with an empty "
          f"cache, {warm['first_run_s']:.2f} s loading the cache: compile paid once about {compile_s:.1f} s   [target < {TARGET_COMPILE_S:.0f} s and cached: "
          f"{'met' if compile_s < TARGET_COMPILE_S and warm['first_run_s'] < cold['first_run_s'] else 'NOT met'}]")  # fmt: skip
    print(f"         compiled in the process instead ({warmup.SWITCH}=0, one core): {serial['first_run_s']:.2f} s wall, "
          f"{serial['first_run_cpu_s']:.1f} s CPU")  # fmt: skip
    print(f"compiled:   {args.runs:,} runs, chunk {args.chunk:,}, {fast_months.sum():,} run-months (mean {fast_months.mean():.0f} a run; "
          f"runs whose observation ended are not stepped)")  # fmt: skip
    print(f"  one core: {fast_cpu:.2f} s CPU, {fast_wall:.2f} s wall: {fast_rate:,.0f} run-months/s CPU ({fast_months.sum() / fast_wall:,.0f} wall)"
          f"   [target >= {TARGET_RATE:,}: {'met' if fast_rate >= TARGET_RATE else 'NOT met'}]")  # fmt: skip
    rest = all_cpu - draws.seconds - kernel.seconds - exit_rules.seconds - guard.seconds
    print(f"            random numbers (seeding.fill_month): {draws.seconds / args.repeat:.2f} s CPU a run, {draws.seconds / all_cpu:.0%} of the one-core time")
    print(f"            where the rest goes: mechanisms 1-16 (month_kernel) {kernel.seconds / all_cpu:.0%}, exit rules "
          f"(rules.apply_month) {exit_rules.seconds / all_cpu:.0%}, guard {guard.seconds / all_cpu:.0%}, Python and NumPy around "
          f"them (presence tables, setup, outcomes, events) {rest / all_cpu:.0%}; mechanisms 1-16 "
          f"{kernel.seconds / args.repeat / fast_months.sum() * 1e9:,.0f} ns a run-month (all repeats)")  # fmt: skip
    print(f"  two workers: {two_wall:.2f} s wall: {two_rate:,.0f} run-months/s ({two_rate / (fast_months.sum() / fast_wall):.2f}x one worker's wall rate)"
          f"   [target >= {TARGET_RATE_2:,}: {'met' if two_rate >= TARGET_RATE_2 else 'NOT met'}]; outcomes identical to one worker's")  # fmt: skip
    print(f"reference:  {n:,} runs, {ref_months.sum():,} run-months, {ref_cpu:.2f} s CPU, {ref_wall:.2f} s wall: {ref_rate:,.0f} run-months/s CPU ({ref_months.sum() / ref_wall:,.0f} wall)")
    print(f"ratio (CPU): {fast_rate / ref_rate:,.0f}x   [target >= {TARGET_RATIO}x: {'met' if fast_rate / ref_rate >= TARGET_RATIO else 'NOT met'}]")
    print(f"agreement: {int(same.sum())}/{n} reference runs have the engine's exit month, exit reason, relapse month and phases")
    if args.repeat > 1:
        rates = lambda xs, months: ", ".join(f"{months / x[0]:,.0f}" for x in xs)  # noqa: E731
        print(f"repeats (fastest reported above): one core {rates(ones, fast_months.sum())}; two workers {rates(twos, fast_months.sum())}; "
              f"reference {rates(refs, ref_months.sum())} run-months/s")  # fmt: skip


if __name__ == "__main__":
    main()
