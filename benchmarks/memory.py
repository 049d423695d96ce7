"""Peak memory and wall time of ``endstate run`` and ``endstate compare`` writing their result folders, for given numbers of runs.

Runs each command on the default scenario in a fresh process for each run
count (default 10^5 and 10^6 for ``run``, 10^5 for ``compare`` of two
strategies), with ``--workers`` worker processes, writing the result chunk by
chunk into a result folder (:mod:`endstate.outcomes.stream`), and prints each
one's wall time and peak resident memory: of the main process and of the
largest worker.  What the main process holds beyond a few chunks is the share
of the outcomes its statistics read (:data:`endstate.cli.run_cmds.SUMMARY_KEEP`,
:data:`endstate.cli.run_cmds.COMPARE_KEEP`); the load average before and after
each measurement says how busy the shared machine was.

    python benchmarks/memory.py [--runs 100000 1000000] [--compare-runs 100000] [--chunk-size 25000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from endstate.engine.runner import CHUNK_SIZE

CHILD = """
import json, resource, sys, tempfile, time
from pathlib import Path
from endstate.cli import app
from endstate.cli.run_cmds import default_scenario_path
command, runs, chunk, workers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
pair = ["--strategy", "calendar_exit", "--strategy", "security_keeping"] if command == "compare" else []
with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "result"
    t = time.perf_counter()
    app([command, str(default_scenario_path()), *pair, "--runs", runs, "--chunk-size", chunk, "--workers", workers, "--out", str(out), "--json"],
        standalone_mode=False)
    wall = time.perf_counter() - t
    mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
print()
print(json.dumps({"runs": int(runs), "wall_s": wall, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "files_mb": mb}))
"""
TARGET_MILLION_S = 120.0
TARGET_MILLION_MB = 1024.0


def measure(command: str, runs: int, chunk: int, workers: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, command, str(runs), str(chunk), str(workers)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, nargs="*", default=[100_000, 1_000_000], help="run counts for `endstate run`")
    ap.add_argument("--compare-runs", type=int, nargs="*", default=[100_000], help="run counts (each strategy) for `endstate compare` of two")
    ap.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    print(f"chunk size {a.chunk_size:,}, {a.workers} worker(s), {os.cpu_count()} CPUs")
    for command, counts in (("run", a.runs), ("compare", a.compare_runs)):
        for runs in counts:
            load = os.getloadavg()[0]
            m = measure(command, runs, a.chunk_size, a.workers)
            what = f"{command} {m['runs']:>9,} runs" + (" x 2 strategies" if command == "compare" else "")
            line = (f"{what}: {m['wall_s']:7.1f} s wall, peak {m['peak_mb']:6.0f} MB main process, "
                    f"{m['worker_peak_mb']:6.0f} MB largest worker ({m['files_mb']:,.0f} MB of files); "
                    f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
            if command == "run" and runs == 1_000_000:
                peak = max(m["peak_mb"], m["worker_peak_mb"])
                ok = m["wall_s"] < TARGET_MILLION_S and peak < TARGET_MILLION_MB
                line += f"   [target < {TARGET_MILLION_S:.0f} s and < {TARGET_MILLION_MB:.0f} MB: {'met' if ok else 'NOT met'}]"
            print(line, flush=True)


if __name__ == "__main__":
    main()
