"""Mechanism 17, exit rules, evaluated on the state after each month.

Core object: :class:`ExitRules`.  Each month it

1. tests every goal's indicator against its threshold and counts the
   consecutive months it has held (the sustain window);
2. hands over the next phase's tasks and regions once all its goals are met
   and its date, if it has one (``not_before``), has come (one phase a month,
   in order); when the last phase is handed over the
   mission draws down over ``months_per_phase`` and exits with ``thresholds_met``;
3. lets each contributor whose tolerance fell under its floor leave; the lead
   state leaving (or, under a committee, personnel falling below the quorum)
   ends the mission with ``contributor_tolerance``;
4. fires the triggers (precedence: a handover completed this month first,
   then host consent, contributor tolerance, collapse, expenditure ceiling,
   deadline).  A resumed war does not end a mission by itself: the mission
   stays, and leaves when its host, its contributors (whose tolerance falls
   with the losses open war brings) or its calendar decide.  ``collapse`` is
   what is left for a mission that can no longer operate: at war and overrun,
   its fighters outnumbering its personnel by more than
   ``collapse_overrun_ratio`` (UNAVEM II's few hundred observers when Angola
   went back to war in 1992); it ends at once.  Every other trigger starts a
   withdrawal over its ``within_months``, carried out as its ``action`` says:
   ``withdraw`` shrinks the whole force evenly and hands nothing more over;
   ``orderly_drawdown`` hands the remaining handover phases over in order,
   spread evenly over ``within_months`` (each phase's cells drawing down over
   ``months_per_phase``, as in a benchmark handover), keeping the rest of the
   force in place until the exit; with no phase left it is an even withdrawal.
   Once a withdrawal has started its reason stays, even if war resumes before
   the last troops leave (that is recorded as relapse in the mission);
5. logs the deployment schedule's changes of strength (``force_level``:
   dated steps, and phase steps as their phase is handed over); closes
   withdrawals, marks missions still present at the horizon ``running``, and
   ends each run's post-exit observation.

Compiled with Numba (:func:`apply_month`): the goals' windows and a screen of
which runs any of steps 2 to 5 could change this month are loops over runs with
no branch, vectorised; the steps themselves are one run's numbers at a time, for
the runs the screen flagged (most run-months have nothing to do).  The plan's
constants are a :class:`Plan`.  Events go into preallocated buffers (:class:`Events`: row,
event, detail, value), at most :func:`events_per_run_month` a run-month, which
:meth:`ExitRules.apply` hands to the :class:`~endstate.exits.events.EventLog`.
Goals read their indicators through :func:`endstate.model.indicators.values`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np

from endstate.model.compiled import FastCall, jit, reuse
from endstate.model.indicators import readings
from endstate.model.indicators import values as indicator_values
from endstate.model.scenario import Scenario
from endstate.model.state import ACTIVE, AFTER_EXIT, DONE, WITHDRAWING, State
from endstate.model.step import Month
from endstate.types import EXIT_REASONS

from .events import EV, EventLog

REASON = {r: i for i, r in enumerate(EXIT_REASONS)}
_THRESHOLDS, _CONSENT, _TOLERANCE, _COLLAPSE = REASON["thresholds_met"], REASON["host_consent"], REASON["contributor_tolerance"], REASON["collapse"]  # fmt: skip
_BUDGET, _DEADLINE, _RUNNING = REASON["budget"], REASON["deadline"], REASON["running"]
_GOAL_MET, _GOAL_LAPSED, _PHASE, _LEFT, _TRIGGER = EV["goal_met"], EV["goal_lapsed"], EV["phase_handed_over"], EV["contributor_left"], EV["trigger"]  # fmt: skip
_EXIT, _RELAPSE, _ELECTION, _WAR_ENDED, _FORCE_LEVEL = EV["exit"], EV["relapse"], EV["election"], EV["war_ended"], EV["force_level"]


class Plan(NamedTuple):
    """The exit plan of a scenario as compiled code reads it (see :class:`endstate.model.scenario.Scenario`)."""

    goal_indicator: np.ndarray  # (G,) indicator codes
    goal_region: np.ndarray  # (G,) region or -1
    goal_comparator: np.ndarray  # (G,) 0 <, 1 <=, 2 >, 3 >=
    goal_threshold: np.ndarray  # (G,)
    goal_sustain: np.ndarray  # (G,) months a goal must hold
    phase_goals: np.ndarray  # (P, G) the goals each phase waits for
    phase_not_before: np.ndarray  # (P,) the month before which a phase is not handed over (0: no date)
    tol_floor: np.ndarray  # (C,)
    headcount: np.ndarray  # (C,) assigned personnel
    orderly: np.ndarray  # (reasons,) the trigger's action is an orderly drawdown
    election: np.ndarray  # (last election month + 1,) an election falls in the month
    point_month: np.ndarray  # (D,) dated schedule steps: month, contributor, personnel
    point_c: np.ndarray
    point_personnel: np.ndarray
    step_c: np.ndarray  # (Q,) phase schedule steps: contributor, phase, strength factor
    step_p: np.ndarray
    step_level: np.ndarray
    lead: int
    quorum: float
    consent_on: bool
    consent_within: int
    consent_floor: float
    tolerance_within: int
    collapse_ratio: float
    budget_on: bool
    budget_within: int
    ceiling: float
    deadline_on: bool
    deadline_within: int
    end_month: int
    drawdown_months: int
    horizon: int
    post_exit_months: int


def plan(sc: Scenario, pv: SimpleNamespace) -> Plan:
    f = np.ascontiguousarray
    dates = [int(m) for m in sc.election_months.tolist() if m >= 0]
    election = np.zeros(max(dates, default=-1) + 1, dtype=np.bool_)  # month -> an election falls in it
    election[dates] = True
    pm, pc, pp = sc.sched_points if sc.has_schedule else (np.zeros(0),) * 3
    qc, qp, ql = sc.sched_phase if sc.has_schedule else (np.zeros(0),) * 3
    on, within, floor = sc.trig_consent
    return Plan(
        f(sc.goal_indicator, dtype=np.int64), f(sc.goal_region, dtype=np.int64), f(sc.goal_comparator, dtype=np.int64),
        f(sc.goal_threshold, dtype=float), f(sc.goal_sustain, dtype=np.int64), f(sc.phase_goals, dtype=np.bool_).reshape(sc.phase_mask.shape[0], len(sc.goal_threshold)),
        f(sc.phase_not_before, dtype=np.int64),
        f(sc.tol_floor, dtype=float), f(sc.headcount, dtype=float),
        np.array([bool(sc.trigger_orderly.get(r, False)) for r in EXIT_REASONS]), election,
        f(pm, dtype=np.int64), f(pc, dtype=np.int64), f(pp, dtype=float), f(qc, dtype=np.int64), f(qp, dtype=np.int64), f(ql, dtype=float),
        int(sc.lead), float(pv.committee_quorum), bool(on), int(within), float(floor), int(sc.trig_tolerance[1]), float(pv.collapse_overrun_ratio),
        bool(sc.trig_budget[0]), int(sc.trig_budget[1]), float(sc.expenditure_ceiling), bool(sc.trig_deadline[0]), int(sc.trig_deadline[1]),
        int(sc.end_month), int(sc.drawdown_months), int(sc.horizon), int(sc.post_exit_months),
    )  # fmt: skip


def events_per_run_month(sc: Scenario) -> int:
    """The most events one run can log in one month: a goal met or lapsed each, two handovers a phase, a contributor
    leaving each, a trigger, an exit, a relapse, a war's end, an election and every schedule step."""
    return len(sc.goal_threshold) + 2 * sc.phase_mask.shape[0] + sc.C + 5 + sc.sched_points[0].size + sc.sched_phase[0].size


