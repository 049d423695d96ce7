"""The model's indicators (the vocabulary goals and monitoring use), read off a month.

Core objects: :func:`values` (every run's value of an indicator, compiled
with Numba, for the compiled exit rules), :class:`Readings` (the arrays it
reads) and :func:`indicator`, which returns the country value (N,) or one region's
values (N,) of an indicator named in :data:`endstate.types.INDICATORS` for
every run (the same compiled function, run by run).  Regional counts are
summed over regions and regional rates and shares are population-weighted;
national quantities (the domestic force, justice, legitimacy, consent,
transformation) are the same in every region.

Adding an indicator is one change here: its name in
:data:`endstate.types.INDICATORS`, and one branch in :func:`regional` (a
per-region quantity; add its name to :data:`COUNTS` if regions add up) or in
:func:`national`; if it reads an array not in :class:`Readings` yet, add that
field and pass it in :func:`readings`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from endstate.types import INDICATORS

from .compiled import mechanism
from .scenario import Scenario
from .state import State
from .step import Month

CODE = {name: i for i, name in enumerate(INDICATORS)}
"""Indicator name -> its code (its place in INDICATORS), as goals hold it."""
COUNTS = ("battle_deaths", "civilian_deaths", "spoiler_strength", "arms_inflow", "riots")
"""Regional indicators that add up over regions (the others are population-weighted)."""
REGIONAL = ("battle_deaths", "civilian_deaths", "violence_per_100k", "spoiler_strength", "arms_inflow", "tension", "riots", "security_coverage", "aid_access")  # fmt: skip
"""Indicators with a value per region."""

_BATTLE, _CIVILIAN, _PER_100K, _SPOILERS, _INFLOW = (CODE[k] for k in REGIONAL[:5])
_TENSION, _RIOTS, _COVERAGE, _ACCESS = (CODE[k] for k in REGIONAL[5:])
_FORCE, _QUALITY, _LOYALTY, _JUSTICE = CODE["domestic_force_per_1000"], CODE["domestic_force_quality"], CODE["domestic_force_loyalty"], CODE["justice_processing"]  # fmt: skip
_LEGITIMACY, _CONSENT, _DISARMED = CODE["legitimacy"], CODE["host_consent"], CODE["disarmed_share"]
_DEMOCRACY, _INTEGRATION, _RETURNS = (CODE[k] for k in ("electoral_democracy", "institutional_integration", "minority_returns"))
_IS_COUNT = np.array([name in COUNTS for name in INDICATORS])
_IS_REGIONAL = np.array([name in REGIONAL for name in INDICATORS])


class Readings(NamedTuple):
    """What the indicators read: this month's (:class:`~endstate.model.step.Month`) and the state's arrays, and constants."""

    battle: np.ndarray  # (N, R)
    civilian: np.ndarray  # (N, R)
    spoilers: np.ndarray  # (N, R)
    inflow: np.ndarray  # (N, R)
    tension: np.ndarray  # (N, R)
    riots: np.ndarray  # (N, R)
    coverage: np.ndarray  # (N, R)
    access: np.ndarray  # (N, R)
    force: np.ndarray  # (N,)
    force_quality: np.ndarray  # (N,)
    loyalty: np.ndarray  # (N,)
    processing: np.ndarray  # (N,)
    legitimacy: np.ndarray  # (N,)
    consent: np.ndarray  # (N,)
    transformation: np.ndarray  # (N, 3)
    ddr_taken: np.ndarray  # (N,)
    pop: np.ndarray  # (R,)
    share: np.ndarray  # (R,)
    population: float
    caseload: float


def readings(sc: Scenario, st: State, m: Month) -> Readings:
    f = np.asfortranarray  # runs fastest, as the state and the month are stored (State): no copy
    return Readings(
        f(m.battle, dtype=float), f(m.civilian, dtype=float), f(st.spoilers, dtype=float), f(m.inflow, dtype=float), f(st.tension, dtype=float),
        f(m.riots, dtype=float), f(m.coverage, dtype=float), f(m.access, dtype=float), f(st.force, dtype=float), f(st.force_quality, dtype=float),
        f(m.loyalty, dtype=float), f(st.processing, dtype=float), f(st.legitimacy, dtype=float), f(st.consent, dtype=float),
        f(st.transformation, dtype=float), f(st.ddr_taken, dtype=float), f(sc.pop, dtype=float), f(sc.share, dtype=float),
        float(sc.population), float(sc.ddr.caseload),
    )  # fmt: skip


@mechanism
def regional(code: int, battle: float, civilian: float, spoilers: float, inflow: float, tension: float, riots: float, coverage: float,
             access: float, pop: float) -> float:  # fmt: skip
    """A regional indicator from one run's numbers in one region."""
    if code == _BATTLE:
        return battle
    if code == _CIVILIAN:
        return civilian
    if code == _PER_100K:
        return (battle + civilian) / pop * 1e5
    if code == _SPOILERS:
        return spoilers
    if code == _INFLOW:
        return inflow
    if code == _TENSION:
        return tension
    if code == _RIOTS:
        return riots
    if code == _COVERAGE:
        return coverage
    return access  # _ACCESS


