"""Sweep scaling, per-task overhead and peak memory, measured side by side in one run.

    python benchmarks/sweep.py              # about 5-10 minutes on 2 free cores
    python benchmarks/sweep.py --million    # also a 1,000,000-run sweep's peak memory (hours on 2 cores)

1. Scaling: the same sweep (examples/sweeps/sweep_exit_lhs.yaml, fewer points) with 1 worker
   (serial), 2 process-pool workers and 2 Dask workers on a local cluster; points
   (evaluations) per second and the ratio to 1 worker.
2. Overhead per task: each executor maps a do-nothing task over 2,000 and 20 tasks; the
   difference in time over the 1,980 extra tasks is what scheduling one task costs
   (cluster start-up cancels out).
3. Memory: each sweep runs in a fresh process; peak resident memory of the main process
   and of its largest worker, for sweeps of growing size.  Workers hold one batch
   (about 2,000 runs) at a time and the main process only the batch names, so peak
   memory stays flat as the number of runs grows.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ROOT / "examples" / "sweeps" / "sweep_exit_lhs.yaml"


def _noop(x: int) -> int:
    return x


def _executor(kind: str, workers: int):  # type: ignore[no-untyped-def]
    from endstate.engine.dask_executor import DaskExecutor
    from endstate.engine.executors import PoolExecutor, SerialExecutor

    return {"serial": lambda: SerialExecutor(), "pool": lambda: PoolExecutor(workers), "dask": lambda: DaskExecutor(workers)}[kind]()


def child(kind: str, workers: int, points: int, out: Path) -> None:
    """One sweep in this process; prints its measures as JSON."""
    from endstate.explore.run import run_sweep
    from endstate.explore.sweep import load_sweep

    study = load_sweep(SWEEP)
    design = study.sweep.design.model_copy(update={"points": points})
    study = dataclasses.replace(study, sweep=study.sweep.model_copy(update={"design": design}))
    res = run_sweep(study, out, _executor(kind, workers))
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": res.seconds, "evaluations": res.evaluations, "runs": res.runs, "batches": res.batches, "main_mb": me.ru_maxrss / 1024, "worker_mb": kids.ru_maxrss / 1024}))


def _run_child(kind: str, workers: int, points: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--child", kind, str(workers), str(points), str(Path(tmp) / "store")]
        r = subprocess.run(cmd, capture_output=True, text=True, check=True)
        result: dict[str, float] = json.loads(r.stdout.strip().splitlines()[-1])
        return result


def overhead(kind: str, workers: int) -> float:
    ex = _executor(kind, workers)
    times = []
    for n in (20, 2000):
        t0 = time.perf_counter()
        ex.map(partial(_noop), list(range(n)))
        times.append(time.perf_counter() - t0)
    return (times[1] - times[0]) / 1980


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=32, help="design points of the scaling sweep (x 2 strategies x 100 runs)")
    ap.add_argument("--million", action="store_true", help="also measure a 1,000,000-run sweep (5,000 points)")
    ap.add_argument("--child", nargs=4, metavar=("EXECUTOR", "WORKERS", "POINTS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, workers, points, out = args.child
        child(kind, int(workers), int(points), Path(out))
        return

    print(f"1. scaling: {SWEEP.name} with {args.points} points x 2 strategies x 100 runs")
    base = None
    for kind, workers in (("serial", 1), ("pool", 2), ("dask", 2)):
        r = _run_child(kind, workers, args.points)
        rate = r["evaluations"] / r["seconds"]
        base = base or rate
        print(f"   {kind:6s} {workers} worker(s): {rate:6.2f} points/s ({r['runs'] / r['seconds']:,.0f} runs/s), ratio to 1 worker {rate / base:.2f}")

    print("2. overhead per task (do-nothing tasks, 2,000 against 20)")
    for kind, workers in (("serial", 1), ("pool", 2), ("dask", 2)):
        print(f"   {kind:6s}: {overhead(kind, workers) * 1e3:.3f} ms a task")

    print("3. peak memory (fresh process per sweep; pool of 2 workers)")
    sizes = [args.points, 4 * args.points] + ([5000] if args.million else [])
    for points in sizes:
        r = _run_child("pool", 2, points)
        print(f"   {r['runs']:>9,.0f} runs in {r['batches']:,.0f} batches: main process {r['main_mb']:.0f} MB, largest worker {r['worker_mb']:.0f} MB ({r['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
