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

import numpy as np

from . import (
    elections,
    peacekeeping,
    violence,
)
from .kernel import (
    BOOL_STATE,
    FLOAT_STATE,
    INT_STATE,
    KernelMonth,
    KernelState,
    groups,
    month_kernel,
    theatre,
)
from .presence import F, PresenceTables, by_function, phase_factors, scheduled
from .scenario import Scenario
from .state import ACTIVE, AFTER_EXIT, WITHDRAWING, State


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


def mission_scale(st: State, month: int) -> np.ndarray:
    """1 while the mission is fully present, falling to 0 over a withdrawal, 0 after exit."""
    w = np.maximum(st.within, 1)
    falling = np.clip(1.0 - (month - st.trigger_month) / w, 0.0, 1.0)
    falling = np.where(st.within == 0, 0.0, falling)
    falling = np.where(st.orderly, 1.0, falling)  # an orderly drawdown shrinks phase by phase instead
    return np.where(st.status == ACTIVE, 1.0, np.where(st.status == WITHDRAWING, falling, 0.0))


def presence(sc: Scenario, pt: PresenceTables, st: State, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """This month's (withdrawal scale (N,), phase factors (N, Gp), contributor weights (N, C), personnel by function (F, N, R)),
    the follow-on force of a mission that left included."""
    scale = mission_scale(st, month)
    factors = phase_factors(st.phase_start, month, sc.drawdown_months)
    weight = scheduled(sc, st.present * scale[:, None], factors, month)
    feat = by_function(pt, weight, factors)  # (F, N, R)
    follow = (st.status == AFTER_EXIT) & (month < st.exit_month + sc.follow_on_months) & (st.exit_month >= 0)
    if sc.follow_on_personnel > 0 and follow.any():
        extra = np.where(follow, sc.follow_on_personnel, 0.0)[:, None] * sc.share[None, :]
        feat[F["security"]] += extra
        feat[F["headcount"]] += extra
        feat[F["troops"]] += extra
    return scale, factors, weight, feat


def _state_tuple(st: State) -> KernelState:
    """The state arrays the kernel reads and writes in place (:meth:`~endstate.model.state.State.compiled_arrays`)."""
    return KernelState(*st.compiled_arrays((FLOAT_STATE, np.float64), (INT_STATE, np.int64), (BOOL_STATE, np.bool_)))


def step(sc: Scenario, pv: SimpleNamespace, pt: PresenceTables, st: State, d: Draws, month: int, skip_done: bool = False) -> Month:
    """Mechanisms 1-16 for every run, in place, by the compiled kernel (:func:`endstate.model.kernel.month_kernel`).

    ``skip_done`` leaves runs whose observation has ended as they are (for a
    caller that reads only what they report, :meth:`endstate.engine.runner.RunBatch.run`).

    The presence tables, the election effect and, for runs whose war resumed
    this month, that war's intensity (which needs the normal quantile
    function) are computed here with NumPy; everything else in the kernel.
    """
    N, R = st.status.shape[0], sc.R
    scale, factors, weight, feat = presence(sc, pt, st, month)
    hc_c = (factors @ pt.headcount_by_group) * weight
    el = elections.log_ratio(month, sc.election_months, pv.election_hazard_ratio, pv.election_window_months, pv.election_early_years)
    nr = lambda: np.empty((N, R), order="F")  # noqa: E731  (runs fastest, as the kernel writes them: see State)
    n1 = lambda: np.empty(N)  # noqa: E731
    out = KernelMonth(nr(), nr(), nr(), nr(), nr(), nr(), nr(), nr(), nr(), n1(), n1(), n1(), n1(), n1(),
                      np.zeros(N, dtype=np.bool_), np.zeros(N, dtype=np.bool_))  # fmt: skip
    f = np.asfortranarray
    month_kernel(
        _state_tuple(st), theatre(sc, pv, pt), groups(pv), f(d.z, dtype=float), f(d.u, dtype=float), f(d.uc, dtype=float),
        np.ascontiguousarray(feat.transpose(0, 2, 1)), f(weight, dtype=float), f(factors, dtype=float), f(hc_c, dtype=float),
        f(scale, dtype=float), int(month), float(el), out, 0, N, bool(skip_done),
    )  # fmt: skip
    relapsed = np.flatnonzero(out.relapsed_now)
    if relapsed.size:
        st.war_rate[relapsed] = violence.resumed_war_rate(st.war_log_intensity[relapsed], st.war_quantile[relapsed], pv.war_intensity_sigma)
    pk = peacekeeping.MissionEffect(out.mission_battle, out.mission_civilian, out.deterrence)
    return Month(out.battle, out.civilian, out.coverage, out.inflow, out.riots, out.access, out.headcount, out.loyalty,
                 out.relapsed_now, out.war_ended_now, pk, out.one_sided, out.expected_battle, out.expected_civilian)  # fmt: skip
