"""Synthetic points with known answers for the analysis and report tests (no simulation)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from endstate.explore.design import policies, policy_label, unit_design
from endstate.explore.sweep import Sweep

BASE = {
    "spec": "-",
    "runs_per_point": 10,
    "uncertainties": [{"name": "a", "path": "x.a", "low": 0, "high": 1}, {"name": "b", "path": "x.b", "low": 0, "high": 1}, {"name": "c", "path": "x.c", "low": 0, "high": 1}],
    "levers": [{"name": "strategy", "strategies": ["calendar", "keeping"]}],
    "outcomes": [{"name": "relapse", "column": "relapse_10y", "direction": "minimize"}],
}


def points_for(sweep: Sweep, f: Callable[[int, np.ndarray], np.ndarray]) -> pd.DataFrame:
    """Points as the store's view gives them, with the unit design as values and y = f(policy, X)."""
    X = unit_design(sweep)
    rows = []
    for k, pol in enumerate(policies(sweep)):
        y = f(k, X)
        for p in range(X.shape[0]):
            rows.append({"point": p, "policy": k, "label": policy_label(pol), "a": X[p, 0], "b": X[p, 1], "c": X[p, 2], "relapse": y[p]})
    return pd.DataFrame(rows)
