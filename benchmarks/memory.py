"""Peak memory of the engine against the number of runs, at a fixed chunk size.

Runs the default scenario twice in fresh processes (N and 3N runs, chunk size
C), prints each peak resident memory, the growth per run, and the peak
extrapolated to one million runs.  Memory of a chunk is bounded by C; what
grows with the number of runs is only the outcome table and the event log.

    python benchmarks/memory.py [--runs 20000] [--chunk-size 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = """
import json, resource, sys
from endstate.cli.run_cmds import default_scenario_path
from endstate.engine.runner import simulate
from endstate.spec import load_spec
runs, chunk = int(sys.argv[1]), int(sys.argv[2])
res = simulate(load_spec(default_scenario_path()), runs, seed=0, chunk_size=chunk)
print(json.dumps({"runs": runs, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "events": len(res.events)}))
"""


def measure(runs: int, chunk: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(runs), str(chunk)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20_000)
    ap.add_argument("--chunk-size", type=int, default=10_000)
    a = ap.parse_args()
    small = measure(a.runs, a.chunk_size)
    large = measure(3 * a.runs, a.chunk_size)
    per_run_kb = (large["peak_mb"] - small["peak_mb"]) * 1024 / (2 * a.runs)
    million = small["peak_mb"] + per_run_kb * (1_000_000 - a.runs) / 1024
    print(f"chunk size {a.chunk_size:,}")
    print(f"{small['runs']:>9,} runs: peak {small['peak_mb']:8.0f} MB ({small['events']:,} events)")
    print(f"{large['runs']:>9,} runs: peak {large['peak_mb']:8.0f} MB ({large['events']:,} events)")
    print(f"growth per run: {per_run_kb:.2f} kB; extrapolated peak for 1,000,000 runs: {million:,.0f} MB (target: about 2,048 MB)")


if __name__ == "__main__":
    main()
