"""Measure the monitor: synthetic recovery (coverage of the truth, CRPS against the unconditioned
ensemble) and rolling-origin backtests on real missions; prints the figures in docs/monitoring.md.

Usage: PYTHONPATH=src python tools/monitor_scores.py [--trials 40] [--particles 2000] [--country-only] [--realised] [--discount 0.98] [--first-seed 1000] [--skip-synthetic] [--skip-backtest]
Reads ACLED files from ../shared/data (skips a mission whose file is absent).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from endstate.data.acled import read_acled
from endstate.monitor.backtest import pooled, rolling_origins, synthetic_trial
from endstate.monitor.filter import FilterSettings
from endstate.monitor.observations import from_events
from endstate.spec import load_spec

CASES = Path(__file__).resolve().parents[1] / "src" / "endstate" / "cases"
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MISSIONS = {
    "mali_minusma": ("acled_battles_bdi_caf_mli_ssd_2007_2020.csv", "Mali"),
    "car_minusca": ("acled_car_1997_2022.csv", "Central African Republic"),
    "south_sudan_unmiss": ("acled_battles_bdi_caf_mli_ssd_2007_2020.csv", "South Sudan"),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=40)
    ap.add_argument("--particles", type=int, default=2000)
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--skip-backtest", action="store_true")
    ap.add_argument("--country-only", action="store_true", help="synthetic observations of the country total, not each region")
    ap.add_argument("--realised", action="store_true", help="weigh each particle's realised deaths (the shock not integrated out), for comparison")
    ap.add_argument("--discount", type=float, default=FilterSettings.discount, help="Liu-West discount factor of the filter")
    ap.add_argument("--first-seed", type=int, default=1000, help="truth seed of the first synthetic trial")
    a = ap.parse_args()
    if not a.skip_synthetic:
        for case in MISSIONS:
            spec = load_spec(CASES / f"{case}.yaml")
            t0 = time.time()
            res = [synthetic_trial(spec, a.first_seed + k, particles=a.particles, regional=not a.country_only, integrate_shock=not a.realised, discount=a.discount) for k in range(a.trials)]
            cov = np.array([v for r in res for v in r.coverage.values()])
            by = {q: np.mean([r.coverage[q] for r in res]) for q in res[0].coverage}
            wins = np.mean([r.crps_filter < r.crps_prior for r in res])
            print(f"synthetic {case} ({'country total' if a.country_only else 'each region'} observed{', realised deaths weighed' if a.realised else ''}): {a.trials} trials x {len(by)} quantities, coverage of the 90% interval {cov.mean():.1%} "
                  f"({', '.join(f'{k} {v:.0%}' for k, v in by.items())}); CRPS filter {np.mean([r.crps_filter for r in res]):.2f} "
                  f"vs unconditioned {np.mean([r.crps_prior for r in res]):.2f} (filter better in {wins:.0%} of trials); {time.time() - t0:.0f} s")
    if a.skip_backtest:
        return
    frames = []
    for case, (fname, country) in MISSIONS.items():
        path = DATA / fname
        if not path.is_file():
            print(f"skip {case}: {path} absent")
            continue
        spec = load_spec(CASES / f"{case}.yaml")
        obs = from_events(read_acled(path, country), spec, "ACLED", "acled", str(path))
        obs = obs[obs["region"] == "country"]
        t0 = time.time()
        frames.append(rolling_origins(spec, obs, particles=a.particles, integrate_shock=not a.realised))
        print(f"backtest {case}: {frames[-1]['origin'].nunique()} origins, {time.time() - t0:.0f} s")
    scores = pd.concat(frames, ignore_index=True)
    by_mission, overall = pooled(scores)
    pd.set_option("display.width", 200)
    print(by_mission.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print("pooled:")
    print(overall.to_string(index=False, float_format=lambda v: f"{v:.4g}"))


if __name__ == "__main__":
    main()
