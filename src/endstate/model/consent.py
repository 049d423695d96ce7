"""Mechanism 13, host consent.

Consent moves a share ``rate`` of the way a month toward
``initial + t * threat - i * intrusion - c * capability - sovereignty`` plus a
small shock: ``threat`` is the violence index plus a third of log(1 + fighters
per 1,000), ``intrusion`` is, while the mission is present, the number of
transformation goals (imposed outcomes) plus 0.5 for the foreign presence
itself (0 after exit), and ``capability`` the domestic force's strength against
its target (the host needs outsiders less as it can stand alone).

``sovereignty`` (:func:`sovereignty_cost`) is what hosting a foreign force costs
a government at home, and it grows with time, with intrusiveness and with the
host's own capability:
``s * months / (months + half) * (1 - exp(-intrusion)) * capability``.
A host that can field its own force and has had foreigners on its soil for
years can ask them to leave while it is still under threat: Chad in 2010 (its
army had beaten the rebels back and it had made peace with Sudan), Eritrea in
2008, Mali in 2023 (Sebastian & Gorur 2018 on consent eroding over a mission's
life; Johnstone 2011).
"""

from __future__ import annotations

import numpy as np


def sovereignty_cost(months_present: np.ndarray, intrusion: np.ndarray, capability: np.ndarray, s: float, half: float) -> np.ndarray:
    """The consent a long, intrusive presence costs a capable host; 0 when the mission is not there."""
    tenure = months_present / (months_present + half)
    return s * tenure * (1.0 - np.exp(-intrusion)) * capability


def update(
    consent: np.ndarray,
    initial: float,
    threat: np.ndarray,
    intrusion: np.ndarray,
    capability: np.ndarray,
    z: np.ndarray,
    rate: float,
    t: float,
    i: float,
    c: float,
    sigma: float,
    sovereignty: np.ndarray | float = 0.0,
) -> np.ndarray:
    target = initial + t * threat - i * intrusion - c * capability - sovereignty
    return np.clip(consent + rate * (target - consent) + sigma * z, 0.0, 1.0)
