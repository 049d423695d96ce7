"""Mechanism 11, mission casualties and cost.

Expected fatalities of a contributor ``= accident * personnel + hostile *
targeting * sum_r personnel_r * battle deaths per 1,000 inhabitants in r`` (the
hostile part in :func:`endstate.model.tolerance.hostile_fatalities`), rounded
stochastically.
Monthly cost is personnel times each contributor's cost per person-month, plus
the mission's programme budget (training, construction, aid) while present,
plus the upkeep of every recruit in training that month.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from .compiled import mechanism


class CostParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    accident_rate: float  # fatalities a person-month from accidents and illness
    per_trainee: float  # US$ a recruit in training costs a month

    @staticmethod
    def of(pv: SimpleNamespace) -> CostParams:
        return CostParams(pv.accident_fatality_rate, pv.training_cost_per_trainee)


@mechanism
def expected_fatalities(personnel: float, hostile: float, p: CostParams) -> float:
    """One contributor's expected deaths this month: accidents and illness plus ``hostile`` (tolerance.hostile_fatalities)."""
    return p.accident_rate * personnel + hostile


@mechanism
def monthly_cost(personnel_cost: float, trainees: float, programme: float, p: CostParams) -> float:
    """``personnel_cost``: the sum over contributors of personnel times their cost per person-month."""
    return personnel_cost + p.per_trainee * trainees + programme
