"""endstate on the EMA Workbench: perform_experiments, PRIM and optimize on a mission spec.

    python examples/ema_workbench.py --scenarios 40 --runs 50 --nfe 40

The sweep file (examples/sweeps/sweep_ema.yaml) names the uncertainties, the levers (the spec's named
strategies) and the outcomes; ``endstate.ema.ema_model`` turns it into an EMA ``Model`` whose
every experiment simulates ``--runs`` paired runs on endstate's engine.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would hide the ema_workbench package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np  # noqa: E402

from endstate.ema import ema_model  # noqa: E402
from endstate.explore.sweep import load_sweep  # noqa: E402

warnings.simplefilter("ignore")  # EMA warns about optional evaluators and PRIM about small boxes

try:  # EMA Workbench 2.x calls a set of lever values a Policy, 3.x a Sample
    from ema_workbench import Policy
except ImportError:
    from ema_workbench import Sample as Policy

from ema_workbench import SequentialEvaluator, perform_experiments  # noqa: E402
from ema_workbench.analysis import prim  # noqa: E402


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sweep", type=Path, default=Path(__file__).parent / "sweeps" / "sweep_ema.yaml")
    ap.add_argument("--scenarios", type=int, default=40, help="scenarios EMA samples (Latin hypercube)")
    ap.add_argument("--runs", type=int, default=50, help="endstate runs per experiment")
    ap.add_argument("--nfe", type=int, default=40, help="function evaluations for optimize (0 skips it)")
    args = ap.parse_args(argv)

    study = load_sweep(args.sweep)
    study = type(study)(study.sweep.model_copy(update={"runs_per_point": args.runs}), study.source, study.spec, study.strategies, study.params)
    model = ema_model(study)
    policies = [Policy(name, strategy=name) for name in ("calendar_exit", "security_keeping")]
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=args.scenarios, policies=policies, evaluator=evaluator)
    print(f"perform_experiments: {len(experiments)} experiments")

    # Where does security-keeping relapse more than the calendar exit?  Pair the two policies scenario by scenario.
    table = experiments.assign(relapse_10y=np.asarray(outcomes["relapse_10y"]), strategy=experiments["strategy"].astype(str))
    wide = table.pivot(index="scenario", columns="strategy", values="relapse_10y")
    worse = (wide["security_keeping"] > wide["calendar_exit"]).to_numpy()
    names = [u.name for u in model.uncertainties]
    x = table[table["strategy"] == "calendar_exit"].set_index("scenario").loc[wide.index, names].reset_index(drop=True)
    result: dict[str, object] = {"experiments": len(experiments), "share_worse": float(worse.mean())}
    print(f"security_keeping relapses more than calendar_exit in {worse.mean():.0%} of {len(worse)} scenarios")
    if 0 < worse.sum() < len(worse):
        # threshold: cases of interest are y >= threshold; a tiny one keeps every box PRIM peels
        box = prim.Prim(x, worse.astype(float), threshold=1e-9).find_box()
        best = box.peeling_trajectory["density"].idxmax()
        print(f"prim: densest box holds {box.peeling_trajectory.loc[best, 'density']:.0%} such scenarios; its limits:")
        print(box.box_lims[best].to_string())
        result["prim_density"] = float(box.peeling_trajectory.loc[best, "density"])
    if args.nfe:
        from ema_workbench import optimize

        with SequentialEvaluator(model) as evaluator:
            # the first generation alone evaluates the whole population: keep it within the budget
            front = optimize(model, nfe=args.nfe, searchover="levers", epsilons=[0.05, 1e8], evaluator=evaluator, population_size=min(100, args.nfe))
        front["strategy"] = [getattr(c, "value", c) for c in front["strategy"]]
        print("optimize (levers, Pareto front):")
        print(front.to_string())
        result["front"] = len(front)
    return result


if __name__ == "__main__":
    main()
