"""Mechanism 12, contributor tolerance.

Each month a contributor's public tolerance falls by
``k_f * sensitivity * fatalities * m_purpose * m_interest + k_c * annual cost in US$ bn``
and recovers ``k_r * (initial - tolerance)`` in months without deaths.
``m_purpose`` is the unexplained multiplier when leaders did not explain the
purpose, ``m_interest`` the weak-interest multiplier when no interest was
stated.  Below its floor a contributor leaves; the lead state leaving ends the
mission.
"""

from __future__ import annotations

import numpy as np


def update(
    tol: np.ndarray,
    tol0: np.ndarray,
    fatalities: np.ndarray,
    annual_cost_bn: np.ndarray,
    sensitivity: np.ndarray,
    explained: np.ndarray,
    interest: np.ndarray,
    k_f: float,
    k_c: float,
    k_r: float,
    m_unexplained: float,
    m_weak: float,
) -> np.ndarray:
    mult = np.where(explained > 0, 1.0, m_unexplained) * np.where(interest > 0, 1.0, m_weak)
    loss = k_f * sensitivity * fatalities * mult + k_c * annual_cost_bn * mult
    recover = np.where(fatalities > 0, 0.0, k_r * (tol0 - tol))
    return np.clip(tol - loss + recover, 0.0, 1.0)
