"""Mechanism 3, relapse to war: a monthly hazard for the whole country.

``log h = log base[outcome] - decay * log(1 + t/12) + b_d * log10(deaths/1000)
+ b_t * log(years) + b_i * identity + b_s * log(1 + fighters per 1,000)
- b_c * coverage + b_v * violence - b_l * (legitimacy - 0.5) + log(election ratio)``.
``t`` is months since the current peace began: the mission start, which the
model takes as the ceasefire, or the month after a resumed war ended; coverage
and violence are population weighted.  War resumes when a uniform draw falls
below ``h``.

A resumed war ends with a constant monthly probability ``war_termination_rate``
(the same month's uniform, which a run at war does not otherwise use); the
country is then at peace again, its clock ``t`` restarts, and it can relapse
again.  Outcomes record the first relapse.
"""

from __future__ import annotations

import numpy as np


def static_log_hazard(war_deaths: np.ndarray, war_years: np.ndarray, identity: bool, base: float, b_d: float, b_t: float, b_i: float) -> np.ndarray:
    """The part of the log hazard fixed at the start of a run (N,)."""
    return (
        np.log(base)
        + b_d * np.log10(np.maximum(war_deaths, 25.0) / 1000.0)
        + b_t * np.log(np.maximum(war_years, 0.1))
        + (b_i if identity else 0.0)
    )


def hazard(
    static: np.ndarray,
    month: int | np.ndarray,
    decay: float,
    fighters_per_1000: np.ndarray,
    coverage: np.ndarray,
    violence: np.ndarray,
    legitimacy: np.ndarray,
    election_log_ratio: float,
    b_s: float,
    b_c: float,
    b_v: float,
    b_l: float,
) -> np.ndarray:
    log_h = (
        static
        - decay * np.log1p(month / 12.0)
        + b_s * np.log1p(fighters_per_1000)
        - b_c * coverage
        + b_v * violence
        - b_l * (legitimacy - 0.5)
        + election_log_ratio
    )
    return np.minimum(np.exp(log_h), 1.0)