@mechanism
def national(code: int, force: float, force_quality: float, loyalty: float, processing: float, legitimacy: float, consent: float,
             democracy: float, integration: float, returns: float, ddr_taken: float, population: float, caseload: float) -> float:  # fmt: skip
    """A national indicator from one run's numbers."""
    if code == _FORCE:
        return force / population * 1000.0
    if code == _QUALITY:
        return force_quality
    if code == _LOYALTY:
        return loyalty
    if code == _JUSTICE:
        return processing
    if code == _LEGITIMACY:
        return legitimacy
    if code == _CONSENT:
        return consent
    if code == _DEMOCRACY:
        return democracy
    if code == _INTEGRATION:
        return integration
    if code == _RETURNS:
        return returns
    return ddr_taken / max(caseload, 1e-9)  # _DISARMED


@mechanism
def values(code: int, region: int, x: Any, out: Any) -> None:
    """Every run's value of indicator ``code`` for the country (``region=-1``) or one region (a national one: the same), into ``out``.

    The arrays are read here, in the loop over runs; the per-indicator
    functions take numbers (an array handed to a compiled function counts a
    reference at each call).
    """
    b, c, sp, i, t, ri, co, a = x.battle, x.civilian, x.spoilers, x.inflow, x.tension, x.riots, x.coverage, x.access
    fo, q, lo, pr, le, cn, tr, dd, pop, share = x.force, x.force_quality, x.loyalty, x.processing, x.legitimacy, x.consent, x.transformation, x.ddr_taken, x.pop, x.share  # fmt: skip
    runs = np.uint64(out.shape[0])  # unsigned run indices: LLVM sees each access's stride and vectorises the loops over runs
    if not _IS_REGIONAL[code]:
        for n in range(runs):
            out[n] = national(code, fo[n], q[n], lo[n], pr[n], le[n], cn[n], tr[n, 0], tr[n, 1], tr[n, 2], dd[n], x.population, x.caseload)
        return
    if region >= 0:
        r = region
        for n in range(runs):
            out[n] = regional(code, b[n, r], c[n, r], sp[n, r], i[n, r], t[n, r], ri[n, r], co[n, r], a[n, r], pop[r])
        return
    # the country: each run's regions summed in order (counts) or weighted by population, a region at a time over all
    # runs (runs innermost, vectorised: 12 -> 4.5 ns a run for a regional goal), the same sums as run by run
    count = _IS_COUNT[code]
    for n in range(runs):
        out[n] = 0.0
    for r in range(pop.shape[0]):
        for n in range(runs):
            v = regional(code, b[n, r], c[n, r], sp[n, r], i[n, r], t[n, r], ri[n, r], co[n, r], a[n, r], pop[r])
            out[n] += v if count else v * share[r]


def indicator(name: str, sc: Scenario, st: State, m: Month, region: int = -1) -> np.ndarray:
    """The indicator for the country (``region=-1``) or for one region, per run."""
    if name not in CODE:
        raise KeyError(f"unknown indicator {name!r}")
    out = np.empty(st.force.shape[0])
    values(CODE[name], int(region), readings(sc, st, m), out)
    return out
