"""Mechanism 4, spoilers: armed strength per region.

``S' = S + recruits + crossing + returned - pressure - arrests - inclusion``:
recruits ``= r * S * grievance * armed * (1 + outside_support) * shock``;
fighters crossing with smuggled weapons ``= f * inflow``; those released without
trial return; security pressure disperses ``p * coverage * S`` and arrests take
``a * coverage * S`` (into the justice chain); regional autonomy, where the spec
allows it, draws ``i * tension * S`` into politics.  Strength is capped at a
share of the population.

A foreign force that is a party to the war (mechanism 2a's ``party`` share)
recruits the insurgency it fights: its raids, arrests and the harm around them
bring in new fighters, ``backlash * (pressure + arrests)`` a month with
``backlash = party_recruitment * party`` while the mission is present (Lyall,
Blair & Imai 2013: ISAF-inflicted harm raised support for the Taliban, Taliban
harm did not do the reverse; Condra & Shapiro 2012: civilian casualties caused
by coalition forces were followed by more insurgent violence in Iraq; Berman,
Shapiro & Felter 2011: troop numbers alone did not lower it).

Fighters who arrive from outside the group (those crossing with smuggled
weapons, those released without trial) join it only as far as its organisation
survives a disarmament programme: ``organised = 1 - participation *
disarmed_share`` (mechanism 4b), 1 where there is none.  Demobilisation is the
formal discharge of combatants and the disbanding of their units (UN IDDRS 2006,
module 1.20); men and guns need a commander and a chain of supply to become an
armed force (Weinstein 2007 "Inside Rebellion"), and ex-combatants were
remobilised where their wartime command networks survived (Themner 2011
"Violence in Post-Conflict Societies"; Humphreys & Weinstein 2007 found
Sierra Leone's ex-fighters' reintegration little tied to the programme
itself, and the groups did not come back).  Recruitment is already in
proportion to the fighters a group still has.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from .compiled import clip, mechanism


class SpoilerParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    recruitment: float
    per_weapon: float
    pressure: float
    inclusion: float
    arrest_rate: float
    shock_sigma: float
    cap_per_1000: float
    release_return: float  # share of those released without trial who return to their group the next month
    party_recruitment: float  # recruits per fighter taken out by a force that is a party (times its party share)

    @staticmethod
    def of(pv: SimpleNamespace) -> SpoilerParams:
        return SpoilerParams(
            pv.spoiler_recruitment, pv.fighters_per_weapon_inflow, pv.spoiler_pressure_loss, pv.spoiler_inclusion_loss,
            pv.spoiler_arrest_rate, pv.spoiler_shock_sigma, pv.spoiler_cap_per_1000, pv.release_return_share,
            pv.party_recruitment,
        )


@mechanism
def arrests(spoilers: float, coverage: float, p: SpoilerParams) -> float:
    return p.arrest_rate * coverage * spoilers


@mechanism
def strength_cap(pop: float, p: SpoilerParams) -> float:
    """Most fighters a region of ``pop`` inhabitants holds."""
    return p.cap_per_1000 * pop / 1000.0


@mechanism
def organisation(disarmed_share: float, participation: float) -> float:
    """Share of the armed groups' organisation left by a DDR programme: the signatories' units disbanded so far go."""
    return 1.0 - participation * clip(disarmed_share, 0.0, 1.0)


@mechanism
def update(
    spoilers: float, grievance: float, armed: float, support: float, inflow: float, returned: float, coverage: float, arrested: float,
    tension: float, autonomy: bool, shock: float, cap: float, backlash: float, organised: float, p: SpoilerParams,
) -> float:  # fmt: skip
    """Next month's fighters in one region (``backlash``: recruits per fighter a party's pressure and arrests take out;
    ``organised``: the share of the groups' organisation left to take in fighters arriving from outside them)."""
    loss = p.pressure * coverage * spoilers + arrested
    joining = organised * (p.per_weapon * inflow + returned)
    gain = p.recruitment * spoilers * grievance * armed * (1.0 + support) * shock + joining + backlash * loss
    if autonomy:
        loss = loss + p.inclusion * tension * spoilers
    return clip(spoilers + gain - loss, 0.0, cap)
