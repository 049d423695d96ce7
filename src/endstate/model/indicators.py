"""The model's indicators (the vocabulary goals and monitoring use), read off a month.

Core object: :func:`indicator`, which returns the country value (N,) or the
regional values (N, R) of one indicator named in :data:`endstate.types.INDICATORS`.
Counts are summed over regions; rates and shares are population-weighted.
"""

from __future__ import annotations

import numpy as np

from .scenario import Scenario
from .state import State
from .step import Month

_COUNTS = {"battle_deaths", "civilian_deaths", "spoiler_strength", "arms_inflow", "riots"}


def regional(name: str, sc: Scenario, st: State, m: Month) -> np.ndarray:
    """(N, R) values; country-level quantities are repeated in every region."""
    n = st.force.shape[0]
    rep = lambda x: np.repeat(np.asarray(x, dtype=float)[:, None], sc.R, axis=1)  # noqa: E731
    if name == "battle_deaths":
        return m.battle
    if name == "civilian_deaths":
        return m.civilian
    if name == "violence_per_100k":
        return (m.battle + m.civilian) / sc.pop * 1e5
    if name == "spoiler_strength":
        return st.spoilers
    if name == "arms_inflow":
        return m.inflow
    if name == "tension":
        return st.tension
    if name == "riots":
        return m.riots
    if name == "security_coverage":
        return m.coverage
    if name == "aid_access":
        return m.access
    country = {
        "domestic_force_per_1000": st.force / sc.population * 1000.0,
        "domestic_force_quality": st.force_quality,
        "domestic_force_loyalty": m.loyalty,
        "justice_processing": st.processing,
        "legitimacy": st.legitimacy,
        "host_consent": st.consent,
        "electoral_democracy": st.transformation[:, 0],
        "institutional_integration": st.transformation[:, 1],
        "minority_returns": st.transformation[:, 2],
    }
    if name in country:
        return rep(country[name])
    raise KeyError(f"unknown indicator {name!r} (n={n})")


def indicator(name: str, sc: Scenario, st: State, m: Month, region: int = -1) -> np.ndarray:
    vals = regional(name, sc, st, m)
    if region >= 0:
        return vals[:, region]
    if name in _COUNTS:
        return vals.sum(axis=1)
    return vals @ sc.share
