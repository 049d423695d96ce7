"""Mechanism 4, spoilers: armed strength per region.

``S' = S + recruits + crossing + returned - pressure - arrests - inclusion``:
recruits ``= r * S * grievance * armed * (1 + outside_support) * shock``;
fighters crossing with smuggled weapons ``= f * inflow``; those released without
trial return; security pressure disperses ``p * coverage * S`` and arrests take
``a * coverage * S`` (into the justice chain); regional autonomy, where the spec
allows it, draws ``i * tension * S`` into politics.  Strength is capped at a
share of the population.

A foreign force that is a party to the war (mechanism 2a's ``party`` share)
recruits the insurgency it fights: its raids, arrests and the harm around them
bring in new fighters, ``backlash * (pressure + arrests)`` a month with
``backlash = party_recruitment * party`` while the mission is present (Lyall,
Blair & Imai 2013: ISAF-inflicted harm raised support for the Taliban, Taliban
harm did not do the reverse; Condra & Shapiro 2012: civilian casualties caused
by coalition forces were followed by more insurgent violence in Iraq; Berman,
Shapiro & Felter 2011: troop numbers alone did not lower it).
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
    backlash: np.ndarray,
) -> np.ndarray:
    loss = pressure * coverage * spoilers + arrested
    gain = recruit * spoilers * grievance * armed * (1.0 + support) * shock + per_weapon * inflow + returned + backlash[:, None] * loss
    if autonomy:
        loss = loss + inclusion * tension * spoilers
    return np.clip(spoilers + gain - loss, 0.0, cap)