class Rules(NamedTuple):
    """The state's arrays the exit rules read and write (in place), and the month's they read."""

    status: np.ndarray
    reason: np.ndarray
    trigger_month: np.ndarray
    within: np.ndarray
    orderly: np.ndarray
    orderly_from: np.ndarray
    exit_month: np.ndarray
    goal_count: np.ndarray  # (N, G)
    goal_met_month: np.ndarray  # (N, G)
    next_phase: np.ndarray
    phase_start: np.ndarray  # (N, P)
    present: np.ndarray  # (N, C)
    tolerance: np.ndarray  # (N, C)
    consent: np.ndarray
    cost: np.ndarray
    spoilers: np.ndarray  # (N, R)
    at_war: np.ndarray
    force: np.ndarray
    force_at_exit: np.ndarray
    headcount: np.ndarray  # the month's personnel (N,)
    relapsed_now: np.ndarray
    war_ended_now: np.ndarray


class Events(NamedTuple):
    """Preallocated event rows: batch row, event code, detail, value; ``filled[0]`` rows are written."""

    row: np.ndarray
    event: np.ndarray
    detail: np.ndarray
    value: np.ndarray
    filled: np.ndarray


class Scratch(NamedTuple):
    """:func:`apply_month`'s working arrays, for up to ``in_mission.shape[0]`` runs (kept from month to month)."""

    vals: np.ndarray  # (G, N) each goal's indicator
    changed: np.ndarray  # (G, N) the goal was met or lapsed this month
    in_mission: np.ndarray  # (N,) active or withdrawing when the month's rules begin
    flag: np.ndarray  # (N,) steps 2 to 5 may change or log something for the run
    held: np.ndarray  # (N,) bit g: goal g held (the first _HELD_BITS goals)
    acc: np.ndarray  # (N,) a sum over contributors or regions
    ready: np.ndarray  # (P,) phase -> the held goals its handover needs this month
    flagged: np.ndarray  # (_BLOCK,) the flagged runs of a block


