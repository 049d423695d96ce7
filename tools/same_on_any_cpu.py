"""Check that the engine's results do not depend on the CPU's vector width: the same bytes compiled for each target.

    python tools/same_on_any_cpu.py [--cpus host haswell x86-64] [--runs 400]

The kernel's loops over runs are vectorised (:mod:`endstate.model.kernel`): 8 runs an
instruction with AVX-512, 4 with AVX2 (``haswell``), 2 with SSE2 (``x86-64``), and a run falls
in a vector lane or in a loop's scalar remainder depending on its place in its block.  Each run
must still go through the same IEEE operations in the same order.  For each target this
compiles the engine afresh in its own process (``NUMBA_CPU_NAME``, an empty ``NUMBA_CACHE_DIR``:
about half a minute each), simulates the default example and seven cases of the library, and
hashes each result's outcomes, events, series and regional series
(``pandas.util.hash_pandas_object``).  It prints the hashes and exits 1 if any target differs
from the first.  Not a test: compiling three times is too slow for CI.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

CHILD = """
import hashlib, sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from endstate import load_case
from endstate.cli.run_cmds import default_scenario_path
from endstate.engine.runner import simulate
from endstate.spec import load_spec
runs = int(sys.argv[1])
cases = ["somalia_unosom2", "mali_minusma", "iraq_2003", "afghanistan_isaf", "liberia_unmil", "bosnia_ifor_sfor", "sierra_leone_unamsil"]
for name, spec in [("default", load_spec(default_scenario_path()))] + [(c, load_case(c)) for c in cases]:
    r = simulate(spec, runs, seed=3, series_runs=50)
    h = hashlib.sha256()
    for df in (r.outcomes, r.events, r.series, r.regions):
        h.update(pd.util.hash_pandas_object(df, index=False).values.tobytes())
    print(name, h.hexdigest()[:16], flush=True)
"""


def hashes(cpu: str, runs: int) -> list[str]:
    """The result hashes of the engine compiled for ``cpu`` ('host': this machine), in a fresh process and cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        if cpu != "host":
            env["NUMBA_CPU_NAME"] = cpu
        out = subprocess.run([sys.executable, "-c", CHILD, str(runs)], capture_output=True, text=True, check=True, env=env)
    return out.stdout.split("\n")[:-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpus", nargs="+", default=["host", "haswell", "x86-64"])
    ap.add_argument("--runs", type=int, default=400)
    a = ap.parse_args()
    first: list[str] | None = None
    same = True
    for cpu in a.cpus:
        h = hashes(cpu, a.runs)
        first = first or h
        same = same and h == first
        print(f"{cpu:>10}: {'the same as ' + a.cpus[0] if h == first else 'DIFFERENT from ' + a.cpus[0]}")
        for line in h:
            print(f"            {line}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
