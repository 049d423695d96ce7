"""Mechanism 12, contributor tolerance.

A contributor's public tolerance is its initial level less what its losses in
action (not accidents or illness, which move opinion little) and its spending
have cost it:
``tolerance = initial - m * (f * sensitivity * log10(1 + remembered deaths / d0) + k * log10(1 + remembered US$ bn))``.
Support falls by a fixed step for every tenfold rise in casualties (Mueller
1973 found about 15 points per tenfold for Korea and Vietnam), once the first
``d0`` deaths are absorbed (Panama's 23 and the Gulf War's 148 left support
near its start: Larson 1996); ``m`` is the
unexplained-purpose multiplier when leaders did not explain why the mission
matters, times the weak-interest multiplier when no interest was stated
(Gelpi, Feaver & Reifler 2006; Marten 2004).  Publics forget slowly: each
month the remembered deaths and spending lose a share ``forget``.  Below its
floor a contributor leaves; the lead state leaving ends the mission.

The deaths that count are the contributor's own hostile fatalities
(:func:`hostile_fatalities`): each of its personnel in a region runs a monthly
risk proportional to the fighting there (battle deaths per 1,000 inhabitants
this month) and to how much the armed groups target foreign forces
(``understanding.targeting_of_foreign_forces``).  Open war multiplies the
fighting, so it multiplies the losses; an insurgency that aims at the foreigners
(Somalia from June 1993, Iraq, Afghanistan, Mali) kills many more of them than
militias that avoid them (East Timor after INTERFET's arrival).
"""

from __future__ import annotations

import numpy as np


def remember(memory: np.ndarray, new: np.ndarray, forget: float) -> np.ndarray:
    return memory * (1.0 - forget) + new


def hostile_fatalities(exposed: np.ndarray, targeting: float, per_battle_death: float) -> np.ndarray:
    """Expected hostile deaths per contributor, (N, C).

    ``exposed`` is the contributor's personnel times the battle deaths per 1,000
    inhabitants where they serve, summed over regions.
    """
    return per_battle_death * targeting * exposed


def level(
    tol0: np.ndarray,
    deaths: np.ndarray,
    spent_bn: np.ndarray,
    sensitivity: np.ndarray,
    explained: np.ndarray,
    interest: np.ndarray,
    per_tenfold_deaths: float,
    per_tenfold_cost: float,
    m_unexplained: float,
    m_weak: float,
    absorbed: float = 1.0,
) -> np.ndarray:
    """Tolerance now; deaths count in units of ``absorbed``, the losses a public takes before its opinion moves much."""
    mult = np.where(explained > 0, 1.0, m_unexplained) * np.where(interest > 0, 1.0, m_weak)
    loss = mult * (per_tenfold_deaths * sensitivity * np.log10(1.0 + deaths / absorbed) + per_tenfold_cost * np.log10(1.0 + spent_bn))
    return np.clip(tol0 - loss, 0.0, 1.0)