_BLOCK = 512
"""Runs screened together, so that a block's working numbers stay in the cache from one pass to the next (512 and 1,024
measured alike, within the noise of a shared machine)."""

_HELD_BITS = 63
"""Goals screened for a phase's handover through one 64-bit word a run (a phase's goals beyond these are not screened:
its runs are then stepped whenever it is next, which is slower, not different)."""


@jit("int64(int64[::1], int8[::1], int64[::1], float64[::1], int64, int64, int64, int64, float64)", nogil=True)
def _log(ev_row: Any, ev_event: Any, ev_detail: Any, ev_value: Any, k: int, n: int, event: int, detail: int, value: float) -> int:
    """Row ``k`` of the event buffers (:class:`Events`); returns the next free row.  (Not inlined: events are rare, and
    Numba compiles an inlined function at each of its call sites; with its types given, compiled once, not once for
    each event code, a constant, at its call sites.)"""
    ev_row[k], ev_event[k], ev_detail[k], ev_value[k] = n, event, detail, value
    return k + 1


@jit(nogil=True, inline="always")
def holds(value: float, comparator: int, threshold: float) -> bool:
    """Whether ``value`` meets a goal's threshold under its comparator (0 ``<``, 1 ``<=``, 2 ``>``, 3 ``>=``; a NaN meets
    none).  Written without a branch, so that a loop over runs calling it is vectorised."""
    below = value < threshold
    above = value > threshold
    return (below & (comparator <= 1)) | (above & (comparator >= 2)) | ((value == threshold) & (comparator % 2 == 1))


