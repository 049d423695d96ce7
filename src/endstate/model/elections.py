"""Mechanism 16, elections: a scheduled event that may raise relapse risk for a while.

In the ``window`` months from an election held within ``early_years`` of the
mission start (taken as the ceasefire), the relapse hazard is multiplied by ``ratio`` (Brancati & Snyder
2013 find a rise; Collier et al. 2008 none; the default is a middle value).
"""

from __future__ import annotations

import numpy as np


def log_ratios(months: np.ndarray, election_months: np.ndarray, ratio: float, window: float, early_years: float) -> np.ndarray:
    """The log hazard ratio in each of ``months``: ``log(ratio)`` within ``window`` months from an early election, else 0.

    It depends on the month alone, so a batch computes every month's at once.
    """
    months = np.asarray(months)
    if election_months.size == 0:
        return np.zeros(months.shape)
    m = months[..., None]
    live = (m >= election_months) & (m < election_months + window) & (election_months < 12 * early_years)
    return np.where(live.any(axis=-1), np.log(ratio), 0.0)


def log_ratio(month: int, election_months: np.ndarray, ratio: float, window: float, early_years: float) -> float:
    """The log hazard ratio in one month (:func:`log_ratios`)."""
    return float(log_ratios(np.asarray(month), election_months, ratio, window, early_years))
