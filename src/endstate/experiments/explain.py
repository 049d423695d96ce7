"""Why did run K exit when it did?  The event log of one run, told in words.

Core object: :func:`explain_run`.  Run ``K`` is re-simulated alone: its random
numbers depend only on the seed and ``K`` (see :mod:`endstate.engine.seeding`),
so it is the same run as in any batch.  Its departure is dated by the outcome
table's ``exit_month`` (the first month with no mission personnel), not by
the month of the ``exit`` event (the last month with personnel still there).
"""

from __future__ import annotations

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.exits.events import EVENT_NAMES
from endstate.model.params import Parameters, load_parameters
from endstate.spec.models import MissionSpec
from endstate.types import EXIT_REASONS, INDICATORS


def _date(spec: MissionSpec, month: int) -> str:
    s = spec.mission.start_date
    y, m = divmod(s.month - 1 + month, 12)
    return f"month {month} ({s.year + y}-{m + 1:02d})"


def explain_run(spec: MissionSpec, run: int, seed: int = 0, params: Parameters | None = None) -> list[str]:
    """Sentences that tell the story of one run, in order."""
    if run < 0:
        raise ValueError("the run index must be 0 or more")
    batch = RunBatch(ChunkJob(spec, params or load_parameters(), seed, run, run + 1, 0))
    batch.run()
    ev = batch.log.arrays()
    sc, st = batch.sc, batch.st
    goals = spec.goals
    phases = spec.exit.handover
    contributors = spec.force.contributors
    lines = [f"Run {run} (seed {seed}) of '{spec.mission.name}':"]
    for month, code, detail, value in zip(ev["month"], ev["event"], ev["detail"], ev["value"], strict=True):
        name = EVENT_NAMES[code]
        when = _date(spec, int(month))
        if name == "goal_met":
            g = goals[detail]
            unit = INDICATORS[g.indicator][0]
            lines.append(f"{when}: goal '{g.id}' met: {g.indicator} {g.comparator} {g.threshold:g} held for {g.sustain_months} months (now {value:.3g} {unit}).")
        elif name == "goal_lapsed":
            g = goals[detail]
            lines.append(f"{when}: goal '{g.id}' lapsed ({g.indicator} now {value:.3g}); its sustain window starts again.")
        elif name == "phase_handed_over":
            ph = phases[detail]
            lines.append(f"{when}: handover phase {detail + 1} '{ph.name}': {', '.join(ph.tasks)} in {', '.join(ph.regions)} pass to domestic forces (goals {', '.join(ph.when) or 'none'} all met).")
        elif name == "contributor_left":
            c = contributors[detail]
            lines.append(f"{when}: {c.name} leaves: its public tolerance fell to {value:.2f}, under its floor of {c.tolerance_floor:g}.")
        elif name == "trigger":
            reason = EXIT_REASONS[detail]
            lines.append(f"{when}: exit decided: {_trigger_text(reason, value, spec)}")
        elif name == "exit":
            # the log marks the last month with personnel; the outcome table's exit_month is the first month without
            left = _date(spec, int(st.exit_month[0]))
            lines.append(f"{left}: the last international personnel have left (reason: {EXIT_REASONS[detail]}); exit_month {int(st.exit_month[0])}.")
        elif name == "relapse":
            lines.append(f"{when}: war resumes {'while the mission is present' if value > 0 else 'after the mission left'}.")
        elif name == "war_ended":
            lines.append(f"{when}: the resumed war burns out; the country is at peace again and could relapse again.")
        elif name == "force_level":
            c = contributors[detail]
            lines.append(f"{when}: {c.name} moves to {value:,.0f} personnel, as its deployment schedule plans.")
        elif name == "election":
            lines.append(f"{when}: elections are held; relapse risk is raised for a while.")
    if st.numerical_error[0]:
        lines.append("The run's numbers became non-finite, so it was stopped there and flagged (numerical_error); none of its totals is reported.")
        return lines
    reason = EXIT_REASONS[st.reason[0]] if st.reason[0] >= 0 else "running"
    if reason == "running":
        lines.append(f"The mission is still present at the horizon ({sc.horizon} months).")
    else:
        rel = int(st.relapse_month[0])
        if rel < 0:
            lines.append(f"Peace held to the end of the {sc.post_exit_months // 12}-year post-exit horizon.")
    lines.append(
        f"Totals: {st.battle_deaths[0]:.0f} battle and {st.civilian_deaths[0]:.0f} civilian deaths, "
        f"{st.fatalities[0].sum():.0f} mission fatalities, US${st.cost[0] / 1e6:,.0f} m."
    )
    return lines


def _trigger_text(reason: str, value: float, spec: MissionSpec) -> str:
    if reason == "thresholds_met":
        return f"every handover phase is complete; the mission draws down over {spec.exit.drawdown.months_per_phase} months."
    if reason == "collapse":
        return f"war resumed and the fighters outnumber the mission's personnel {value:.0f} to 1: it is overrun and collapses."
    if reason == "host_consent":
        floor = spec.exit.triggers.host_consent.floor if spec.exit.triggers.host_consent else 0
        return f"the host government's consent fell to {value:.2f}, under the floor of {floor:g}; it asks the mission to leave."
    if reason == "contributor_tolerance":
        return "the lead state (or too many contributors) withdrew as public tolerance ran out."
    if reason == "budget":
        return f"spending reached US${value / 1e6:,.0f} m, the expenditure ceiling."
    if reason == "deadline":
        return f"the end date {spec.exit.end_date} has come."
    return reason