@jit(nogil=True, error_model="numpy")
def apply_month(pl: Any, s: Any, x: Any, month: int, ev: Any, scratch: Any) -> None:
    """The exit rules for every run of the batch after month ``month`` (the steps of the module docstring, in order).

    In three passes over the runs, each a loop over runs with the runs innermost:

    1. every goal's indicator and sustain window, with no branch (LLVM applies one
       instruction to several runs at once): a run's count, whether its goal is
       held, and whether that changed;
    2. a screen, with no branch either: which runs steps 2 to 5 could change or
       log anything for this month (a goal met or lapsed, a phase whose goals
       are all held, a contributor under its floor, a trigger's condition, a
       withdrawal, the end of an observation, a relapse, a war's end, an
       election, a schedule step, the horizon).  Most run-months have none;
    3. the steps themselves, run by run, for those runs only, logging their
       events in the order a run's steps take.

    No run reads another's numbers, so doing the runs' goals before any run's
    later steps changes nothing they compute.  The arrays are taken out of
    their tuples once (read through a tuple inside the loop, each access would
    count a reference).
    """
    goal_indicator, goal_region, goal_comparator, goal_threshold = pl.goal_indicator, pl.goal_region, pl.goal_comparator, pl.goal_threshold
    goal_sustain, phase_goals, tol_floor, headcount, orderly_action = pl.goal_sustain, pl.phase_goals, pl.tol_floor, pl.headcount, pl.orderly
    phase_not_before = pl.phase_not_before
    election, point_month, point_c, point_personnel = pl.election, pl.point_month, pl.point_c, pl.point_personnel
    step_c, step_p, step_level = pl.step_c, pl.step_p, pl.step_level
    status, reason, trigger_month, within, orderly, orderly_from = s.status, s.reason, s.trigger_month, s.within, s.orderly, s.orderly_from
    exit_month, goal_count, goal_met_month, next_phase, phase_start = s.exit_month, s.goal_count, s.goal_met_month, s.next_phase, s.phase_start
    present, tolerance, consent, cost, spoilers, at_war = s.present, s.tolerance, s.consent, s.cost, s.spoilers, s.at_war
    force, force_at_exit, personnel, relapsed_now, war_ended_now = s.force, s.force_at_exit, s.headcount, s.relapsed_now, s.war_ended_now
    ev_row, ev_event, ev_detail, ev_value = ev.row, ev.event, ev.detail, ev.value
    vals, changed, in_mission, flag, held, acc = scratch.vals, scratch.changed, scratch.in_mission, scratch.flag, scratch.held, scratch.acc
    flagged = scratch.flagged
    G = goal_threshold.shape[0]
    P = phase_goals.shape[0]
    C = tol_floor.shape[0]
    N = status.shape[0]
    U = np.uint64(N)  # unsigned run indices: no negative-index wrap, so LLVM sees each access's stride and vectorises
    k = ev.filled[0]
    total = 0.0  # the personnel of all contributors, for a committee's quorum
    for c in range(C):
        total += headcount[c]

    # each goal's indicator, every run (the rules change nothing it reads); read only for runs in mission, so not
    # computed in a month without one (after the horizon: 55% of the stepped run-months of the default example, 19%
    # of UNMIL's, 36% of MINUSMA's)
    staying = False
    for n in range(U):
        staying |= (status[n] == ACTIVE) | (status[n] == WITHDRAWING)
    if staying:
        for g in range(G):
            indicator_values(goal_indicator[g], goal_region[g], x, vals[g, :N])
    ready = scratch.ready  # phase -> the held goals its handover needs, or -1 before its date
    for p in range(P):
        need = np.int64(0)
        for g in range(min(G, _HELD_BITS)):
            need |= (np.int64(1) << np.int64(g)) if phase_goals[p, g] else np.int64(0)
        ready[p] = need if month >= phase_not_before[p] else np.int64(-1)  # (more than _HELD_BITS goals: the rest not screened, so flagged)
    dated = False  # a dated schedule step falls this month
    for d in range(point_month.shape[0]):
        dated |= point_month[d] == month
    elected = month < election.shape[0] and election[month]
    every_active = dated or elected or month + 1 >= pl.horizon or (pl.deadline_on and month >= pl.end_month)

    for b0 in range(0, N, _BLOCK):
        u0, u1 = np.uint64(b0), np.uint64(min(b0 + _BLOCK, N))
        inside_here, active_here = False, False  # a run of the block in mission, active
        for n in range(u0, u1):
            in_mission[n] = (status[n] == ACTIVE) | (status[n] == WITHDRAWING)
            inside_here |= in_mission[n]
            active_here |= status[n] == ACTIVE
            flag[n] = False
            held[n] = 0

        # 1. goals and their sustain windows
        for g in range(G):
            comparator, threshold, sustain = goal_comparator[g], goal_threshold[g], goal_sustain[g]
            if not inside_here:  # what the loop below does for runs out of mission: counts back to 0 (a goal with no window held)
                for n in range(u0, u1):
                    if goal_count[n, g] != 0:  # (most are 0 already: not stored again)
                        goal_count[n, g] = 0
                if sustain <= 0:
                    for n in range(u0, u1):
                        if goal_met_month[n, g] < 0:
                            goal_met_month[n, g] = month
                continue
            bit = np.int64(1) << np.int64(g) if g < _HELD_BITS else np.int64(0)
            for n in range(u0, u1):
                ok = in_mission[n] & holds(vals[g, n], comparator, threshold)  # (a run not in mission holds no goal)
                before = goal_count[n, g] >= sustain
                count = goal_count[n, g] + 1 if ok else 0
                goal_count[n, g] = count
                now = count >= sustain
                goal_met_month[n, g] = month if now & (goal_met_month[n, g] < 0) else goal_met_month[n, g]
                changed[g, n] = (now != before) & in_mission[n]  # met or lapsed in mission: an event (out of mission neither)
                flag[n] |= changed[g, n]
                held[n] |= bit if now else np.int64(0)

        # the screen: a run not flagged here is left as it is by steps 2 to 5 and logs nothing this month
        for n in range(u0, u1):
            active = status[n] == ACTIVE
            f = flag[n] | (status[n] == WITHDRAWING) | relapsed_now[n] | war_ended_now[n]
            f |= (status[n] == AFTER_EXIT) & ((month + 1 >= exit_month[n] + pl.post_exit_months) | elected)
            f |= active & (every_active | (pl.consent_on & (consent[n] < pl.consent_floor)) | (pl.budget_on & (cost[n] >= pl.ceiling)))
            flag[n] = f
        if active_here:  # the rest of the screen is for active runs only
            for p in range(P):  # (one pass a phase: a loop that looked each run's phase up would not be vectorised)
                need = ready[p]
                if need >= 0:
                    for n in range(u0, u1):
                        flag[n] |= (status[n] == ACTIVE) & (next_phase[n] == p) & ((held[n] & need) == need)
            for c in range(C):
                floor = tol_floor[c]
                for n in range(u0, u1):
                    flag[n] |= (status[n] == ACTIVE) & (tolerance[n, c] < floor) & (present[n, c] > 0)
            if pl.lead >= 0:
                for n in range(u0, u1):
                    flag[n] |= (status[n] == ACTIVE) & (present[n, pl.lead] == 0)
            else:  # the personnel kept, summed as step 3 sums them
                for n in range(u0, u1):
                    acc[n] = 0.0
                for c in range(C):
                    for n in range(u0, u1):
                        acc[n] += present[n, c] * headcount[c]
                for n in range(u0, u1):
                    flag[n] |= (status[n] == ACTIVE) & (acc[n] / max(total, 1e-9) < pl.quorum)
            for n in range(u0, u1):  # the fighters, summed as step 4 sums them
                acc[n] = 0.0
            for r in range(spoilers.shape[1]):
                for n in range(u0, u1):
                    acc[n] += spoilers[n, r]
            for n in range(u0, u1):
                flag[n] |= (status[n] == ACTIVE) & at_war[n] & (acc[n] > pl.collapse_ratio * personnel[n])
            for q in range(step_p.shape[0]):
                stepped = phase_start[:, step_p[q]]
                for n in range(u0, u1):
                    flag[n] |= (status[n] == ACTIVE) & (stepped[n] == month)

        # the flagged runs, one at a time: their goals' events, then steps 2 to 5 in order
        m = 0
        for n in range(b0, min(b0 + _BLOCK, N)):
            if flag[n]:
                flagged[m] = n
                m += 1
        for i in range(m):  # (a loop over the flagged runs alone: over all, even a skipped body cost 15 cycles a run)
            n = flagged[i]
            inside = in_mission[n]
            if inside:  # steps 2 to 5 change nothing for a run that has left (or whose observation ended)
                for g in range(G):
                    if changed[g, n]:
                        met = goal_count[n, g] >= goal_sustain[g]
                        k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _GOAL_MET if met else _GOAL_LAPSED, g, vals[g, n])

                starting = -1  # the trigger that fires this month, if any: (reason, within, value)
                start_within = 0
                start_value = 0.0

                # 2. phased handover: the next phase once all its goals are held; the last one starts the drawdown
                if P > 0 and status[n] == ACTIVE and next_phase[n] < P:
                    go = month >= phase_not_before[next_phase[n]]
                    for g in range(G):
                        if phase_goals[next_phase[n], g] and goal_count[n, g] < goal_sustain[g]:
                            go = False
                    if go:
                        phase_start[n, next_phase[n]] = month
                        k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _PHASE, next_phase[n], 0.0)
                        next_phase[n] += 1
                        if next_phase[n] == P:
                            starting, start_within = _THRESHOLDS, pl.drawdown_months

                # 3. contributors leave when tolerance falls under their floor
                for c in range(C):
                    if tolerance[n, c] < tol_floor[c] and present[n, c] > 0:
                        k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _LEFT, c, tolerance[n, c])
                        present[n, c] = 0.0
                if pl.lead >= 0:
                    gone = present[n, pl.lead] == 0
                else:
                    kept = 0.0
                    for c in range(C):
                        kept += present[n, c] * headcount[c]
                    gone = kept / max(total, 1e-9) < pl.quorum

                # 4. triggers, in order of precedence (a mission already leaving is not triggered again)
                active = status[n] == ACTIVE and starting < 0
                fighters = 0.0
                for r in range(spoilers.shape[1]):
                    fighters += spoilers[n, r]
                if active and pl.consent_on and consent[n] < pl.consent_floor:
                    starting, start_within, start_value = _CONSENT, pl.consent_within, consent[n]
                elif active and gone:
                    starting, start_within = _TOLERANCE, pl.tolerance_within
                elif active and at_war[n] and fighters > pl.collapse_ratio * personnel[n]:
                    starting, start_within, start_value = _COLLAPSE, 0, fighters / max(personnel[n], 1.0)
                elif active and pl.budget_on and cost[n] >= pl.ceiling:
                    starting, start_within, start_value = _BUDGET, pl.budget_within, cost[n]
                elif active and pl.deadline_on and month >= pl.end_month:
                    starting, start_within = _DEADLINE, pl.deadline_within
                if starting >= 0:
                    reason[n] = starting
                    trigger_month[n] = month
                    within[n] = start_within
                    status[n] = WITHDRAWING
                    if orderly_action[starting] and start_within > 0 and next_phase[n] < P:
                        orderly[n] = True
                        orderly_from[n] = next_phase[n]
                    k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _TRIGGER, starting, start_value)

                # an orderly drawdown hands the remaining phases over in order, evenly spread over its months
                if status[n] == WITHDRAWING and orderly[n]:
                    remaining = max(P - orderly_from[n], 1)
                    elapsed = month - trigger_month[n]
                    while next_phase[n] < P and (next_phase[n] - orderly_from[n]) * within[n] <= elapsed * remaining:
                        phase_start[n, next_phase[n]] = month
                        k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _PHASE, next_phase[n], 0.0)
                        next_phase[n] += 1

                # the deployment schedule's changes of strength: dated steps, and phase steps as their phase is handed over
                for d in range(point_month.shape[0]):
                    if point_month[d] == month and present[n, point_c[d]] > 0:
                        k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _FORCE_LEVEL, point_c[d], point_personnel[d])
                for q in range(step_c.shape[0]):
                    if phase_start[n, step_p[q]] == month and present[n, step_c[q]] > 0:
                        k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _FORCE_LEVEL, step_c[q], step_level[q] * headcount[step_c[q]])

                # 5. withdrawals end; horizon
                if status[n] == WITHDRAWING and month + 1 >= trigger_month[n] + within[n]:
                    exit_month[n] = max(trigger_month[n] + within[n], month)
                    force_at_exit[n] = force[n]
                    status[n] = AFTER_EXIT
                    k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _EXIT, reason[n], 0.0)
                if month + 1 >= pl.horizon and status[n] == ACTIVE:
                    reason[n] = _RUNNING
                    force_at_exit[n] = force[n]
                    status[n] = DONE
            # post-exit observation ends
            if status[n] == AFTER_EXIT and month + 1 >= exit_month[n] + pl.post_exit_months:
                status[n] = DONE
            if relapsed_now[n]:
                k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _RELAPSE, 0, 1.0 if inside else 0.0)
            if war_ended_now[n]:
                k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _WAR_ENDED, 0, 1.0 if inside else 0.0)
            if elected and (inside or status[n] == AFTER_EXIT):
                k = _log(ev_row, ev_event, ev_detail, ev_value, k, n, _ELECTION, 0, 0.0)
    ev.filled[0] = k


