"""Calibrating transformation goals (mechanism 15) to post-war democracy trajectories in V-Dem.

Core objects: :func:`polyarchy_moments` (how much of the gap to full electoral
democracy post-war countries closed a month over five years, by the strongest
mission present) and :func:`fit_transformation` (the two parameters that
reproduce them).

The model moves an indicator ``x`` by ``rate * push * (0.3 + 0.7 * security) * (1 - x)``
a month, so over a stretch of steady push and security the share of the gap
``1 - x`` closed each month is constant: ``g = rate * push * k`` with
``k = 0.3 + 0.7 * security``.  From V-Dem's polyarchy index at the war's end
and five years on, ``g = 1 - ((1 - p5) / (1 - p0)) ** (1 / 60)`` for every UCDP
peace spell observed for five years.  Multidimensional UN missions carry
elections and institution building in their mandates, so their spells stand
for ``push = 1``; spells without a mission for ``push = drift``.  Hence
``rate = g_multidimensional / k`` and ``drift = g_none / g_multidimensional``.
This is an association: missions go to particular countries, and the
difference is not a controlled estimate of what pushing achieves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endstate.data import read_vdem

VDEM_FILE = "vdem_high_level_indices.csv"
YEARS = 5
SECURITY = 0.9
"""Typical post-war security (one minus the violence index) in the model's spells: k = 0.3 + 0.7 * 0.9."""


def polyarchy_moments(spells: pd.DataFrame, vdem: pd.DataFrame, years: int = YEARS) -> pd.DataFrame:
    """Per mission type: spells, mean polyarchy at the start and ``years`` later, and the mean monthly gap closed (with its standard error)."""
    poly = vdem.set_index(["iso3", "year"])["v2x_polyarchy"]
    s = spells.dropna(subset=["iso3"]).copy()
    s["y0"] = pd.to_datetime(s["peace_start"]).dt.year
    observed = (pd.to_datetime(s["end_date"]) - pd.to_datetime(s["peace_start"])).dt.days / 365.25 >= years
    s = s[observed].drop_duplicates(["iso3", "y0"])
    keys0 = list(zip(s["iso3"], s["y0"], strict=True))
    keys1 = list(zip(s["iso3"], s["y0"] + years, strict=True))
    s["p0"] = poly.reindex(keys0).to_numpy()
    s["p5"] = poly.reindex(keys1).to_numpy()
    s = s.dropna(subset=["p0", "p5"])
    s["gap_closed"] = 1.0 - ((1.0 - s["p5"]) / (1.0 - s["p0"])) ** (1.0 / (12 * years))
    g = s.groupby("mission_type")["gap_closed"]
    out = pd.DataFrame(
        {
            "spells": g.size(),
            "polyarchy_start": s.groupby("mission_type")["p0"].mean(),
            "polyarchy_after": s.groupby("mission_type")["p5"].mean(),
            "gap_closed_per_month": g.mean(),
            "se": g.std(ddof=1) / np.sqrt(g.size()),
        }
    )
    return out


def fit_transformation(moments: pd.DataFrame, security: float = SECURITY) -> dict[str, float]:
    """``transformation_rate`` and ``transformation_drift`` from the none and multidimensional moments."""
    k = 0.3 + 0.7 * security
    pushed = float(moments.loc["multidimensional", "gap_closed_per_month"])
    unpushed = float(moments.loc["none", "gap_closed_per_month"])
    if pushed <= 0:
        raise ValueError("post-war polyarchy did not rise under multidimensional missions; the rate cannot be fitted")
    return {"transformation_rate": pushed / k, "transformation_drift": float(np.clip(unpushed / pushed, 0.0, 1.0))}


def calibrate_transformation(spells: pd.DataFrame, data_dir: Path) -> tuple[dict[str, float], dict[str, Any]]:
    """The fitted values and a JSON-ready record of the moments behind them."""
    moments = polyarchy_moments(spells, read_vdem(data_dir / VDEM_FILE))
    values = fit_transformation(moments)
    record = {
        "method": "closed form from V-Dem polyarchy 5 years after UCDP war ends (see endstate.calibrate.transformation)",
        "security_assumed": SECURITY,
        "moments": {
            mt: {k: (round(float(v), 6) if isinstance(v, (float, np.floating)) else int(v)) for k, v in row.items()}
            for mt, row in moments.iterrows()
        },
    }
    return values, record
