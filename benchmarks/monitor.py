"""Benchmark: one month of assimilation for 20,000 particles, on one core.

One month of assimilation is the model's monthly step for every particle plus
the filter's work: the likelihood of the month's observations (the country and
each region's battle deaths), the ESS, systematic resampling and the Liu-West
jitter.  The script filters 12 observed months of synthetic observations
(ESS
decides when to resample; the last month always does) and prints the time per month beside the bare model step for
the same particles, measured in the same run.  Target: under 2 s a month.

Usage: PYTHONPATH=src python benchmarks/monitor.py [--particles 20000] [--months 12]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from endstate.engine.runner import ChunkJob, RunBatch  # noqa: E402
from endstate.model.params import load_parameters  # noqa: E402
from endstate.monitor.filter import FilterSettings, assimilate, model_month_to_period  # noqa: E402
from endstate.monitor.observations import COLUMNS  # noqa: E402
from endstate.spec import load_spec  # noqa: E402

CASE = Path(__file__).resolve().parents[1] / "src" / "endstate" / "cases" / "mali_minusma.yaml"


class _Stop(Exception):
    pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--particles", type=int, default=20_000)
    ap.add_argument("--months", type=int, default=12)
    a = ap.parse_args()
    spec = load_spec(CASE)
    params = load_parameters()
    rng = np.random.default_rng(0)
    rows = [
        {"month": model_month_to_period(spec, t), "region": r, "indicator": "battle_deaths", "value": float(rng.poisson(5)), "source": "bench", "vintage": "", "uncertainty": np.nan}
        for t in range(a.months)
        for r in [*spec.region_ids, "country"]
    ]
    obs = pd.DataFrame(rows, columns=list(COLUMNS))

    # the bare model step for the same particles and months
    batch = RunBatch(ChunkJob(spec, params, 0, 0, a.particles, 0))

    def stop(month: int, m: object, alive: np.ndarray) -> None:
        if month == a.months - 1:
            raise _Stop

    t0 = time.perf_counter()
    try:
        batch.run(stop)
    except _Stop:
        pass
    t_step = (time.perf_counter() - t0) / a.months

    t0 = time.perf_counter()
    f = assimilate(spec, obs, FilterSettings(particles=a.particles), params, forecast_months=0)
    t_filter = (time.perf_counter() - t0) / a.months
    print(f"{a.particles} particles, {a.months} observed months of {len(spec.region_ids) + 1} observations each, one core")
    print(f"model step alone:        {t_step:.3f} s a month (includes setting up the runs)")
    print(f"one month of assimilation: {t_filter:.3f} s (step + likelihood + ESS + resampling + jitter + bands)")
    print(f"assimilation / bare step: {t_filter / t_step:.2f}x; resampled in {int(f.diagnostics['resampled'].sum())} of {a.months} months")
    print(f"target < 2 s a month: {'met' if t_filter < 2.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
