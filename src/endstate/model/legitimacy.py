"""Mechanism 9, government authority and legitimacy.

Legitimacy moves a share ``rate`` of the way a month toward
``L0 + s * (coverage - 0.5) + v * (access - 0.5) + f * funded - k * violence - c * creature - o * overrides``
plus a small normal shock.  ``funded = 1 - exp(-programme budget per inhabitant
a year / scale)`` is what the mission's money buys (salaries, reconstruction,
basic services: :func:`funded_services`), credited to the government.  ``creature`` is the share of the mission's
personnel from the lead state when one outside state commands (being seen as
its creature); ``overrides`` counts transformation goals while the mission is
present (outsiders imposing outcomes).
"""

from __future__ import annotations

import numpy as np


def update(
    leg: np.ndarray,
    leg0: np.ndarray,
    coverage: np.ndarray,
    access: np.ndarray,
    violence: np.ndarray,
    creature: np.ndarray,
    overrides: np.ndarray,
    funded: np.ndarray,
    z: np.ndarray,
    rate: float,
    s: float,
    v: float,
    k: float,
    c: float,
    o: float,
    f: float,
    sigma: float,
) -> np.ndarray:
    target = leg0 + s * (coverage - 0.5) + v * (access - 0.5) + f * funded - k * violence - c * creature - o * overrides
    return np.clip(leg + rate * (target - leg) + sigma * z, 0.0, 1.0)


def funded_services(programme_per_month: np.ndarray, population: float, scale_per_capita_year: float) -> np.ndarray:
    """Share of the services effect the programme budget buys: ``1 - exp(-US$ per inhabitant a year / scale)``."""
    return 1.0 - np.exp(-np.maximum(programme_per_month, 0.0) * 12.0 / population / scale_per_capita_year)
