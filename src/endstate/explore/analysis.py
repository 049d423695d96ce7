"""What a sweep says: global sensitivity, scenario discovery and robustness, as DataFrames.

Core objects: :func:`load_points` (the store's ``points`` view: one row per
point and policy), :func:`sensitivity` (SALib: Sobol' first-order and total
indices with bootstrap confidence intervals on a Sobol' design, Morris
``mu_star`` and ``sigma`` on a Morris design, and on Latin hypercube or
factorial designs SALib's binned first-order Sobol' index (from its delta
module), each with its interval), :func:`discover` (where one policy does worse
than another: PRIM and CART as the EMA Workbench implements them, the chosen
box told in words), :func:`regret` (each policy's regret across points: how
far it falls short of the best policy at each point) and :func:`analyze`
(all three from a store).  Indices are computed on the unit design the sweep
was drawn from (they do not change under the monotone map to values).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endstate.outcomes.partitions import PartitionStore

from .design import policies, policy_label, salib_problem, unit_design
from .sweep import Sweep

CONF_LEVEL = 0.95
RESAMPLES = 200
"""Bootstrap resamples for the confidence intervals (SALib's default is 100; 200 steadies the interval's own noise)."""
DENSITY = 0.8
"""PRIM: the box shown is the one with the most coverage among those where at least this share of points fail
(the density analysts usually ask of a scenario; Bryant & Lempert 2010 use 0.8 and above)."""
QUASI_P = 0.05
"""PRIM: a restriction whose quasi-p value (EMA's one-sided binomial test of the box against the box without it) is
above this is dropped from the box described, as Bryant & Lempert 2010 advise for restrictions that are not significant."""


class AnalysisError(ValueError):
    """A store or a question the analysis cannot answer (incomplete sweep, unknown policy or outcome)."""


def sweep_of(store: PartitionStore) -> Sweep:
    """The sweep a store was written by, from its manifest."""
    return Sweep.model_validate({**store.manifest()["identity"]["sweep"], "spec": "(from the store)"})


def load_points(store: PartitionStore) -> pd.DataFrame:
    """One row per evaluation: point, policy, a ``label`` for the policy, inputs and aggregated outcomes."""
    frame = store.connect().execute("SELECT * FROM points").df()
    labels = [policy_label(p) for p in policies(sweep_of(store))]
    frame.insert(2, "label", [labels[int(k)] for k in frame["policy"]])
    return frame


def _complete(points: pd.DataFrame, sweep: Sweep, n_points: int) -> None:
    have = points.groupby("policy")["point"].nunique()
    if (have < n_points).any() or len(have) < len(policies(sweep)):
        raise AnalysisError(f"the sweep is not complete ({int(have.min()) if len(have) else 0} of {n_points} points); run endstate sweep again to finish it")


def sensitivity(points: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """Indices per policy, outcome and uncertainty: columns policy, outcome, method, input, index, value, conf."""
    from SALib.analyze import delta, morris, sobol

    problem, X = salib_problem(sweep), unit_design(sweep)
    _complete(points, sweep, X.shape[0])
    rows: list[dict[str, Any]] = []
    for label, group in points.groupby("label", sort=False):
        group = group.sort_values("point")
        for o in sweep.outcomes:
            y = group[o.name].to_numpy(dtype=float)
            if not np.isfinite(y).all() or np.ptp(y) == 0:
                continue  # no spread to apportion (e.g. a calendar exit always leaves on its date), or undefined points
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")  # SALib's notes on bins and bias go to the log, not the reader
                if sweep.design.method == "sobol":
                    r = sobol.analyze(problem, y, calc_second_order=sweep.design.second_order, num_resamples=RESAMPLES, conf_level=CONF_LEVEL, seed=sweep.seed)
                    found = {"S1": ("S1", "S1_conf"), "ST": ("ST", "ST_conf")}
                elif sweep.design.method == "morris":
                    r = morris.analyze(problem, X, y, num_resamples=RESAMPLES, conf_level=CONF_LEVEL, num_levels=sweep.design.levels, seed=sweep.seed)
                    found = {"mu_star": ("mu_star", "mu_star_conf"), "sigma": ("sigma", "")}
                else:
                    # SALib's binned first-order Sobol' estimator works on any sample (its delta modes are far slower)
                    r = delta.analyze(problem, X, y, num_resamples=RESAMPLES, conf_level=CONF_LEVEL, seed=sweep.seed, method="sobol")
                    found = {"S1": ("S1", "S1_conf")}
            for index, (key, conf) in found.items():
                for j, name in enumerate(u.name for u in sweep.uncertainties):
                    rows.append(
                        {"policy": label, "outcome": o.name, "method": sweep.design.method, "input": name, "index": index,
                         "value": float(r[key][j]), "conf": float(r[conf][j]) if conf else float("nan")}
                    )
    return pd.DataFrame(rows, columns=["policy", "outcome", "method", "input", "index", "value", "conf"])


@dataclass
class Discovery:
    """Where ``strategy`` does worse than ``reference`` on ``outcome``: PRIM's box and CART's leaves."""

    strategy: str
    reference: str
    outcome: str
    failures: int
    points: int
    trajectory: pd.DataFrame
    chosen: int
    limits: pd.DataFrame
    cart: pd.DataFrame
    text: str
    box: Any = None


def _worse(a: np.ndarray, b: np.ndarray, direction: str) -> np.ndarray:
    return a > b if direction == "minimize" else a < b


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def discover(points: pd.DataFrame, sweep: Sweep, strategy: str | None = None, reference: str | None = None, outcome: str | None = None) -> Discovery:
    """PRIM and CART over the uncertainties, explaining the points where ``strategy`` is worse than ``reference``."""
    from ema_workbench.analysis import cart, prim

    labels = [policy_label(p) for p in policies(sweep)]
    if len(labels) < 2:
        raise AnalysisError("scenario discovery compares two policies; the sweep has one (add a lever)")
    strategy, reference = strategy or labels[1], reference or labels[0]
    for name in (strategy, reference):
        if name not in labels:
            raise AnalysisError(f"no policy '{name}'; the sweep has: {', '.join(labels)}")
    out = next((o for o in sweep.outcomes if o.name == (outcome or sweep.outcomes[0].name)), None)
    if out is None:
        raise AnalysisError(f"no outcome '{outcome}'; the sweep has: {', '.join(o.name for o in sweep.outcomes)}")
    s = points[points["label"] == strategy].set_index("point").sort_index()
    r = points[points["label"] == reference].set_index("point").sort_index()
    both = s.index.intersection(r.index)
    s, r = s.loc[both], r.loc[both]
    ok = np.isfinite(s[out.name].to_numpy(float)) & np.isfinite(r[out.name].to_numpy(float))
    s, r = s[ok], r[ok]
    y = _worse(s[out.name].to_numpy(float), r[out.name].to_numpy(float), out.direction)
    x = pd.DataFrame({u.name: (s[u.name].astype("category") if u.values is not None else s[u.name].astype(float)) for u in sweep.uncertainties}).reset_index(drop=True)
    worse = "higher" if out.direction == "minimize" else "lower"
    head = f"{strategy} does worse than {reference} on {out.name} ({worse} {out.aggregate} over {sweep.runs_per_point} paired runs) at {int(y.sum()):,} of {len(y):,} points ({y.mean():.0%})."
    empty = pd.DataFrame()
    if y.sum() == 0 or y.all():
        return Discovery(strategy, reference, out.name, int(y.sum()), len(y), empty, -1, empty, empty, head + " There is nothing to separate.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # EMA's threshold marks the cases of interest (y >= threshold) and the least density a final box must reach;
        # a tiny one keeps the whole peeling trajectory, and the box is chosen from it below (DENSITY)
        p = prim.Prim(x, y.astype(float), threshold=1e-9, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05)
        box = p.find_box()
    traj = box.peeling_trajectory.reset_index(drop=True)
    dense = traj.index[traj["density"] >= DENSITY]
    chosen = int(traj.loc[dense, "coverage"].idxmax()) if len(dense) else int(traj["density"].idxmax())
    box.select(chosen)
    # drop the restrictions PRIM's own quasi-p test does not support (EMA's drop_restriction adds the new box to the trajectory)
    weak = [u for u, q in box.qp[chosen].items() if all(v < 0 or v > QUASI_P for v in q) and any(v >= 0 for v in q)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for u in weak:
            box.drop_restriction(u)
    traj = box.peeling_trajectory.reset_index(drop=True)
    chosen = len(traj) - 1 if weak else chosen
    box.select(chosen)
    limits = _restricted(box.box_lims[chosen], p.box_init, sweep)
    row = traj.loc[chosen]
    dropped = f" (restrictions on {', '.join(weak)} dropped: quasi-p above {QUASI_P})" if weak else ""
    if len(limits):
        text = (
            f"{head} PRIM: where {' and '.join(limits['condition'])}, it does worse at {row['density']:.0%} of the points (density; {y.mean():.0%} overall); "
            f"this box holds {row['coverage']:.0%} of all the points where it does worse (coverage) and {row['mass']:.0%} of the uncertainty space (mass){dropped}."
        )
    else:
        text = f"{head} PRIM finds no box of the uncertainty space where it does worse more often than overall{dropped}."
    c = cart.CART(x, y, mass_min=max(0.05, 1 / len(y)))  # a leaf holds at least one point
    c.build_tree()
    leaves = pd.DataFrame(c.stats)
    leaves["conditions"] = [" and ".join(_restricted(b, p.box_init, sweep)["condition"]) or "anywhere" for b in c.boxes]
    return Discovery(strategy, reference, out.name, int(y.sum()), len(y), traj, chosen, limits, leaves, text, box)


def _restricted(lims: pd.DataFrame, init: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """The uncertainties a box restricts, with the restriction in words."""
    rows = []
    for u in sweep.uncertainties:
        lo, hi = lims[u.name].iloc[0], lims[u.name].iloc[1]
        lo0, hi0 = init[u.name].iloc[0], init[u.name].iloc[1]
        if u.values is not None:
            if set(lo) != set(lo0):
                rows.append({"uncertainty": u.name, "low": np.nan, "high": np.nan, "condition": f"{u.name} is {' or '.join(sorted(map(str, lo)))}"})
            continue
        up, down = lo > lo0, hi < hi0
        if not (up or down):
            continue
        cond = f"{u.name} is between {_fmt(lo)} and {_fmt(hi)}" if up and down else f"{u.name} is above {_fmt(lo)}" if up else f"{u.name} is below {_fmt(hi)}"
        rows.append({"uncertainty": u.name, "low": float(lo), "high": float(hi), "condition": cond})
    return pd.DataFrame(rows, columns=["uncertainty", "low", "high", "condition"])


def regret(points: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """Per policy and outcome: mean, 90th-percentile and largest regret across points, and the share of points where it is best.

    A policy's regret at a point is how far its outcome falls short of the best policy's at that point (Savage 1951),
    in the outcome's own units; points where some policy's outcome is undefined are left out of that outcome.
    """
    rows = []
    for o in sweep.outcomes:
        table = points.pivot(index="point", columns="label", values=o.name).dropna()
        if table.empty:
            continue
        vals = table.to_numpy(float)
        best = vals.min(axis=1, keepdims=True) if o.direction == "minimize" else vals.max(axis=1, keepdims=True)
        reg = np.abs(vals - best)
        for j, label in enumerate(table.columns):
            rows.append(
                {"policy": label, "outcome": o.name, "direction": o.direction, "mean_value": float(vals[:, j].mean()), "mean_regret": float(reg[:, j].mean()),
                 "p90_regret": float(np.quantile(reg[:, j], 0.9)), "max_regret": float(reg[:, j].max()), "share_best": float((reg[:, j] == 0).mean()), "points": len(table)}
            )
    return pd.DataFrame(rows)


@dataclass
class Analysis:
    """Everything :func:`analyze` found in one store."""

    sweep: Sweep
    points: pd.DataFrame
    sensitivity: pd.DataFrame
    discovery: Discovery
    regret: pd.DataFrame


def analyze(store_dir: str | Path, strategy: str | None = None, reference: str | None = None, outcome: str | None = None) -> Analysis:
    store = PartitionStore(Path(store_dir))
    sweep = sweep_of(store)
    points = load_points(store)
    return Analysis(sweep, points, sensitivity(points, sweep), discover(points, sweep, strategy, reference, outcome), regret(points, sweep))
