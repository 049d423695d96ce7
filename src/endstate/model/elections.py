"""Mechanism 16, elections: a scheduled event that may raise relapse risk for a while.

In the ``window`` months from an election held within ``early_years`` of the
mission start (taken as the ceasefire), the relapse hazard is multiplied by ``ratio`` (Brancati & Snyder
2013 find a rise; Collier et al. 2008 none; the default is a middle value).
"""

from __future__ import annotations

import numpy as np


def log_ratio(month: int, election_months: np.ndarray, ratio: float, window: float, early_years: float) -> float:
    if election_months.size == 0:
        return 0.0
    live = (month >= election_months) & (month < election_months + window) & (election_months < 12 * early_years)
    return float(np.log(ratio)) if live.any() else 0.0
