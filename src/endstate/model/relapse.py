"""Mechanism 3, relapse to war: a monthly hazard for the whole country.

``log h = log base[outcome] - decay * log(1 + t/12) + b_d * log10(deaths/1000)
+ b_t * log(years) + b_i * identity + b_p * log(1 + prior relapses) + b_s * log(1 + fighters per 1,000)
- b_c * coverage - b_m * deterrence + b_v * violence - b_l * (legitimacy - 0.5)
+ log(election ratio)``.  ``deterrence`` is the mission's (mechanism 2a,
:mod:`endstate.model.peacekeeping`): the absolute size of its force against the
conflict's, which is what the survival studies measure, where ``coverage`` is
the per-capita density of every security force, domestic included.
``t`` is months since the current peace began: the mission start, which the
model takes as the ceasefire, or the month after a resumed war ended; coverage
and violence are population weighted.  ``prior relapses`` is the number of
earlier peaces in the country that failed (the conflict trap: Collier et al.
2003; Walter 2011): each adds less than the one before, hence the logarithm.
War resumes when a uniform draw falls below ``h``.

A relapse is the resumption of armed conflict (UCDP's sense: it may stay below
a war's 1,000 battle deaths a year; its intensity is drawn in
:mod:`endstate.model.violence`).  A resumed conflict ends with a monthly
probability ``war_termination_rate``, raised by the mission's deterrence
(the same month's uniform, which a run at war does not otherwise use); the
country is then at peace again, its clock ``t`` restarts, and it can relapse
again.  Outcomes record the first relapse.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import mechanism
from .elementary import exp, log1p


class RelapseParams(NamedTuple):
    """The coefficients of the time-varying part of the hazard (sources in :mod:`endstate.model.params`)."""

    time_decay: float
    spoilers: float
    coverage: float
    mission: float
    violence: float
    legitimacy: float

    @staticmethod
    def of(pv: SimpleNamespace) -> RelapseParams:
        return RelapseParams(
            pv.relapse_time_decay, pv.relapse_spoilers, pv.relapse_coverage, pv.pk_relapse_effect, pv.relapse_violence, pv.relapse_legitimacy
        )


def static_log_hazard(
    war_deaths: np.ndarray, war_years: np.ndarray, identity: bool, base: float, b_d: float, b_t: float, b_i: float,
    prior_relapses: int, b_p: float,
) -> np.ndarray:
    """The part of the log hazard fixed at the start of a run (N,)."""
    return (
        np.log(base)
        + b_d * np.log10(np.maximum(war_deaths, 25.0) / 1000.0)
        + b_t * np.log(np.maximum(war_years, 0.1))
        + (b_i if identity else 0.0)
        + b_p * np.log1p(max(prior_relapses, 0))
    )


@mechanism
def hazard(
    static: float | np.ndarray,
    month: int | np.ndarray,
    fighters_per_1000: float | np.ndarray,
    coverage: float | np.ndarray,
    deterrence: float | np.ndarray,
    violence: float | np.ndarray,
    legitimacy: float | np.ndarray,
    election_log_ratio: float | np.ndarray,
    p: RelapseParams,
) -> float | np.ndarray:
    log_h = (
        static
        - p.time_decay * log1p(month / 12.0)
        + p.spoilers * log1p(fighters_per_1000)
        - p.coverage * coverage
        - p.mission * deterrence
        + p.violence * violence
        - p.legitimacy * (legitimacy - 0.5)
        + election_log_ratio
    )
    return np.minimum(exp(log_h), 1.0)
