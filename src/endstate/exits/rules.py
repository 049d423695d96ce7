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
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from endstate.model.indicators import indicator
from endstate.model.scenario import Scenario
from endstate.model.state import ACTIVE, AFTER_EXIT, DONE, WITHDRAWING, State
from endstate.model.step import Month, row_sum
from endstate.types import EXIT_REASONS, INDICATORS

from .events import EventLog

REASON = {r: i for i, r in enumerate(EXIT_REASONS)}
_NAMES = list(INDICATORS)


def holds(value: np.ndarray, comparator: int, threshold: float) -> np.ndarray:
    if comparator == 0:
        return value < threshold
    if comparator == 1:
        return value <= threshold
    if comparator == 2:
        return value > threshold
    return value >= threshold


class ExitRules:
    """The exit plan of one scenario, applied to a batch of runs."""

    def __init__(self, sc: Scenario, pv: SimpleNamespace):
        self.sc = sc
        self.pv = pv

    def _start(self, st: State, mask: np.ndarray, reason: str, within: int, month: int, log: EventLog, value: np.ndarray | float = 0.0) -> None:
        st.reason = np.where(mask, REASON[reason], st.reason)
        st.trigger_month = np.where(mask, month, st.trigger_month)
        st.within = np.where(mask, within, st.within)
        st.status = np.where(mask, WITHDRAWING, st.status)
        if self.sc.trigger_orderly.get(reason, False) and within > 0:
            orderly = mask & (st.next_phase < self.sc.phase_mask.shape[0])
            st.orderly = st.orderly | orderly
            st.orderly_from = np.where(orderly, st.next_phase, st.orderly_from)
        log.add("trigger", month, mask, REASON[reason], value)

    def _orderly_handover(self, st: State, month: int, log: EventLog) -> None:
        """An orderly drawdown hands the remaining phases over in order, evenly spread over ``within`` months."""
        P = self.sc.phase_mask.shape[0]
        going = (st.status == WITHDRAWING) & st.orderly
        if not going.any():
            return
        remaining = np.maximum(P - st.orderly_from, 1)
        elapsed = month - st.trigger_month
        for _ in range(P):
            due = going & (st.next_phase < P) & ((st.next_phase - st.orderly_from) * st.within <= elapsed * remaining)
            if not due.any():
                return
            rows = np.flatnonzero(due)
            st.phase_start[rows, st.next_phase[rows]] = month
            log.add("phase_handed_over", month, due, st.next_phase)
            st.next_phase = st.next_phase + due

    def _schedule_events(self, st: State, month: int, log: EventLog, in_mission: np.ndarray) -> None:
        """Log each scheduled change of a contributor's strength: dated steps, and phase steps as their phase is handed over."""
        sc = self.sc
        if not sc.has_schedule:
            return
        for m, c, personnel in zip(*sc.sched_points, strict=True):
            if m == month:
                log.add("force_level", month, in_mission & (st.present[:, c] > 0), int(c), float(personnel))
        for c, p, level in zip(*sc.sched_phase, strict=True):
            now = in_mission & (st.phase_start[:, p] == month) & (st.present[:, c] > 0)
            log.add("force_level", month, now, int(c), float(level * sc.headcount[c]))

    def apply(self, st: State, m: Month, month: int, log: EventLog) -> None:
        sc, pv = self.sc, self.pv
        in_mission = (st.status == ACTIVE) | (st.status == WITHDRAWING)

        # 1. goals and their sustain windows
        for g in range(len(sc.goal_threshold)):
            val = indicator(_NAMES[sc.goal_indicator[g]], sc, st, m, int(sc.goal_region[g]))
            ok = holds(val, int(sc.goal_comparator[g]), float(sc.goal_threshold[g])) & in_mission
            before = st.goal_count[:, g] >= sc.goal_sustain[g]
            st.goal_count[:, g] = np.where(ok, st.goal_count[:, g] + 1, 0)
            now = st.goal_count[:, g] >= sc.goal_sustain[g]
            log.add("goal_met", month, now & ~before, g, val)
            log.add("goal_lapsed", month, before & ~now & in_mission, g, val)
            st.goal_met_month[:, g] = np.where(now & (st.goal_met_month[:, g] < 0), month, st.goal_met_month[:, g])
        met = st.goal_count >= sc.goal_sustain[None, :]

        # 2. phased handover
        active = st.status == ACTIVE
        P = sc.phase_mask.shape[0]
        if P:
            goals_held = np.zeros_like(active)
            for p in range(P):
                goals_held |= (st.next_phase == p) & met[:, sc.phase_goals[p]].all(axis=1) & (month >= sc.phase_not_before[p])
            ready = active & goals_held
            rows = np.flatnonzero(ready)
            st.phase_start[rows, st.next_phase[rows]] = month
            log.add("phase_handed_over", month, ready, st.next_phase)
            st.next_phase = st.next_phase + ready
            complete = ready & (st.next_phase == P)
            self._start(st, complete, "thresholds_met", sc.drawdown_months, month, log)
            active = st.status == ACTIVE

        # 3. contributors leave when tolerance falls under their floor
        leaving = (st.tolerance < sc.tol_floor[None, :]) & (st.present > 0) & in_mission[:, None]
        for c in np.flatnonzero(leaving.any(axis=0)):
            log.add("contributor_left", month, leaving[:, c], int(c), st.tolerance[:, c])
        st.present = np.where(leaving, 0.0, st.present)
        if sc.lead >= 0:
            gone = st.present[:, sc.lead] == 0
        else:
            remaining = st.present @ sc.headcount / max(sc.headcount.sum(), 1e-9)
            gone = remaining < pv.committee_quorum

        # 4. triggers, in order of precedence
        on, within, floor = sc.trig_consent
        if on:
            fire = active & (st.consent < floor)
            self._start(st, fire, "host_consent", within, month, log, st.consent)
            active = st.status == ACTIVE
        fire = active & gone
        self._start(st, fire, "contributor_tolerance", sc.trig_tolerance[1], month, log)
        active = st.status == ACTIVE
        fighters = row_sum(st.spoilers)
        collapse = active & st.at_war & (fighters > pv.collapse_overrun_ratio * m.headcount)
        self._start(st, collapse, "collapse", 0, month, log, fighters / np.maximum(m.headcount, 1.0))
        active = st.status == ACTIVE
        if sc.trig_budget[0]:
            fire = active & (st.cost >= sc.expenditure_ceiling)
            self._start(st, fire, "budget", sc.trig_budget[1], month, log, st.cost)
            active = st.status == ACTIVE
        if sc.trig_deadline[0] and month >= sc.end_month:
            self._start(st, active, "deadline", sc.trig_deadline[1], month, log)
            active = st.status == ACTIVE

        self._orderly_handover(st, month, log)
        self._schedule_events(st, month, log, in_mission)

        # 5. withdrawals end; horizon; post-exit observation ends
        leaving_now = (st.status == WITHDRAWING) & (month + 1 >= st.trigger_month + st.within)
        st.exit_month = np.where(leaving_now, np.maximum(st.trigger_month + st.within, month), st.exit_month)
        st.force_at_exit = np.where(leaving_now, st.force, st.force_at_exit)
        st.status = np.where(leaving_now, AFTER_EXIT, st.status)
        log.add("exit", month, leaving_now, st.reason)
        if month + 1 >= sc.horizon:
            running = st.status == ACTIVE
            st.reason = np.where(running, REASON["running"], st.reason)
            st.force_at_exit = np.where(running, st.force, st.force_at_exit)
            st.status = np.where(running, DONE, st.status)
        over = (st.status == AFTER_EXIT) & (month + 1 >= st.exit_month + sc.post_exit_months)
        st.status = np.where(over, DONE, st.status)
        log.add("relapse", month, m.relapsed_now, 0, in_mission.astype(float))
        log.add("war_ended", month, m.war_ended_now, 0, in_mission.astype(float))
        if sc.election_months.size and month in set(sc.election_months.tolist()):
            log.add("election", month, in_mission | (st.status == AFTER_EXIT))
