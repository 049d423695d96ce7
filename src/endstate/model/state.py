"""The simulation state: arrays shaped runs x regions (or runs x contributors).

Core objects: :class:`State` (everything that carries over from one month to
the next), :func:`init_state` (month 0 from each run's sampled baseline) and
:func:`values` (parameters as plain floats for the hot loop).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, fields
from types import SimpleNamespace
from typing import Any, TypeVar

import numpy as np

from .params import Parameters
from .relapse import static_log_hazard
from .sampling import Initial
from .scenario import Scenario
from .violence import war_log_intensity

# Mission status of a run.
ACTIVE, WITHDRAWING, AFTER_EXIT, DONE = 0, 1, 2, 3

T = TypeVar("T")


def take_runs(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """The runs ``idx`` of an array indexed by run first, as a copy with the runs fastest (Fortran order).

    One copy: ``np.take`` along the last axis of the transpose (``np.asfortranarray(a[idx])`` copies twice, the second
    time through a strided transpose: three times slower for a batch's state).
    """
    return np.take(a.T, idx, axis=-1).T


@dataclass
class State:
    """Every array is indexed by run first; a two-dimensional one is stored with the runs fastest (Fortran order).

    The compiled kernel steps a block of runs stage by stage, with the loop over
    runs innermost, so that each instruction serves several runs at once
    (:mod:`endstate.model.kernel`): run ``n``'s and run ``n + 1``'s numbers for
    one region must then lie side by side in memory.  NumPy code indexes the
    arrays as before (``spoilers[:, r]``, ``spoilers.sum(axis=1)``); only where
    the numbers lie changes.

    What is built from the arrays themselves (not their numbers), such as the tuples of arrays compiled code is
    called with, is kept on the state (:meth:`built`) until one of its arrays is replaced.
    """

    # country (N,)
    at_war: np.ndarray
    relapse_month: np.ndarray  # first month war resumed, -1 if it never did
    peace_start: np.ndarray  # month the current peace began: 0, or the month after a resumed war ended
    legitimacy: np.ndarray
    legitimacy0: np.ndarray
    consent: np.ndarray
    force: np.ndarray
    force_quality: np.ndarray
    pipeline: np.ndarray  # (N, training months)
    detained: np.ndarray
    places: np.ndarray
    processing: np.ndarray
    returned: np.ndarray  # released last month who return to spoilers (N,)
    war_rate: np.ndarray  # battle deaths a month of the resumed conflict (drawn when it resumes)
    war_log_intensity: np.ndarray  # median log annual battle deaths of a conflict resuming here
    war_quantile: np.ndarray  # the run's quantile of that intensity (a uniform drawn at the start)
    static_hazard: np.ndarray
    arms_base: np.ndarray
    need: np.ndarray
    pay: np.ndarray
    transformation: np.ndarray  # (N, 3)
    # regions (N, R)
    tension: np.ndarray
    tension0: np.ndarray
    grievance: np.ndarray
    spoilers: np.ndarray
    arms: np.ndarray
    support: np.ndarray
    arrest_share: np.ndarray  # where last month's arrests were made (N, R)
    ddr_reintegrating: np.ndarray  # (N, R) fighters disarmed by the DDR programme, not yet reintegrated
    # contributors (N, C)
    present: np.ndarray
    tolerance: np.ndarray
    deaths_memory: np.ndarray  # (N, C) remembered fatalities, decaying
    cost_memory: np.ndarray  # (N, C) remembered spending, US$ bn, decaying
    fatalities: np.ndarray
    # exit machinery
    status: np.ndarray
    reason: np.ndarray  # index into EXIT_REASONS, -1 while none
    trigger_month: np.ndarray
    within: np.ndarray
    orderly: np.ndarray  # the withdrawal under way is an orderly drawdown through the remaining phases
    orderly_from: np.ndarray  # the first phase that drawdown hands over
    exit_month: np.ndarray
    goal_count: np.ndarray  # (N, G) consecutive months each goal has held
    goal_met_month: np.ndarray  # (N, G) first month each goal was met, -1
    next_phase: np.ndarray
    phase_start: np.ndarray  # (N, P)
    # accumulators
    battle_deaths: np.ndarray
    civilian_deaths: np.ndarray
    cost: np.ndarray
    peak_personnel: np.ndarray
    force_at_exit: np.ndarray
    relapse_in_mission: np.ndarray
    year_battle: np.ndarray  # battle deaths so far this calendar year
    conflict_month: np.ndarray  # first month a calendar year reached 25 battle deaths (UCDP's conflict), -1
    war_month: np.ndarray  # first month a calendar year reached 1,000 battle deaths (a war: COW, Doyle & Sambanis), -1
    numerical_error: np.ndarray
    ddr_taken: np.ndarray  # (N,) combatants the DDR programme has taken in

    def __setattr__(self, name: str, value: Any) -> None:
        """Set a field; what was built from the state's arrays (:meth:`built`) is dropped, as it may hold the one replaced."""
        self.__dict__.pop("_built", None)
        object.__setattr__(self, name, value)

    def __getstate__(self) -> dict[str, Any]:
        """The fields alone (a copy or an unpickled state builds its own tuples of its own arrays)."""
        return {k: v for k, v in self.__dict__.items() if k != "_built"}

    def built(self, key: Hashable, build: Callable[[State], T]) -> T:
        """``build(self)``, computed the first time ``key`` is asked for and kept until an array of the state is replaced.

        For what depends only on which arrays the state holds, never on their numbers: the tuples of arrays compiled
        code is called with, which cost more to build each month than the rest of the Python around the compiled calls.
        Any field set again (:meth:`take` and the engine's compaction make a new state; a caller may put a new array
        on this one, as the monitor's resampling does) drops everything built, so what is returned always holds the
        state's current arrays; writes into the arrays, the compiled code's and anyone's, change nothing built.
        """
        cache = self.__dict__.get("_built")
        if cache is not None and key in cache:
            return cache[key]  # type: ignore[no-any-return]
        value = build(self)  # (which may replace arrays, dropping what was kept: kept below, after it)
        self.__dict__.setdefault("_built", {})[key] = value
        return value

    def compiled_arrays(self, *groups: tuple[tuple[str, ...], type]) -> tuple[np.ndarray, ...]:
        """The named arrays, each contiguous with the runs fastest, writeable and of its group's dtype, for compiled code that
        writes them in place.

        ``groups`` are ``(names, dtype)`` pairs.  An array of another layout or dtype (a view, integer personnel from a
        spec) is replaced on the state by a copy first, so that the compiled function sees one signature (it compiles
        once) and its writes land in the state.  Checked once for the same ``groups`` until an array is replaced
        (:meth:`built`).
        """
        return self.built(groups, lambda st: st._checked(groups))

    def _checked(self, groups: tuple[tuple[tuple[str, ...], type], ...]) -> tuple[np.ndarray, ...]:
        arrays = []
        for names, dtype in groups:
            for name in names:
                a = getattr(self, name)
                if a.dtype != dtype or not a.flags.f_contiguous or not a.flags.writeable:
                    a = np.array(a, dtype=dtype, order="F")  # a copy with the runs fastest (ndarray.copy would make it row-major)
                    setattr(self, name, a)
                arrays.append(a)
        return tuple(arrays)

    def take(self, idx: np.ndarray) -> State:
        """The runs at ``idx`` (integer positions), copied with the runs fastest (used by the engine's compaction, the
        reference implementation and tests)."""
        return State(**{f.name: take_runs(getattr(self, f.name), idx) for f in fields(self)})


def values(p: Parameters) -> SimpleNamespace:
    return SimpleNamespace(**{n: p.v(n) for n in p.names()})


def init_state(sc: Scenario, ini: Initial, pv: SimpleNamespace) -> State:
    n = ini.war_deaths.shape[0]
    und = sc.spec.understanding
    base = {"settlement": pv.relapse_base_settlement, "truce": pv.relapse_base_truce, "victory": pv.relapse_base_victory}[sc.war_outcome]
    force = np.full(n, und.police.size + und.army.size)
    size = max(und.police.size + und.army.size, 1e-9)
    fq = (und.police.size * ini.police_quality + und.army.size * ini.army_quality) / size
    leg = ini.legitimacy.copy()
    G = len(sc.goal_threshold)
    P = sc.phase_mask.shape[0]
    C = sc.C
    z = np.zeros(n)
    st = State(
        at_war=np.zeros(n, dtype=bool),
        relapse_month=np.full(n, -1, dtype=np.int64),
        peace_start=np.zeros(n, dtype=np.int64),
        legitimacy=leg,
        legitimacy0=leg.copy(),
        consent=np.full(n, pv.consent_initial),
        force=force,
        force_quality=fq,
        pipeline=np.zeros((n, max(int(round(pv.training_months)), 1))),
        detained=z.copy(),
        places=np.full(n, und.justice.detention_places),
        processing=np.full(n, 0.5),
        returned=z.copy(),
        war_rate=z.copy(),
        war_log_intensity=war_log_intensity(ini.war_deaths, pv.war_intensity_intercept, pv.war_intensity_slope),
        war_quantile=ini.war_quantile if ini.war_quantile is not None else np.full(n, 0.5),
        static_hazard=static_log_hazard(
            ini.war_deaths, ini.war_years, und.identity_war, base, pv.relapse_log_deaths, pv.relapse_log_duration, pv.relapse_identity,
            und.prior_relapses, pv.relapse_prior_relapses,
        ),
        arms_base=ini.arms_inflow,
        need=ini.need,
        pay=ini.pay,
        transformation=np.tile(np.array([0.2, 0.2, 0.2]), (n, 1)),
        tension=ini.tension.copy(),
        tension0=ini.tension.copy(),
        grievance=np.full((n, sc.R), 0.4),
        spoilers=ini.spoilers.copy(),
        arms=ini.spoilers.copy(),
        support=ini.outside_support,
        arrest_share=np.tile(sc.share, (n, 1)),
        ddr_reintegrating=np.zeros((n, sc.R)),
        present=np.ones((n, C)),
        tolerance=np.tile(sc.tol0, (n, 1)),
        deaths_memory=np.zeros((n, C)),
        cost_memory=np.zeros((n, C)),
        fatalities=np.zeros((n, C)),
        status=np.zeros(n, dtype=np.int64),
        reason=np.full(n, -1, dtype=np.int64),
        trigger_month=np.full(n, -1, dtype=np.int64),
        within=np.zeros(n, dtype=np.int64),
        orderly=np.zeros(n, dtype=bool),
        orderly_from=np.zeros(n, dtype=np.int64),
        exit_month=np.full(n, -1, dtype=np.int64),
        goal_count=np.zeros((n, G), dtype=np.int64),
        goal_met_month=np.full((n, G), -1, dtype=np.int64),
        next_phase=np.zeros(n, dtype=np.int64),
        phase_start=np.full((n, P), -1, dtype=np.int64),
        battle_deaths=z.copy(),
        civilian_deaths=z.copy(),
        cost=z.copy(),
        peak_personnel=z.copy(),
        force_at_exit=np.full(n, np.nan),
        relapse_in_mission=np.zeros(n, dtype=bool),
        year_battle=z.copy(),
        conflict_month=np.full(n, -1, dtype=np.int64),
        war_month=np.full(n, -1, dtype=np.int64),
        numerical_error=np.zeros(n, dtype=bool),
        ddr_taken=z.copy(),
    )
    for f in fields(st):
        a = getattr(st, f.name)
        setattr(st, f.name, np.asfortranarray(a) if a.ndim == 2 else a)  # runs fastest (see State)
    return st
