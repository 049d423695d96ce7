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

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np


@dataclass(frozen=True)
class PublicOrderParams:
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


def expected_riots(pop: np.ndarray, urban: np.ndarray, tension: np.ndarray, policies: np.ndarray, rate: float, shock: float) -> np.ndarray:
    return rate * (pop / 1e5)[None, :] * (0.5 + urban)[None, :] * tension * (1.0 + shock * policies[:, None])


def contained_share(capacity: np.ndarray, riots: np.ndarray, scale: float) -> np.ndarray:
    return 1.0 - np.exp(-capacity / (np.maximum(riots, 1e-9) * scale))


def meet_riots(
    riots: np.ndarray, international: np.ndarray, force: np.ndarray, force_quality: np.ndarray, share: np.ndarray, p: PublicOrderParams
) -> tuple[np.ndarray, np.ndarray]:
    """(uncontained riots, deaths at them) per region: riot-capable international personnel ``international``
    (N, R) plus the domestic police share of the force, against ``riots`` (N, R)."""
    capacity = international + (p.domestic_share * force * force_quality)[:, None] * share[None, :]
    uncontained = riots * (1.0 - contained_share(capacity, riots, p.capacity_scale))
    return uncontained, p.deaths_per_uncontained * uncontained
