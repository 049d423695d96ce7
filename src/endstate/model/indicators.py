"""The model's indicators (the vocabulary goals and monitoring use), read off a month.

Core object: :func:`indicator`, which returns the country value (N,) or one
region's values (N,) of an indicator named in :data:`endstate.types.INDICATORS`.
Regional counts are summed over regions and regional rates and shares are
population-weighted; national quantities (the domestic force, justice,
legitimacy, consent, transformation) are the same in every region.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .scenario import Scenario
from .state import State
from .step import Month

_COUNTS = {"battle_deaths", "civilian_deaths", "spoiler_strength", "arms_inflow", "riots"}

_REGIONAL: dict[str, Callable[[Scenario, State, Month], np.ndarray]] = {
    "battle_deaths": lambda sc, st, m: m.battle,
    "civilian_deaths": lambda sc, st, m: m.civilian,
    "violence_per_100k": lambda sc, st, m: (m.battle + m.civilian) / sc.pop * 1e5,
    "spoiler_strength": lambda sc, st, m: st.spoilers,
    "arms_inflow": lambda sc, st, m: m.inflow,
    "tension": lambda sc, st, m: st.tension,
    "riots": lambda sc, st, m: m.riots,
    "security_coverage": lambda sc, st, m: m.coverage,
    "aid_access": lambda sc, st, m: m.access,
}

_NATIONAL: dict[str, Callable[[Scenario, State, Month], np.ndarray]] = {
    "domestic_force_per_1000": lambda sc, st, m: st.force / sc.population * 1000.0,
    "domestic_force_quality": lambda sc, st, m: st.force_quality,
    "domestic_force_loyalty": lambda sc, st, m: m.loyalty,
    "justice_processing": lambda sc, st, m: st.processing,
    "legitimacy": lambda sc, st, m: st.legitimacy,
    "host_consent": lambda sc, st, m: st.consent,
    "electoral_democracy": lambda sc, st, m: st.transformation[:, 0],
    "institutional_integration": lambda sc, st, m: st.transformation[:, 1],
    "minority_returns": lambda sc, st, m: st.transformation[:, 2],
    "disarmed_share": lambda sc, st, m: st.ddr_taken / max(sc.ddr.caseload, 1e-9),
}


def indicator(name: str, sc: Scenario, st: State, m: Month, region: int = -1) -> np.ndarray:
    """The indicator for the country (``region=-1``) or for one region, per run."""
    if name in _NATIONAL:
        return _NATIONAL[name](sc, st, m)
    if name not in _REGIONAL:
        raise KeyError(f"unknown indicator {name!r}")
    vals = _REGIONAL[name](sc, st, m)
    if region >= 0:
        return vals[:, region]
    if name in _COUNTS:
        return vals.sum(axis=1)
    return vals @ sc.share