_INT = ("status", "reason", "trigger_month", "within", "orderly_from", "exit_month", "goal_count", "goal_met_month", "next_phase", "phase_start")
_FLOAT = ("present", "tolerance", "consent", "cost", "spoilers", "force", "force_at_exit")


def _rules_state(st: State) -> tuple[np.ndarray, ...]:
    """The state's arrays of a :class:`Rules`, in its order (built once for a state's arrays:
    :meth:`~endstate.model.state.State.built`)."""
    st.compiled_arrays((_INT, np.int64), (_FLOAT, np.float64), (("orderly", "at_war"), np.bool_))  # written in place by apply_month
    return (
        st.status, st.reason, st.trigger_month, st.within, st.orderly, st.orderly_from, st.exit_month, st.goal_count, st.goal_met_month,
        st.next_phase, st.phase_start, st.present, st.tolerance, st.consent, st.cost, st.spoilers, st.at_war, st.force, st.force_at_exit,
    )  # fmt: skip


APPLY_MONTH = FastCall(apply_month, scalars=(3,))
"""The rules' month, called without typing its arguments again while a batch passes the same arrays (the plan, the
state's and the month's tuples, kept while they hold the same arrays: :func:`endstate.model.compiled.reuse`; the month
changes): 40-50 us a month less, as long as the rules take for 500 runs."""


