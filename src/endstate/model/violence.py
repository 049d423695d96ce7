"""Mechanism 2, violence: monthly battle and civilian deaths per region.

In peace, the expected deaths scale with the spoilers left unchecked:
``active = spoilers * (0.5 + armed) * (1 - effect * coverage)`` with ``armed`` the
share of fighters with weapons (unarmed fighters still kill, at a third of the
rate of a fully armed group); battle deaths ``= b * active * F_b``, civilian deaths
``= c * active * (1 + tension) * (1 - justice_effect * processing) * F_c``, where
``F_b`` and ``F_c`` are the mission's factors (mechanism 2a,
:mod:`endstate.model.peacekeeping`).  ``b`` is small: UCDP records no battle
deaths for a country at peace.  Where a foreign force present is a party to the
war (mechanism 2a's ``party`` share), the share ``party`` of the unchecked
fighters fights it, at the rate insurgencies fought the coalitions in Iraq and
Afghanistan (``b_party``, about 0.02 battle deaths a fighter a month, 200 times
``b``): battle deaths ``= (b * F_b + party * b_party) * active``, not cut by the
troops (that fighting is aimed at them).  An insurgency that holds its size
against such a force is a war in UCDP's terms, whether or not a peace was
declared (Afghanistan 2003-05: 660-1,628 battle deaths a year, against the
Taliban's 7,000-10,000).

After relapse, the resumed conflict kills at its own battle-death rate
``war_rate`` (drawn when it resumes, :func:`resumed_war_rate`), spread by
population: battle deaths ``= war_rate * share * F_b``, civilian deaths ``=
civilian_per_battle * war_rate * share * F_c``.  The rate comes from UCDP's
battle deaths of recurrent conflicts: ``ln(annual battle deaths) = a + s *
log10(previous war's deaths) + sigma * z``, ``z = Phi^-1(q)`` with ``q`` a
uniform each run draws at the start (after its baseline values, from the same
stream): every conflict that resumes in a run fights at that quantile, and the
same run in two strategies gets the same one (common random numbers).  It is
independent of the relapse draw, so the backtest can compute the chance that a
relapse reaches a given intensity.

Counts are overdispersed: each expectation is multiplied by a lognormal shock
(mean 1) and rounded stochastically (unbiased), one shock per region and month
shared by battle and civilian deaths.  Each function is one run's and one
region's, compiled (:mod:`endstate.model.compiled`).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np
from numba import vectorize
from scipy.special import ndtri

from .compiled import mechanism
from .elementary import exp
from .peacekeeping import MissionEffect


class ViolenceParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    battle_per_fighter: float
    civilian_per_fighter: float
    coverage_effect: float
    justice_effect: float
    civilian_per_battle_at_war: float
    shock_sigma: float
    index_scale: float
    party_battle_per_fighter: float  # b_party

    @staticmethod
    def of(pv: SimpleNamespace) -> ViolenceParams:
        return ViolenceParams(
            pv.battle_deaths_per_fighter, pv.civilian_deaths_per_fighter, pv.coverage_violence_effect, pv.justice_violence_effect,
            pv.civilian_per_battle_death_at_war, pv.violence_shock_sigma, pv.violence_index_scale, pv.party_battle_per_fighter,
        )


@mechanism
def lognormal_shock(z: float, sigma: float) -> float:
    """Mean-one multiplicative shock from a standard normal."""
    return exp(sigma * z - 0.5 * sigma * sigma)


@mechanism
def stochastic_round(x: float, u: float) -> float:
    """Round up with probability equal to the fractional part (unbiased)."""
    return np.floor(x + u)


@mechanism
def armed_share(arms: float, spoilers: float) -> float:
    return arms / (arms + spoilers + 1.0)


def war_log_intensity(war_deaths: np.ndarray, intercept: float, slope: float) -> np.ndarray:
    """Median log annual battle deaths of a conflict resuming after a war of ``war_deaths`` (at least 25)."""
    return intercept + slope * np.log10(np.maximum(war_deaths, 25.0))


def resumed_war_rate(log_intensity: np.ndarray, quantile: np.ndarray, sigma: float) -> np.ndarray:
    """Monthly battle deaths of a resumed conflict at ``quantile`` of its lognormal (annual deaths over 12)."""
    q = np.clip(quantile, 1e-12, 1.0 - 1e-12)
    return np.exp(log_intensity + sigma * ndtri(q)) / 12.0


@mechanism
def expected_deaths(
    spoilers: float, armed: float, coverage: float, tension: float, processing: float, at_war: bool, war_rate: float, share: float,
    mission: MissionEffect, party: float, p: ViolenceParams,
) -> tuple[float, float]:  # fmt: skip
    """Expected (battle, civilian) deaths in one region this month, before riots (``share``: the region's population share;
    ``party``: the share of the fighting aimed at a foreign force present, 0 when none is)."""
    active = spoilers * (0.5 + armed) * (1.0 - p.coverage_effect * coverage)
    aimed = party * p.party_battle_per_fighter * active  # the fighting aimed at a party force, at war or not, not cut by troops
    if at_war:
        rate = war_rate * share
        return rate * mission.battle + aimed, p.civilian_per_battle_at_war * rate * mission.civilian
    battle = p.battle_per_fighter * active * mission.battle + aimed
    civ = p.civilian_per_fighter * active * (1.0 + tension) * (1.0 - p.justice_effect * processing) * mission.civilian
    return battle, civ


@vectorize(["float64(float64, float64)"], cache=True)  # type: ignore[misc]
def violence_index(deaths_per_100k: float, scale: float) -> float:
    """0 with no killing, 0.63 at ``scale`` deaths per 100,000 a month, towards 1 (a ufunc: arrays too)."""
    return 1.0 - exp(-deaths_per_100k / scale)
