"""Mechanism 2, violence: monthly battle and civilian deaths per region.

In peace, the expected deaths scale with the spoilers left unchecked:
``active = spoilers * (0.5 + armed) * (1 - effect * coverage)`` with ``armed`` the
share of fighters with weapons (unarmed fighters still kill, at a third of the
rate of a fully armed group); battle deaths ``= b * active``, civilian deaths
``= c * active * (1 + tension) * (1 - justice_effect * processing)`` plus those
killed at uncontained riots.  After relapse, war intensity returns: the old
war's monthly death rate (at least ``war_floor``), spread by population, six
tenths of it battle deaths and four tenths civilians (the split in UCDP's
state-based and one-sided counts is of that order).
Counts are overdispersed: each expectation is multiplied by a lognormal shock
(mean 1) and rounded stochastically (unbiased), one shock per region and month
shared by battle and civilian deaths.
"""

from __future__ import annotations

import numpy as np


def lognormal_shock(z: np.ndarray, sigma: float) -> np.ndarray:
    """Mean-one multiplicative shock from standard normals."""
    return np.exp(sigma * z - 0.5 * sigma * sigma)


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Round up with probability equal to the fractional part (unbiased)."""
    return np.floor(x + u)


def armed_share(arms: np.ndarray, spoilers: np.ndarray) -> np.ndarray:
    return arms / (arms + spoilers + 1.0)


def expected_deaths(
    spoilers: np.ndarray,
    armed: np.ndarray,
    coverage: np.ndarray,
    tension: np.ndarray,
    processing: np.ndarray,
    at_war: np.ndarray,
    war_rate: np.ndarray,
    share: np.ndarray,
    b: float,
    c: float,
    effect: float,
    justice_effect: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected (battle, civilian) deaths per region this month."""
    active = spoilers * (0.5 + armed) * (1.0 - effect * coverage)
    battle = b * active
    civ = c * active * (1.0 + tension) * (1.0 - justice_effect * processing[:, None])
    if at_war.any():
        war = at_war[:, None]
        battle = np.where(war, war_rate[:, None] * share[None, :] * 0.6, battle)
        civ = np.where(war, war_rate[:, None] * share[None, :] * 0.4, civ)
    return battle, civ


def violence_index(deaths_per_100k: np.ndarray, scale: float) -> np.ndarray:
    """0 with no killing, 0.63 at ``scale`` deaths per 100,000 a month, towards 1."""
    return 1.0 - np.exp(-deaths_per_100k / scale)
