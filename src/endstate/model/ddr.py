"""Disarmament, demobilisation and reintegration (DDR): a programme that takes fighters out of the armed groups.

A mission's DDR programme (``tasks.ddr`` in the spec) plans to take in a
caseload of ``Q`` combatants at up to ``capacity`` a month from its start.  Its
camps and pick-up points need a secure environment and the parties' consent
(UN IDDRS 2006, module 4.10; Walter 2002 on third-party security guarantees):
this month it takes in ``intake = min(capacity * security, Q - taken)``, with
``security`` the mission's deterrence ``D`` (mechanism 2a: a force that is a
party to the war guarantees nothing), and none while a resumed war is on
(disarmament presupposes a ceasefire: IDDRS 2006, module 3.10; Sierra Leone's
programme stopped in May 2000 and resumed after the Abuja ceasefire).  Armed-group members come in with the
caseload they belong to: the month's intake takes the same share
``intake / (Q - taken)`` of the spoiler pool (mechanism 4) as of the caseload,
but only of the fighters whose factions signed up to the programme
(``participation``: Cambodia's cantonment stopped when the Khmer Rouge refused,
1992), and they hand in the same share of the groups' weapons (mechanism 5's
stock), so that those left are no better armed than before.  Those disarmed reintegrate over ``reintegration_months``; a share
``failure`` of them rejoins the armed groups where it came from
(Humphreys & Weinstein 2007 on Sierra Leone's ex-combatants; the re-recruitment
of Liberian and Sierra Leonean ex-fighters across the region, Human Rights
Watch 2005), as far as those groups' organisation survives the programme
(``organised``, :func:`endstate.model.spoilers.organisation`: a disbanded
unit has no one to take them back; Themner 2011 on remobilisers).  The indicator ``disarmed_share`` is ``taken / Q``: the share of
the planned caseload disarmed, what a disarmament benchmark reads.  No
programme (the default): nothing happens.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import mechanism


class Programme(NamedTuple):
    """A spec's DDR programme, compiled (``caseload`` 0: none)."""

    caseload: float  # combatants it plans to take in
    capacity: float  # at most this many a month
    start: int  # month it opens
    participation: float  # share of the armed groups' fighters whose factions signed up, 0-1


NONE = Programme(0.0, 0.0, 0, 0.0)


class DDRParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    failure: float  # share of those reintegrating who rejoin the armed groups
    months: float  # months of reintegration

    @staticmethod
    def of(pv: SimpleNamespace) -> DDRParams:
        return DDRParams(pv.ddr_reintegration_failure, pv.ddr_reintegration_months)


@mechanism
def intake(p: Programme, taken: float, security: float, open_now: bool) -> float:
    """Combatants taken in this month: capacity scaled by the security the mission provides, up to the caseload left."""
    left = np.maximum(p.caseload - taken, 0.0)
    return np.minimum(p.capacity * security, left) if open_now else 0.0


@mechanism
def share_out(p: Programme, taken: float, took: float) -> float:
    """The share of the armed groups that leaves this month: the signatories' part of the caseload's share taken in."""
    left = np.maximum(p.caseload - taken, 1e-9)
    return p.participation * (np.minimum(took / left, 1.0) if took > 0 else 0.0)


@mechanism
def disarm(spoilers: float, arms: float, reintegrating: float, gone: float, organised: float, q: DDRParams) -> tuple[float, float, float]:
    """One region's spoilers after the month's disarmament and the failed reintegrations' return (to what is left of
    the groups' organisation), its weapons stock after those handed in, and those still reintegrating."""
    out = gone * spoilers
    leaving = reintegrating / q.months
    back = q.failure * leaving * organised
    return spoilers - out + back, arms * (1.0 - gone), reintegrating + out - leaving
