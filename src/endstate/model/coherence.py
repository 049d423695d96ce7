"""Mechanism 14, command coherence.

``coherence = base(command) - per_contributor * (contributors present - 1)
- caveats * caveat share - goals * transformation goals``, within [floor, 1].
Lead-state command starts near 1; committee command lower.  It scales the
security effect of international personnel.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np


@dataclass(frozen=True)
class CoherenceParams:
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    lead_state: float
    committee: float
    per_contributor: float
    caveats: float
    abstract_goals: float
    floor: float

    @staticmethod
    def of(pv: SimpleNamespace) -> CoherenceParams:
        return CoherenceParams(
            pv.coherence_lead_state, pv.coherence_committee, pv.coherence_per_contributor, pv.coherence_caveats, pv.coherence_abstract_goals,
            pv.coherence_floor,
        )


def coherence(lead_state: bool, n_present: np.ndarray, caveat_share: float, n_abstract: int, p: CoherenceParams) -> np.ndarray:
    base = p.lead_state if lead_state else p.committee
    return np.clip(base - p.per_contributor * np.maximum(n_present - 1, 0) - p.caveats * caveat_share - p.abstract_goals * n_abstract, p.floor, 1.0)
