"""Mechanism 13, host consent.

Consent moves a share ``rate`` of the way a month toward
``initial + t * threat - i * intrusion - c * capability - sovereignty`` plus a
small shock: ``threat`` is the violence index plus a third of log(1 + fighters
per 1,000), ``intrusion`` is, while the mission is present, the number of
transformation goals (imposed outcomes) plus 0.5 for the foreign presence
itself (0 after exit), and ``capability`` the domestic force's strength against
its target (the host needs outsiders less as it can stand alone).

``sovereignty`` (:func:`sovereignty_cost`) is what hosting a foreign force costs
a government at home, and it grows with time, with intrusiveness and with the
host's own capability:
``s * months / (months + half) * (1 - exp(-intrusion)) * capability``.
A host that can field its own force and has had foreigners on its soil for
years can ask them to leave while it is still under threat: Chad in 2010 (its
army had beaten the rebels back and it had made peace with Sudan), Eritrea in
2008, Mali in 2023 (Sebastian & Gorur 2018 on consent eroding over a mission's
life; Johnstone 2011).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from .compiled import clip, mechanism
from .elementary import exp, log1p


class ConsentParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    initial: float
    rate: float
    threat: float  # t
    intrusion: float  # i
    capability: float  # c
    sigma: float
    sovereignty: float  # s
    sovereignty_months: float  # half

    @staticmethod
    def of(pv: SimpleNamespace) -> ConsentParams:
        return ConsentParams(
            pv.consent_initial, pv.consent_rate, pv.consent_threat, pv.consent_intrusion, pv.consent_capability, pv.consent_sigma,
            pv.consent_sovereignty, pv.consent_sovereignty_months,
        )


@mechanism
def threat(violence: float, fighters_per_1000: float) -> float:
    """The violence index plus a third of log(1 + fighters per 1,000), at most 1."""
    return clip(violence + log1p(fighters_per_1000) / 3.0, 0.0, 1.0)


@mechanism
def intrusion(in_mission: bool, n_goals: int) -> float:
    """Transformation goals plus 0.5 for the foreign presence itself while the mission is there; 0 after exit."""
    return n_goals + 0.5 if in_mission else 0.0


@mechanism
def capability(force: float, target: float) -> float:
    """The domestic force against its target, at most 1.5."""
    return clip(force / max(target, 1.0), 0.0, 1.5)


@mechanism
def sovereignty_cost(months_present: float, intrusion: float, capability: float, p: ConsentParams) -> float:
    """The consent a long, intrusive presence costs a capable host; 0 when the mission is not there."""
    tenure = months_present / (months_present + p.sovereignty_months)
    return p.sovereignty * tenure * (1.0 - exp(-intrusion)) * capability


@mechanism
def update(consent: float, threat: float, intrusion: float, capability: float, z: float, sovereignty: float, p: ConsentParams) -> float:
    target = p.initial + p.threat * threat - p.intrusion * intrusion - p.capability * capability - sovereignty
    return clip(consent + p.rate * (target - consent) + p.sigma * z, 0.0, 1.0)
