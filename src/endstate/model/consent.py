"""Mechanism 13, host consent.

Consent moves a share ``rate`` of the way a month toward
``initial + t * threat - i * intrusion - c * capability`` plus a small shock:
``threat`` is the violence index and spoiler pressure the host faces,
``intrusion`` the number of transformation goals (imposed outcomes) and
outsiders' share of security, ``capability`` the domestic force's strength
against its target (the host needs outsiders less as it can stand alone).
"""

from __future__ import annotations

import numpy as np


def update(consent: np.ndarray, initial: float, threat: np.ndarray, intrusion: np.ndarray, capability: np.ndarray, z: np.ndarray, rate: float, t: float, i: float, c: float, sigma: float) -> np.ndarray:
    target = initial + t * threat - i * intrusion - c * capability
    return np.clip(consent + rate * (target - consent) + sigma * z, 0.0, 1.0)
