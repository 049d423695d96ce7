"""One month of the country and the mission, for all runs of a batch.

Core objects: :class:`Draws` (the month's random numbers, given from outside so
that the reference implementation can be fed the same ones), :class:`Month`
(what happened this month: deaths, coverage, indicators) and :func:`step`,
which computes this month's presence (:mod:`.presence`) and hands the rest to
the compiled kernel (:func:`endstate.model.kernel.month_kernel`, one pass per
run calling each mechanism's function in its own module), which applies
mechanisms 1-16 and updates the state in place, in this order:
coherence (14), coverage (1), borders (5), the mission's troops, police and
observers (2a, :mod:`.peacekeeping`), violence (2) with public order (10), the
justice chain (7), spoilers (4) with a DDR programme (4b), the domestic force (6),
humanitarian access (8) with grievance and tension, casualties, cost and
tolerance (11, 12), legitimacy (9), consent (13), transformation (15), and
last the relapse draw (3) with the election effect (16), the resumed
conflict's intensity, and the calendar year's battle deaths against the relapse
definitions (25 and 1,000 a year).  The
exit rules (mechanism 17) run afterwards, in :mod:`endstate.exits` (compiled too).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from . import (
    elections,
    peacekeeping,
    violence,
)
from .compiled import FastCall, jit
from .kernel import (
    BOOL_STATE,
    FLOAT_STATE,
    INT_STATE,
    Groups,
    KernelMonth,
    KernelState,
    Theatre,
    groups,
    month_kernel,
    theatre,
)
from .presence import Deployment, PresenceTables
from .scenario import Scenario
from .state import State


@dataclass
class Draws:
    """The month's random numbers for N runs."""

    z: np.ndarray  # (N, 2R + 2) standard normals: violence shocks, spoiler shocks, legitimacy, consent
    u: np.ndarray  # (N, 2R + 1) uniforms: battle rounding, civilian rounding, relapse or war's end
    uc: np.ndarray  # (N, C) uniforms: fatality rounding per contributor

    @staticmethod
    def widths(R: int, C: int) -> tuple[int, int, int]:
        return 2 * R + 2, 2 * R + 1, C


@dataclass
class Month:
    battle: np.ndarray  # (N, R)
    civilian: np.ndarray  # (N, R)
    coverage: np.ndarray  # (N, R)
    inflow: np.ndarray  # (N, R)
    riots: np.ndarray  # (N, R)
    access: np.ndarray  # (N, R)
    headcount: np.ndarray  # (N,)
    loyalty: np.ndarray  # (N,)
    relapsed_now: np.ndarray  # (N,) bool
    war_ended_now: np.ndarray  # (N,) bool
    # the force's factors on deaths and its deterrence, and the civilian deaths armed actors inflicted (the rest died
    # at riots); None only in a Month built by hand (tests of the exit rules, which read neither)
    mission: peacekeeping.MissionEffect | None = None
    one_sided: np.ndarray | None = None  # (N, R)
    # the month's expected battle and civilian deaths before its violence shock and rounding (N, R), so that a filter
    # can weigh an observation with that shock integrated out (monitoring); None only in a Month built by hand
    expected_battle: np.ndarray | None = None
    expected_civilian: np.ndarray | None = None


def presence(pt: PresenceTables, st: State, month: int, deployment: Deployment | None = None) -> Deployment:
    """This month's presence of every run (withdrawal scale, phase factors, contributor weights, personnel by function
    and by contributor, the follow-on force of a mission that left included), in place in ``deployment``.

    Given last month's ``deployment`` of the same runs, only runs whose presence changed are recomputed
    (:func:`endstate.model.presence.deploy`); without one every run is.
    """
    dep = Deployment.empty(pt, st.status.shape[0]) if deployment is None else deployment
    dep.update(pt, st, month)
    return dep


def _state_tuple(st: State) -> KernelState:
    """The state arrays the kernel reads and writes in place (:meth:`~endstate.model.state.State.compiled_arrays`), built
    once for a state's arrays (:meth:`~endstate.model.state.State.built`)."""
    return st.built(_state_tuple, lambda s: KernelState(*s.compiled_arrays((FLOAT_STATE, np.float64), (INT_STATE, np.int64), (BOOL_STATE, np.bool_))))


def _war_rates(st: State, sigma: float) -> tuple[np.ndarray, ...]:
    """Every run's rate should its war resume (:func:`endstate.model.violence.resumed_war_rate`, elementwise: each run's
    number is the one it gets computed alone), the state's array it is written into, and the bits of the numbers it is
    computed from, now (views of the state's arrays) and then (copies) (built once for a state's arrays:
    :meth:`State.built`)."""
    war_rate, log_intensity, quantile = st.compiled_arrays((("war_rate", "war_log_intensity", "war_quantile"), np.float64))
    rates = violence.resumed_war_rate(log_intensity, quantile, sigma)
    bits = lambda a: a.view(np.int64)  # noqa: E731  (compared bit for bit: a NaN equals itself)
    return rates, war_rate, bits(log_intensity), bits(quantile), bits(log_intensity.copy()), bits(quantile.copy())


@jit(nogil=True)
def _resume(relapsed_now: Any, rates: Any, war_rate: Any, log_intensity: Any, quantile: Any, log_intensity_then: Any, quantile_then: Any) -> bool:
    """``war_rate[n] = rates[n]`` for each run whose war resumed this month; False, at the first whose intensity or
    quantile (their bits) is no longer the one its rate was computed from."""
    for n in range(relapsed_now.shape[0]):
        if relapsed_now[n]:
            if log_intensity[n] != log_intensity_then[n] or quantile[n] != quantile_then[n]:
                return False
            war_rate[n] = rates[n]
    return True


