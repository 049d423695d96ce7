"""Calibrating how long a resumed war lasts (mechanism 3) to UCDP's recurrent conflict episodes.

Core objects: :func:`recurrent_episodes` (every intrastate conflict episode of
the UCDP Conflict Termination dataset that is a recurrence, with its length in
months and whether it ended) and :func:`fit_war_termination` (the constant
monthly rate at which they end).

In the model a resumed war ends with a constant monthly probability
``war_termination_rate``, so its length is geometric.  The maximum-likelihood
rate of a constant hazard is the number of episodes that ended over the months
all episodes were observed (running ones count until the dataset's last year),
``rate = ended / exposure``.  UCDP episodes are mostly short flare-ups with a
long tail (median about a year, mean about four), which a constant rate fits
on average only: the record keeps both the median and the exponential's
median (``ln 2 / rate``) so the gap is in view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endstate.data.ucdp import read_termination

TERMINATION_FILE = "ucdp_termination_v3_2021.csv"
INTRASTATE = (3, 4)
"""UCDP conflict types: 3 intrastate, 4 internationalised intrastate."""
MONTH_DAYS = 365.25 / 12


def recurrent_episodes(term: pd.DataFrame) -> pd.DataFrame:
    """One row per recurrent intrastate episode: ``months`` (start to end, or to the end of the data) and ``ended``."""
    t = term[term["type_of_conflict"].isin(INTRASTATE)]
    ep = t.groupby("conflictep_id").agg(
        start=("start_date2", "first"), end=("ependdate", "max"), ended=("confterm", "max"), recur=("recur", "max")
    )
    ep = ep[ep["recur"] == 1]
    as_of = pd.Timestamp(f"{int(term['year'].max())}-12-31")
    ended = (ep["ended"] == 1).to_numpy()
    end = ep["end"].where(ended, as_of)
    months = np.maximum((end - ep["start"]).dt.days.to_numpy() / MONTH_DAYS, 0.5)
    return pd.DataFrame({"months": months, "ended": ended}, index=ep.index)


def fit_war_termination(episodes: pd.DataFrame) -> tuple[float, dict[str, Any]]:
    """The constant monthly rate at which the episodes end (maximum likelihood), and a JSON-ready record."""
    ended = int(episodes["ended"].sum())
    exposure = float(episodes["months"].sum())
    if ended == 0 or exposure <= 0:
        raise ValueError("no recurrent episode ended: the war termination rate cannot be fitted")
    rate = ended / exposure
    record = {
        "method": "ended / episode-months of recurrent intrastate UCDP episodes (constant hazard, maximum likelihood; "
        "endstate.calibrate.war_duration)",
        "episodes": len(episodes),
        "ended": ended,
        "episode_months": round(exposure, 1),
        "rate_se": round(float(np.sqrt(ended) / exposure), 6),
        "mean_months_fitted": round(1.0 / rate, 1),
        "median_months_fitted": round(float(np.log(2.0) / rate), 1),
        "median_months_ended_episodes": round(float(episodes.loc[episodes["ended"], "months"].median()), 1),
    }
    return rate, record


def calibrate_war_termination(data_dir: Path) -> tuple[dict[str, float], dict[str, Any]]:
    """``war_termination_rate`` from the UCDP termination file in ``data_dir``, and the record behind it."""
    rate, record = fit_war_termination(recurrent_episodes(read_termination(data_dir / TERMINATION_FILE)))
    return {"war_termination_rate": rate}, record
