"""Mechanism 14, command coherence.

``coherence = base(command) - per_contributor * (contributors present - 1)
- caveats * caveat share - goals * transformation goals``, within [floor, 1].
Lead-state command starts near 1; committee command lower.  It scales the
security effect of international personnel.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from .compiled import clip, mechanism


class CoherenceParams(NamedTuple):
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


@mechanism
def coherence(lead_state: bool, n_present: int, caveat_share: float, n_abstract: int, p: CoherenceParams) -> float:
    base = p.lead_state if lead_state else p.committee
    return clip(base - p.per_contributor * max(n_present - 1, 0) - p.caveats * caveat_share - p.abstract_goals * n_abstract, p.floor, 1.0)