def resume_wars(st: State, relapsed_now: np.ndarray, sigma: float) -> None:
    """Set the battle-death rate of each run whose war resumed this month (``relapsed_now``) from its intensity and
    quantile (:func:`endstate.model.violence.resumed_war_rate`).

    Every run's rate is computed once for a state's arrays (:func:`_war_rates`) and copied, in compiled code, for
    the runs that relapse: the same numbers as computing them each month for those runs alone, without a dozen
    NumPy calls a month.  Should a relapsed run's intensity or quantile have been written since (in place: a new
    array on the state makes new rates), every rate is computed again from the numbers now.
    """
    built = st.built(("resume_wars", sigma), lambda s: _war_rates(s, sigma))
    if not _resume(relapsed_now, *built):
        rates, _, log_intensity, quantile, log_intensity_then, quantile_then = built
        rates[:] = violence.resumed_war_rate(log_intensity.view(np.float64), quantile.view(np.float64), sigma)
        log_intensity_then[:], quantile_then[:] = log_intensity, quantile
        _resume(relapsed_now, *built)


KERNEL = FastCall(month_kernel, scalars=(11, 12, 14, 15, 16))
"""The kernel, called without typing its arguments again while a batch passes the same arrays month after month
(the month, election effect, bounds and flag change: :class:`endstate.model.compiled.FastCall`)."""


def month_arrays(N: int, R: int) -> KernelMonth:
    """The arrays a month's numbers are written into, for ``N`` runs and ``R`` regions (see :func:`step`'s ``out``).

    Every entry is written by the kernel each month (a run not stepped gets zeros), so they need no initial value.
    """
    nr = lambda: np.empty((N, R), order="F")  # noqa: E731  (runs fastest, as the kernel writes them: see State)
    n1 = lambda: np.empty(N)  # noqa: E731
    b1 = lambda: np.empty(N, dtype=np.bool_)  # noqa: E731
    return KernelMonth(nr(), nr(), nr(), nr(), nr(), nr(), nr(), nr(), nr(), n1(), n1(), n1(), n1(), n1(), b1(), b1())


def step(
    sc: Scenario, pv: SimpleNamespace, pt: PresenceTables, st: State, d: Draws, month: int, skip_done: bool = False,
    deployment: Deployment | None = None, constants: tuple[Theatre, Groups] | None = None, out: KernelMonth | None = None,
    election: float | None = None,
) -> Month:  # fmt: skip
    """Mechanisms 1-16 for every run, in place, by the compiled kernel (:func:`endstate.model.kernel.month_kernel`).

    ``skip_done`` leaves runs whose observation has ended as they are (for a
    caller that reads only what they report, :meth:`endstate.engine.runner.RunBatch.run`).
    ``deployment`` is the presence of the same runs last month, updated in
    place (a caller that steps a batch month by month keeps it: :func:`presence`);
    ``constants`` the kernel's :class:`~endstate.model.kernel.Theatre` and
    :class:`~endstate.model.kernel.Groups` of ``sc``, ``pv`` and ``pt``, built
    here when not given (a batch builds them once); ``out`` the arrays the month's numbers are written into
    (:func:`month_arrays` of the batch's runs), allocated here when not given.  A caller that passes the same
    ``out`` every month (:meth:`endstate.engine.runner.RunBatch.run` when no callback sees the months) gets a
    :class:`Month` whose arrays are overwritten the next month.  ``election`` is the month's election effect on the
    relapse hazard (:func:`endstate.model.elections.log_ratio`), computed here when not given (a batch computes every
    month's at once: :func:`endstate.model.elections.log_ratios`).

    The month's presence (compiled, :func:`presence`) is computed first; the
    election effect here, with NumPy, unless given; everything else in the kernel, but for the intensity of the
    wars that resumed this month, which needs the normal quantile function (:func:`resume_wars`: SciPy's, once for
    a state's arrays).
    """
    N, R = st.status.shape[0], sc.R
    dep = presence(pt, st, month, deployment)
    if election is None:
        election = elections.log_ratio(month, sc.election_months, pv.election_hazard_ratio, pv.election_window_months, pv.election_early_years)
    if out is None:
        out = month_arrays(N, R)
    elif out.battle.shape != (N, R):
        raise ValueError(f"month arrays of shape {out.battle.shape} for a batch of {N} runs and {R} regions")  # compiled code does not check bounds
    f = np.asfortranarray
    KERNEL(
        _state_tuple(st), *(constants or (theatre(sc, pv, pt), groups(pv))), f(d.z, dtype=float), f(d.u, dtype=float), f(d.uc, dtype=float),
        dep.feat, dep.weight, dep.factors, dep.hc_c, dep.scale, int(month), float(election), out, 0, N, bool(skip_done),
    )  # fmt: skip
    resume_wars(st, out.relapsed_now, pv.war_intensity_sigma)
    pk = peacekeeping.MissionEffect(out.mission_battle, out.mission_civilian, out.deterrence)
    return Month(out.battle, out.civilian, out.coverage, out.inflow, out.riots, out.access, out.headcount, out.loyalty,
                 out.relapsed_now, out.war_ended_now, pk, out.one_sided, out.expected_battle, out.expected_civilian)  # fmt: skip
