"""Peak memory and wall time of a simulation written to a result folder, for given numbers of runs.

Runs the default scenario in a fresh process for each run count (default
10^5 and 10^6), with ``--workers`` worker processes, writing the result
chunk by chunk into a result folder (:mod:`endstate.outcomes.stream`, what
``endstate run`` does), and prints each one's wall time and peak resident
memory: of the main process and of the largest worker.  What the main process
holds beyond a few chunks is the outcome table read back for the summary.

    python benchmarks/memory.py [--runs 100000 1000000] [--chunk-size 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

CHILD = """
import json, resource, sys, tempfile, time
from pathlib import Path
from endstate.cli.run_cmds import default_scenario_path
from endstate.engine.runner import simulate_parts
from endstate.outcomes.folder import ResultFolder
from endstate.outcomes.stream import write_streamed
from endstate.spec import load_spec
runs, chunk, workers = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp, ResultFolder(Path(tmp) / "result") as folder:
    outcomes = write_streamed(folder, "", simulate_parts(load_spec(default_scenario_path()), runs, seed=0, chunk_size=chunk, workers=workers))
    folder.commit({})
    mb = sum(p.stat().st_size for p in (Path(tmp) / "result").iterdir()) / 1e6
print(json.dumps({"runs": runs, "wall_s": time.perf_counter() - t, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "files_mb": mb, "rows": len(outcomes)}))
"""
TARGET_MILLION_S = 120.0
TARGET_MILLION_MB = 1024.0


def measure(runs: int, chunk: int, workers: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(runs), str(chunk), str(workers)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--chunk-size", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    print(f"chunk size {a.chunk_size:,}, {a.workers} worker(s), {os.cpu_count()} CPUs")
    for runs in a.runs:
        load = os.getloadavg()[0]
        m = measure(runs, a.chunk_size, a.workers)
        line = (f"{m['runs']:>9,} runs: {m['wall_s']:7.1f} s wall, peak {m['peak_mb']:6.0f} MB main process, "
                f"{m['worker_peak_mb']:6.0f} MB largest worker ({m['files_mb']:,.0f} MB of files); "
                f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
        if runs == 1_000_000:
            peak = max(m["peak_mb"], m["worker_peak_mb"])
            ok = m["wall_s"] < TARGET_MILLION_S and peak < TARGET_MILLION_MB
            line += f"   [target < {TARGET_MILLION_S:.0f} s and < {TARGET_MILLION_MB:.0f} MB: {'met' if ok else 'NOT met'}]"
        print(line, flush=True)


if __name__ == "__main__":
    main()
