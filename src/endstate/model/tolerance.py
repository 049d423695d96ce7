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
They are kept while the mission is present, the only time the exit rules read
them; after the exit they stay as the mission left them.

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

from types import SimpleNamespace
from typing import NamedTuple

from .compiled import clip, mechanism
from .elementary import log10


class ToleranceParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    forgetting: float  # forget
    per_tenfold_deaths: float  # f
    per_tenfold_cost: float  # k
    unexplained_multiplier: float
    weak_interest_multiplier: float
    deaths_absorbed: float  # d0
    hostile_per_battle_death: float

    @staticmethod
    def of(pv: SimpleNamespace) -> ToleranceParams:
        return ToleranceParams(
            pv.tolerance_forgetting, pv.tolerance_per_tenfold_deaths, pv.tolerance_per_tenfold_cost, pv.unexplained_multiplier,
            pv.weak_interest_multiplier, pv.tolerance_deaths_absorbed, pv.hostile_deaths_per_battle_death,
        )


@mechanism
def remember(memory: float, new: float, p: ToleranceParams) -> float:
    return memory * (1.0 - p.forgetting) + new


@mechanism
def hostile_fatalities(exposed: float, targeting: float, p: ToleranceParams) -> float:
    """Expected hostile deaths of one contributor.

    ``exposed`` is the contributor's personnel times the battle deaths per 1,000
    inhabitants where they serve, summed over regions.
    """
    return p.hostile_per_battle_death * targeting * exposed


@mechanism
def level(tol0: float, deaths: float, spent_bn: float, sensitivity: float, explained: float, interest: float, p: ToleranceParams) -> float:
    mult = (1.0 if explained > 0 else p.unexplained_multiplier) * (1.0 if interest > 0 else p.weak_interest_multiplier)
    loss = mult * (p.per_tenfold_deaths * sensitivity * log10(1.0 + deaths / p.deaths_absorbed) + p.per_tenfold_cost * log10(1.0 + spent_bn))
    return clip(tol0 - loss, 0.0, 1.0)
