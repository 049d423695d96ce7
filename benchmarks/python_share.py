"""How much of the engine's one-core time is spent in the Python around its compiled calls.

Run with ``.venv/bin/python benchmarks/python_share.py`` (options: ``--help``).
It simulates the default scenario (``--runs`` runs in chunks of 10,000, no
sampled series: the engine's own path, with compaction) several times and
prints, for the fastest repetition, the CPU time a run-month in ns: in all,
in the compiled functions (the monthly kernel, the random numbers, the
presence, the exit rules, the guard, and the small compiled helpers the
Python calls: the resumed wars' rates and the event log's write), and the
rest, the plain Python and NumPy between and around them (building the
batch and its outcome tables included), with its share.

Each compiled function is timed around its call, so its dispatch (Numba
unboxing its arguments) counts as compiled.  On a machine shared with other
work the times are noisy: compare shares of runs made one after the other.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from endstate.engine import runner, seeding
from endstate.exits import events, rules
from endstate.model import presence
from endstate.model import step as step_module
from endstate.spec import load_spec, strategy_specs

DEFAULT_SPEC = Path(__file__).resolve().parents[1] / "examples" / "east_timor_1999_lead_state.yaml"
COMPILED = ((step_module, "KERNEL"), (seeding, "fill_month"), (presence, "deploy"), (rules, "APPLY_MONTH"), (runner, "_flag_nonfinite"),
            (step_module, "_resume"), (events, "_write"))  # fmt: skip
"""The compiled functions the engine's Python calls each month, by the module whose global name the call looks up."""


def timed(fn: Callable[..., Any], spent: list[int]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        t = time.thread_time_ns()
        out = fn(*args)
        spent[0] += time.thread_time_ns() - t
        return out

    return call


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    a = ap.parse_args()
    spec = strategy_specs(load_spec(a.spec))["baseline"]
    runner.simulate(spec, 10, seed=0, chunk_size=10, series_runs=0)  # compile (or load from the cache)
    spent = [0]
    for module, name in COMPILED:
        if hasattr(module, name):  # (an older tree, for a comparison, may lack a helper)
            setattr(module, name, timed(getattr(module, name), spent))
    best: tuple[float, float] | None = None
    for _ in range(a.repeats):
        spent[0] = 0
        t = time.thread_time_ns()
        o = runner.simulate(spec, a.runs, seed=0, chunk_size=runner.CHUNK_SIZE, series_runs=0).outcomes
        total = time.thread_time_ns() - t
        months = float(o["months_observed"].sum())  # the run-months stepped
        if best is None or total / months < best[0]:
            best = (total / months, spent[0] / months)
    assert best is not None
    total_rm, compiled_rm = best
    print(f"{a.runs} runs, fastest of {a.repeats}: {total_rm:.0f} ns a run-month in all, {compiled_rm:.0f} in compiled functions, "
          f"{total_rm - compiled_rm:.0f} in the Python around them ({(total_rm - compiled_rm) / total_rm:.1%})")  # fmt: skip


if __name__ == "__main__":
    main()
