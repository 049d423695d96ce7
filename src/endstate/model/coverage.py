"""Mechanism 1, security coverage: personnel per 1,000 inhabitants, with diminishing returns.

``coverage = 1 - exp(-density / scale)`` where ``density`` is effective
personnel per 1,000 inhabitants: international personnel weighted by task and
quality and scaled by command coherence, plus the domestic force deployed by
population and weighted by its quality and loyalty.  At Quinlivan's 20 per
1,000, coverage is 0.86 with the default scale of 10.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import mechanism
from .elementary import exp


class CoverageParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    scale_per_1000: float
    reallocation_share: float

    @staticmethod
    def of(pv: SimpleNamespace) -> CoverageParams:
        return CoverageParams(pv.coverage_scale_per_1000, pv.reallocation_share)


@mechanism
def saturating(x: float, scale: float) -> float:
    """Diminishing returns: 0 at 0, 0.63 at ``scale``, approaching 1."""
    return 1.0 - exp(-np.maximum(x, 0.0) / scale)


@mechanism
def hotspot_score(tension: float, spoilers: float, pop: float, thousands: float) -> float:
    """Where a lead state sends mobile troops: population times (tension + spoilers per 1,000).

    ``thousands`` is ``pop / 1000`` (a constant of the region the kernel divides once, ``Theatre.thousands``).
    A region's weight is its score over the scores' total (at least 1e-12).
    """
    return pop * (tension + spoilers / thousands)


@mechanism
def security_density(
    intl: float, mobile: float, coherence: float, domestic: float, thousands: float, share: float, reallocate: bool, moved_total: float,
    hot_weight: float, p: CoverageParams,
) -> float:  # fmt: skip
    """Effective security personnel per 1,000 inhabitants in one region.

    ``intl`` is task-weighted international personnel, ``mobile`` its patrol
    and public-order part; under a lead state that reallocates, a share of the
    mobile part moves to hotspots each month: the region gives up its own and
    receives ``hot_weight`` of ``moved_total``, what all regions give up.
    ``domestic`` is the domestic force times its quality and loyalty, deployed
    by population ``share``; ``thousands`` is the region's inhabitants / 1000.
    """
    if reallocate:
        moved = p.reallocation_share * mobile
        intl = intl - moved + moved_total * hot_weight
    return (intl * coherence + domestic * share) / thousands
