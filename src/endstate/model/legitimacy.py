"""Mechanism 9, government authority and legitimacy.

Legitimacy moves a share ``rate`` of the way a month toward
``L0 + s * (coverage - 0.5) + v * (access - 0.5) + f * funded - k * violence - c * creature - o * overrides``
plus a small normal shock.  ``funded = 1 - exp(-programme budget per inhabitant
a year / scale)`` is what the mission's money buys (salaries, reconstruction,
basic services: :func:`funded_services`), credited to the government.  ``creature`` is the share of the mission's
personnel from the lead state when one outside state commands (being seen as
its creature); ``overrides`` counts transformation goals while the mission is
present (outsiders imposing outcomes).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import clip, mechanism
from .elementary import exp


class LegitimacyParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    rate: float
    security: float  # s
    services: float  # v
    violence: float  # k
    creature: float  # c
    override: float  # o
    programme: float  # f
    sigma: float
    programme_scale_per_capita: float

    @staticmethod
    def of(pv: SimpleNamespace) -> LegitimacyParams:
        return LegitimacyParams(
            pv.legitimacy_rate, pv.legitimacy_security, pv.legitimacy_services, pv.legitimacy_violence, pv.legitimacy_creature,
            pv.legitimacy_override, pv.programme_legitimacy, pv.legitimacy_sigma, pv.programme_scale_per_capita,
        )


@mechanism
def update(
    leg: float, leg0: float, coverage: float, access: float, violence: float, creature: float, overrides: float, funded: float, z: float,
    p: LegitimacyParams,
) -> float:  # fmt: skip
    target = leg0 + p.security * (coverage - 0.5) + p.services * (access - 0.5) + p.programme * funded - p.violence * violence - p.creature * creature - p.override * overrides
    return clip(leg + p.rate * (target - leg) + p.sigma * z, 0.0, 1.0)


@mechanism
def funded_services(programme_per_month: float, population: float, p: LegitimacyParams) -> float:
    """Share of the services effect the programme budget buys: ``1 - exp(-US$ per inhabitant a year / scale)``."""
    return 1.0 - exp(-np.maximum(programme_per_month, 0.0) * 12.0 / population / p.programme_scale_per_capita)
