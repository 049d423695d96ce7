"""The columns of a result: what each outcome and event column means.

Core objects: :data:`OUTCOME_COLUMNS` (one row per simulated run, the engine's
``outcomes.parquet``), :data:`EVENT_COLUMNS` (``events.parquet``).  The engine produces the
columns; this module says what they mean, for the documentation and the
tests that hold the engine to it.
"""

from __future__ import annotations

from endstate.engine.runner import WINDOW_YEARS

OUTCOME_COLUMNS: dict[str, str] = {
    "run": "run index (0-based); the same index draws the same random numbers in every strategy",
    "exit_month": "month the last international personnel left (months from the mission start); -1 if still running at the horizon",
    "exit_reason": "thresholds_met, deadline, budget, contributor_tolerance, host_consent, collapse or running; missing for a run flagged in numerical_error",
    "trigger_month": "month the exit was decided (the trigger fired or the last phase was handed over); -1 if running",
    "relapsed": "war resumed at some point in the simulated period",
    "relapse_month": "month war resumed (from the mission start); -1 if it did not",
    "relapse_in_mission": "war resumed while the mission was present",
    "relapse_2y": "war resumed during the mission or within 2 years of exit",
    "relapse_5y": "war resumed during the mission or within 5 years of exit",
    "relapse_10y": "war resumed during the mission or within 10 years of exit",
    "conflict_recurrence": "some calendar year had 25 or more simulated battle deaths (UCDP's armed conflict)",
    "conflict_recurrence_month": "month that calendar year reached 25 battle deaths; -1 if none did",
    "war_recurrence": "some calendar year had 1,000 or more simulated battle deaths (a war: COW, Doyle & Sambanis)",
    "war_recurrence_month": "month that calendar year reached 1,000 battle deaths; -1 if none did",
    "months_observed_after_exit": "post-exit months simulated (the post-exit horizon, 0 if running)",
    "battle_deaths": "battle-related deaths over the whole simulated period",
    "civilian_deaths": "civilians killed over the whole simulated period",
    "mission_fatalities": "mission personnel killed",
    "cost_usd": "mission cost in US$ (personnel, programmes, trainees)",
    "peak_personnel": "largest international deployment in any month",
    "domestic_force_at_exit": "trained domestic police and army when the mission left (or at the horizon)",
    "phases_handed_over": "handover phases completed",
    "tasks_handed_over": "distinct tasks handed over to domestic forces in at least one region",
    "numerical_error": "the run hit non-finite numbers (or numbers too large to record): it was stopped there, its exit_reason is missing, "
    "its counts and costs are NaN, its months -1, and summaries leave it out",
    "months_observed": "months simulated from the mission start (to the end of the post-exit observation, or the horizon if still running)",
}
for _y in WINDOW_YEARS:
    OUTCOME_COLUMNS[f"relapse_by_{_y}y"] = f"war resumed within {_y} years of the mission start; missing (NA) if the run was observed for less and had not relapsed"
    OUTCOME_COLUMNS[f"battle_deaths_{_y}y"] = f"battle-related deaths in the first {_y} years from the mission start; NaN if the run was observed for less"
    OUTCOME_COLUMNS[f"civilian_deaths_{_y}y"] = f"civilians killed in the first {_y} years from the mission start; NaN if the run was observed for less"
    OUTCOME_COLUMNS[f"cost_usd_{_y}y"] = f"mission cost (US$) in the first {_y} years from the mission start; NaN if the run was observed for less"

EVENT_COLUMNS: dict[str, str] = {
    "run": "run index",
    "month": "month of the event (from the mission start)",
    "event": "index into endstate.exits.events.EVENT_NAMES",
    "detail": "goal, phase, contributor or exit-reason index, by event",
    "value": "a number that explains the event (a tolerance, a consent level, a cost); missing where it was not finite",
}

__all__ = ["EVENT_COLUMNS", "OUTCOME_COLUMNS"]
