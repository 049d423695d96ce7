"""Calibrating how hard a resumed conflict fights (mechanism 2) to UCDP's battle deaths of recurrent conflicts.

Core objects: :func:`recurrent_intensity` (every recurrent intrastate episode of
the UCDP Conflict Termination dataset whose years, and those of the episode
before it, lie inside the UCDP dyadic battle-death data, with its mean annual
battle deaths and the previous episode's total) and :func:`fit_war_intensity`
(the least-squares line ``ln(annual battle deaths) = a + s * log10(previous
episode's battle deaths)`` and its residual standard deviation).

In the model a resumed conflict kills ``exp(a + s * log10(war deaths) + sigma *
z) / 12`` in battle a month.  Only battle deaths enter (UCDP's best estimates,
summed over a conflict's dyads in a year), never totals with civilians or famine.
The episodes are UCDP's, so each has at least 25 battle deaths in some year: the
fit describes conflicts that resumed, not flare-ups below the threshold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endstate.data import read_battle_deaths
from endstate.data.ucdp import read_termination

from .troops import BATTLE_DEATHS_FILE
from .war_duration import INTRASTATE, TERMINATION_FILE


def recurrent_intensity(term: pd.DataFrame, bd: pd.DataFrame) -> pd.DataFrame:
    """One row per recurrent episode fully covered by the battle-death years: ``annual`` and ``previous``."""
    first_year = int(bd["year"].min())
    cy = bd[bd["type_of_conflict"].isin(INTRASTATE)].groupby(["conflict_id", "year"])["bd_best"].sum().rename("bd").reset_index()
    t = term[term["type_of_conflict"].isin(INTRASTATE)]
    ey = t[["conflict_id", "conflictep_id", "conflictepisode", "year", "recur"]].drop_duplicates(["conflict_id", "year"])
    m = ey.merge(cy, on=["conflict_id", "year"], how="left")
    ep = m.groupby("conflictep_id").agg(
        cid=("conflict_id", "first"), k=("conflictepisode", "first"), y0=("year", "min"), recur=("recur", "max"),
        total=("bd", "sum"), years=("year", "nunique"), covered=("bd", "count"),
    ).sort_values(["cid", "k"])  # fmt: skip
    g = ep.groupby("cid")
    prev = pd.DataFrame({c: g[c].shift() for c in ("total", "years", "covered", "y0")})
    keep = (
        (ep["recur"] == 1) & (ep["covered"] == ep["years"]) & (prev["covered"] == prev["years"]) & (prev["y0"] >= first_year)
        & (prev["total"] > 0) & (ep["total"] > 0)
    )  # fmt: skip
    return pd.DataFrame({"annual": ep["total"][keep] / ep["years"][keep], "previous": prev["total"][keep]})


def fit_war_intensity(ep: pd.DataFrame) -> tuple[dict[str, float], dict[str, Any]]:
    """Intercept, slope and residual sigma of the regression, and a JSON-ready record."""
    if len(ep) < 10:
        raise ValueError(f"only {len(ep)} recurrent episodes with battle deaths: the war intensity cannot be fitted")
    x = np.log10(ep["previous"].to_numpy(dtype=float))
    y = np.log(ep["annual"].to_numpy(dtype=float))
    slope, intercept = np.polyfit(x, y, 1)
    resid = y - (intercept + slope * x)
    sigma = float(np.std(resid, ddof=2))
    n = len(ep)
    se_slope = sigma / float(np.sqrt(np.sum((x - x.mean()) ** 2)))
    values = {"war_intensity_intercept": float(intercept), "war_intensity_slope": float(slope), "war_intensity_sigma": sigma}
    record = {
        "method": "least squares of ln(mean annual battle deaths of a recurrent intrastate UCDP episode) on log10(battle deaths of the "
        "episode before it), both inside the dyadic battle-death years (endstate.calibrate.war_intensity)",
        "episodes": n,
        "slope_se": round(se_slope, 4),
        "correlation": round(float(np.corrcoef(x, y)[0, 1]), 3),
        "median_annual_battle_deaths": round(float(ep["annual"].median()), 1),
        "share_at_war_level": round(float((ep["annual"] >= 1000).mean()), 3),
    }
    return values, record


def calibrate_war_intensity(data_dir: Path) -> tuple[dict[str, float], dict[str, Any]]:
    """The three war-intensity parameters from the UCDP files in ``data_dir``, and the record behind them."""
    ep = recurrent_intensity(read_termination(data_dir / TERMINATION_FILE), read_battle_deaths(data_dir / BATTLE_DEATHS_FILE))
    return fit_war_intensity(ep)
