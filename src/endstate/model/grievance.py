"""Grievance and tension: the slow regional moods that feed spoilers and riots.

Grievance moves a tenth of the way a month toward
``0.1 + 0.4 * need * (1 - access) + 0.3 * (1 - processing) + 0.3 * violence``
(unmet need, impunity and killing).  Tension moves toward its starting level,
lowered by coverage (``* (1 - 0.3 * coverage)``), raised in minority enclaves
when transformation goals are pushed, and by uncontained riots.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from .compiled import clip, mechanism


class GrievanceParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    grievance_rate: float
    tension_rate: float
    transformation_tension: float
    riot_tension: float

    @staticmethod
    def of(pv: SimpleNamespace) -> GrievanceParams:
        return GrievanceParams(pv.grievance_rate, pv.tension_rate, pv.transformation_tension, pv.riot_tension)


@mechanism
def grievance(g: float, need: float, access: float, processing: float, violence: float, p: GrievanceParams) -> float:
    target = 0.1 + 0.4 * need * (1.0 - access) + 0.3 * (1.0 - processing) + 0.3 * violence
    return clip(g + p.grievance_rate * (target - g), 0.0, 1.0)


@mechanism
def tension(t: float, t0: float, coverage: float, push: float, enclave: float, uncontained: float, p: GrievanceParams) -> float:
    target = t0 * (1.0 - 0.3 * coverage) + p.transformation_tension * push * enclave
    return clip(t + p.tension_rate * (target - t) + p.riot_tension * uncontained, 0.0, 1.0)
