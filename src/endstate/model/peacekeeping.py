"""Mechanism 2a, what a peace operation's troops, police and observers do to killing, to relapse and to war's end.

Per-capita coverage (mechanism 1) registers almost nothing at the force sizes
UN missions deploy (a few thousand troops in a country of 10 million is 0.3
per 1,000, against Quinlivan's 20), yet the measured effects are large: they
work through deterrence, separation of the belligerents, information and the
credibility of a third party, which scale with the force's absolute size
against the size of the armed groups it faces, not with its density.  So this
mechanism reads the deployed numbers themselves:

``dose_x = x * coherence / reference_coherence / size`` for ``x`` = troops,
police, observers present this month, with ``size = max(1, fighters /
reference_fighters)`` (a force faces a conflict of the size of Hultman, Kathman
& Shannon's African civil wars, or a bigger one that dilutes it) and command
coherence relative to that of the UN missions those studies measured.

- **Battle deaths**, in peace and in war, are multiplied by
  ``exp(-b_t * dose_troops / 1000)``: police and observers have no such effect
  (Hultman, Kathman & Shannon 2014).
- **Civilian deaths** by ``exp(-c_t * dose_troops / 1000 - c_p * dose_police /
  100 + c_o * dose_observers / 100)``: troops and police protect, observers alone
  do not (HKS 2013 found more civilian killing where only observers were).
  The log-linear form is the one of HKS's negative binomial models (expected
  deaths ``exp(b * troops)``), so their fitted points fix the coefficients.
- **Deterrence** ``D = 1 - exp(-(dose_troops + w_p * dose_police + w_o *
  dose_observers) / scale)``, from 0 without a force to 1 with a large one,
  lowers the monthly relapse hazard by ``exp(-relapse_effect * D)`` (mechanism
  3; Fortna 2008) and raises the monthly chance that a resumed war ends by
  ``exp(termination_effect * D)`` (Kathman & Benson 2019).
- **A force that is a party.**  Those effects are a third party's: the UN
  forces HKS, Fortna and Kathman & Benson measured stood between belligerents
  that targeted the peacekeepers only now and then (``targeting`` about the
  usual UN theatre's ``t_ref``).  Where armed groups make the foreign forces
  their target more than that (``understanding.targeting_of_foreign_forces`` =
  ``t``), the excess share ``party = (t - t_ref) / (1 - t_ref)`` of their
  fighting is aimed at the force itself, and a force cannot stand between
  itself and its enemy: the factor on battle deaths is ``party + (1 - party) *
  exp(-b_t * dose_troops / 1000)`` and the deterrence ``(1 - party) * D``.
  Counter-insurgent coalitions (Iraq, Afghanistan), UNOSOM II once Aidid's
  militia fought it and MINUSMA against the jihadist groups faced wars that
  went on as their forces grew (Fjelde, Hultman & Lindberg 2016 on attacks on
  peacekeepers as a rebel strategy; Berman, Shapiro & Felter 2011: in Iraq
  troop numbers did not by themselves lower violence).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np

from .compiled import mechanism
from .elementary import exp


class PeacekeepingParams(NamedTuple):
    """The numbers this mechanism reads (each with its source in :mod:`endstate.model.params`)."""

    battle_per_1000_troops: float
    civilian_per_1000_troops: float
    civilian_per_100_police: float
    civilian_per_100_observers: float
    reference_fighters: float
    reference_coherence: float
    deterrence_scale: float
    deterrence_police_weight: float
    deterrence_observer_weight: float
    relapse_effect: float
    termination_effect: float
    war_termination_rate: float
    reference_targeting: float

    @staticmethod
    def of(pv: SimpleNamespace) -> PeacekeepingParams:
        return PeacekeepingParams(
            battle_per_1000_troops=pv.pk_battle_per_1000_troops,
            civilian_per_1000_troops=pv.pk_civilian_per_1000_troops,
            civilian_per_100_police=pv.pk_civilian_per_100_police,
            civilian_per_100_observers=pv.pk_civilian_per_100_observers,
            reference_fighters=pv.pk_reference_fighters,
            reference_coherence=pv.pk_reference_coherence,
            deterrence_scale=pv.pk_deterrence_scale,
            deterrence_police_weight=pv.pk_deterrence_police_weight,
            deterrence_observer_weight=pv.pk_deterrence_observer_weight,
            relapse_effect=pv.pk_relapse_effect,
            termination_effect=pv.pk_termination_effect,
            war_termination_rate=pv.war_termination_rate,
            reference_targeting=pv.pk_reference_targeting,
        )


class MissionEffect(NamedTuple):
    """This month's effect of the force present: one run's numbers in the kernel, (N,) arrays in a :class:`~endstate.model.step.Month`."""

    battle: Any  # factor on battle deaths
    civilian: Any  # factor on civilian deaths
    deterrence: Any  # D in [0, 1)


@mechanism
def effect(troops: float, police: float, observers: float, coherence: float, fighters: float, p: PeacekeepingParams, targeting: float) -> MissionEffect:
    """The factors on deaths and the deterrence of ``troops``, ``police`` and ``observers`` present (country totals),
    facing armed groups that target the force with weight ``targeting``."""
    k = coherence / p.reference_coherence / np.maximum(fighters / p.reference_fighters, 1.0)
    party = party_share(targeting, p)
    t, po, ob = troops * k, police * k, observers * k
    battle = party + (1.0 - party) * exp(-p.battle_per_1000_troops * t / 1000.0)
    civilian = exp(-p.civilian_per_1000_troops * t / 1000.0 - p.civilian_per_100_police * po / 100.0 + p.civilian_per_100_observers * ob / 100.0)
    dose = t + p.deterrence_police_weight * po + p.deterrence_observer_weight * ob
    return MissionEffect(battle, civilian, (1.0 - party) * (1.0 - exp(-dose / p.deterrence_scale)))


@mechanism
def party_share(targeting: float, p: PeacekeepingParams) -> float:
    """The share of the armed groups' fighting aimed at the force itself: 0 up to the usual UN theatre's targeting, 1 at 1."""
    return max(targeting - p.reference_targeting, 0.0) / (1.0 - p.reference_targeting)


@mechanism
def termination_rate(deterrence: float, p: PeacekeepingParams) -> float:
    """Monthly chance that a resumed war ends (``war_termination_rate``), raised by the force's deterrence (at most 1)."""
    return np.minimum(p.war_termination_rate * exp(p.termination_effect * deterrence), 1.0)
