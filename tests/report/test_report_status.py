"""Goal and phase status from the event log: hand-made logs with known answers, and a simulated one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from endstate.engine.runner import Results
from endstate.exits.events import EV
from endstate.report.status import binding_goals, goal_status, monthly_totals, phase_timeline
from endstate.types import EXIT_REASONS


def _results(outcomes: dict[str, list], events: list[tuple[int, int, str, int]], goals: list[str], phase_goals: list[list[str]]) -> Results:
    o = pd.DataFrame(outcomes)
    o["exit_reason"] = pd.Categorical(o["exit_reason"], categories=list(EXIT_REASONS))
    ev = pd.DataFrame(
        {
            "run": [e[0] for e in events],
            "month": [e[1] for e in events],
            "event": [EV[e[2]] for e in events],
            "detail": [e[3] for e in events],
            "value": [0.0] * len(events),
        }
    )
    meta = {"goals": goals, "phases": [f"p{i}" for i in range(len(phase_goals))], "phase_goals": phase_goals}
    return Results(o, ev, pd.DataFrame(), meta)


TWO_RUNS = {
    "run": [0, 1],
    "exit_month": [-1, 6],
    "trigger_month": [-1, 4],
    "months_observed": [10, 20],
    "phases_handed_over": [0, 1],
    "exit_reason": ["running", "thresholds_met"],
}
EVENTS = [
    (0, 2, "goal_met", 0),
    (0, 5, "goal_lapsed", 0),
    (0, 7, "goal_met", 0),
    (1, 3, "goal_met", 0),
    (1, 4, "goal_met", 1),
    (1, 4, "phase_handed_over", 0),
]


def test_goal_status_counts_a_goal_from_met_to_lapse_or_departure():
    st = goal_status(_results(TWO_RUNS, EVENTS, ["a", "b"], [["a", "b"]]))
    # run 0 holds 'a' in months 2-4 and 7-9 (its observation ends at 10); run 1 holds it from 3 until it leaves at 6
    expected_a = [0, 0, 0.5, 1, 1, 0.5, 0, 0.5, 0.5, 0.5]
    assert np.allclose(st["a"].to_numpy()[:10], expected_a)
    assert np.allclose(st["b"].to_numpy()[:8], [0, 0, 0, 0, 0.5, 0.5, 0, 0])
    assert np.allclose(st["mission_present"].to_numpy()[:11], [1] * 6 + [0.5] * 4 + [0])
    assert (st.drop(columns="mission_present").le(st["mission_present"], axis=0)).all().all()


def test_the_goal_met_last_binds_a_completed_handover_and_the_unmet_one_a_stuck_handover():
    res = _results(TWO_RUNS, EVENTS, ["a", "b"], [["a", "b"]])
    b = binding_goals(res)
    # run 1 completed its one phase at month 4: 'b' (met at 4) came after 'a' (met at 3)
    # run 0 never handed over: at the end of its observation 'a' is held, 'b' never met, so 'b' blocks it
    assert b.loc["b", "binds"] == 1.0 and b.loc["a", "binds"] == 0.0
    assert b.loc["b", "binds_blocked"] == 0.5
    assert b.loc["a", "met_ever"] == 1.0 and b.loc["b", "met_ever"] == 0.5
    assert b.loc["a", "held_at_decision"] == 1.0


def test_no_goal_binds_a_calendar_exit():
    res = _results(TWO_RUNS, EVENTS, ["a", "b"], [])
    assert binding_goals(res).empty


def test_phase_timeline_shares_and_quantiles():
    t = phase_timeline(_results(TWO_RUNS, EVENTS, ["a", "b"], [["a", "b"]]))
    assert list(t.index) == ["phase 1: p0", "exit decided", "mission left"]
    assert t.loc["phase 1: p0", "share"] == 0.5 and t.loc["phase 1: p0", "q50"] == 4
    assert t.loc["mission left", "q50"] == 6


def test_simulated_status_is_consistent(strategy_results):
    for res in strategy_results.values():
        st = goal_status(res)
        assert ((st >= 0) & (st <= 1 + 1e-12)).all().all()
        assert (st.drop(columns="mission_present").le(st["mission_present"] + 1e-12, axis=0)).all().all()
        b = binding_goals(res)
        if not b.empty:
            assert b["binds"].sum() <= 1 + 1e-12 and (b["binds_blocked"] <= b["binds"]).all()
        t = monthly_totals(res)
        assert not t.empty and (t[("personnel", "q25")] <= t[("personnel", "q75")]).all()