class ExitRules:
    """The exit plan of one scenario, applied to a batch of runs."""

    def __init__(self, sc: Scenario, pv: SimpleNamespace):
        self.sc = sc
        self.pv = pv
        self.plan = plan(sc, pv)
        self.per_run_month = events_per_run_month(sc)
        self._events: Events | None = None
        self._scratch: Scratch | None = None
        self._rules: Any = None  # last month's tuples, kept while they hold the same arrays (compiled.reuse)
        self._readings: Any = None

    def events(self, runs: int) -> Events:
        """Empty event buffers for ``runs`` runs: those of the previous month (its rows are copied into the log), larger
        ones only for a larger batch (a month's buffers are megabytes, which NumPy would map and unmap every month)."""
        size = runs * self.per_run_month
        if self._events is None or self._events.row.shape[0] < size:
            self._events = Events(np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int8), np.empty(size, dtype=np.int64), np.empty(size), np.zeros(1, dtype=np.int64))
        self._events.filled[0] = 0
        return self._events

    def scratch(self, runs: int) -> Scratch:
        """Working arrays for ``runs`` runs, kept from month to month like the event buffers (larger for a larger batch)."""
        if self._scratch is None or self._scratch.flag.shape[0] < runs:
            G, P = len(self.plan.goal_threshold), self.plan.phase_goals.shape[0]
            self._scratch = Scratch(
                np.zeros((G, runs)), np.zeros((G, runs), dtype=np.bool_), np.zeros(runs, dtype=np.bool_), np.zeros(runs, dtype=np.bool_),
                np.zeros(runs, dtype=np.int64), np.zeros(runs), np.zeros(P, dtype=np.int64), np.zeros(_BLOCK, dtype=np.int64),
            )  # fmt: skip
        return self._scratch

    def apply(self, st: State, m: Month, month: int, log: EventLog) -> None:
        """Apply the rules to every run after ``month``: ``st`` in place, events into ``log``."""
        f = np.asfortranarray  # runs fastest, as the month is stored (State): no copy
        s = Rules._make((*st.built(_rules_state, _rules_state), f(m.headcount, dtype=float), f(m.relapsed_now, dtype=np.bool_), f(m.war_ended_now, dtype=np.bool_)))
        self._rules = s = reuse(self._rules, s)
        self._readings = x = reuse(self._readings, readings(self.sc, st, m))
        runs = st.status.shape[0]
        ev = self.events(runs)
        APPLY_MONTH(self.plan, s, x, int(month), ev, self.scratch(runs))
        k = int(ev.filled[0])
        log.extend(month, ev.row[:k], ev.event[:k], ev.detail[:k], ev.value[:k])  # copies them
