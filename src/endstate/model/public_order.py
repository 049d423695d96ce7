"""Mechanism 10, public order: riots and how troops meet them.

Expected riots ``= rate * pop/100,000 * (0.5 + urban share) * tension * (1 + shock * policies)``,
times the region's violence shock of the month,
where ``policies`` counts transformation goals pushed while the mission is
present (new policies that hurt old interests).  Riot capacity counts
public-order personnel of contributors with riot control fully and others at a
quarter, plus ``domestic_riot_share`` of the domestic force (its police) times quality, spread by population;
the contained share is ``1 - exp(-capacity / riots / scale)``.  Uncontained riots kill
``deaths_per_uncontained_riot`` each (forces without riot training fire on the crowd) and raise tension (or
the forces withdraw): how many depends on the density of riot-capable personnel against the riots, not on
whether anyone is present (:func:`meet_riots`).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import mechanism
from .elementary import exp


class PublicOrderParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    rate_per_100k: float
    policy_shock: float
    capacity_scale: float
    domestic_share: float
    deaths_per_uncontained: float

    @staticmethod
    def of(pv: SimpleNamespace) -> PublicOrderParams:
        return PublicOrderParams(
            pv.riot_rate_per_100k, pv.riot_policy_shock, pv.riot_capacity_scale, pv.domestic_riot_share, pv.deaths_per_uncontained_riot
        )


@mechanism
def expected_riots(pop_100k: float, urban: float, tension: float, policies: float, p: PublicOrderParams) -> float:
    """``pop_100k``: the region's inhabitants / 100,000 (a constant of the region the kernel divides once, ``Theatre.hundred_thousands``)."""
    return p.rate_per_100k * pop_100k * (0.5 + urban) * tension * (1.0 + p.policy_shock * policies)


@mechanism
def contained_share(capacity: float, riots: float, scale: float) -> float:
    return 1.0 - exp(-capacity / (np.maximum(riots, 1e-9) * scale))


@mechanism
def meet_riots(riots: float, international: float, force: float, force_quality: float, share: float, p: PublicOrderParams) -> tuple[float, float]:
    """(uncontained riots, deaths at them) in one region: riot-capable international personnel ``international``
    plus the domestic police share of the force, deployed by population ``share``, against ``riots``."""
    capacity = international + p.domestic_share * force * force_quality * share
    uncontained = riots * (1.0 - contained_share(capacity, riots, p.capacity_scale))
    return uncontained, p.deaths_per_uncontained * uncontained
