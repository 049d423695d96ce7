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

import numpy as np


def monthly_cost(headcount: np.ndarray, cost_pm: np.ndarray, trainees: np.ndarray, programme: np.ndarray, per_trainee: float) -> np.ndarray:
    return headcount @ cost_pm + per_trainee * trainees + programme
