"""Mechanism 4, spoilers: armed strength per region.

``S' = S + recruits + crossing + returned - pressure - arrests - inclusion``:
recruits ``= r * S * grievance * armed * (1 + outside_support) * shock``;
fighters crossing with smuggled weapons ``= f * inflow``; those released without
trial return; security pressure disperses ``p * coverage * S`` and arrests take
``a * coverage * S`` (into the justice chain); regional autonomy, where the spec
allows it, draws ``i * tension * S`` into politics.  Strength is capped at a
share of the population.
"""

from __future__ import annotations

import numpy as np


def arrests(spoilers: np.ndarray, coverage: np.ndarray, rate: float) -> np.ndarray:
    return rate * coverage * spoilers


def update(
    spoilers: np.ndarray,
    grievance: np.ndarray,
    armed: np.ndarray,
    support: np.ndarray,
    inflow: np.ndarray,
    returned: np.ndarray,
    coverage: np.ndarray,
    arrested: np.ndarray,
    tension: np.ndarray,
    autonomy: bool,
    shock: np.ndarray,
    cap: np.ndarray,
    recruit: float,
    per_weapon: float,
    pressure: float,
    inclusion: float,
) -> np.ndarray:
    gain = recruit * spoilers * grievance * armed * (1.0 + support) * shock + per_weapon * inflow + returned
    loss = pressure * coverage * spoilers + arrested
    if autonomy:
        loss = loss + inclusion * tension * spoilers
    return np.clip(spoilers + gain - loss, 0.0, cap)
