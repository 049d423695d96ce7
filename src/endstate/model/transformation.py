"""Mechanism 15, transformation goals: slow indicators outsiders push.

Electoral democracy, institutional integration and minority returns each move
``rate * push * (0.3 + 0.7 * security) * (1 - x)`` a month, where ``push`` is 1
while the mission is present and the indicator is a goal, and the drift share
otherwise; security is one minus the violence index.  Force helps only through
security (a weak effect); pushing costs host consent and raises tension in
minority enclaves (see those mechanisms).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import clip, mechanism


class TransformationParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    rate: float
    drift: float

    @staticmethod
    def of(pv: SimpleNamespace) -> TransformationParams:
        return TransformationParams(pv.transformation_rate, pv.transformation_drift)


@mechanism
def update(x: float, goal: float, in_mission: bool, security: float, p: TransformationParams) -> float:
    """One indicator's next value; ``goal`` is 1 where it is a goal, ``security`` one minus the violence index."""
    push = np.maximum(goal, p.drift) if in_mission else p.drift
    return clip(x + p.rate * push * (0.3 + 0.7 * security) * (1.0 - x), 0.0, 1.0)
