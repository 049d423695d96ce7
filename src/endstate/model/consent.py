"""Mechanism 13, host consent.

Consent moves a share ``rate`` of the way a month toward
``initial + t * threat - i * intrusion - c * capability`` plus a small shock:
``threat`` is the violence index plus a third of log(1 + fighters per 1,000),
``intrusion`` is, while the mission is present, the number of transformation
goals (imposed outcomes) plus 0.5 for the foreign presence itself (0 after
exit), and ``capability`` the domestic force's strength
against its target (the host needs outsiders less as it can stand alone).
"""

from __future__ import annotations

import numpy as np


def update(consent: np.ndarray, initial: float, threat: np.ndarray, intrusion: np.ndarray, capability: np.ndarray, z: np.ndarray, rate: float, t: float, i: float, c: float, sigma: float) -> np.ndarray:
    target = initial + t * threat - i * intrusion - c * capability
    return np.clip(consent + rate * (target - consent) + sigma * z, 0.0, 1.0)
