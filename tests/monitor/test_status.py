"""Threshold status from the observations."""

from __future__ import annotations

from pathlib import Path

from endstate.monitor.observations import read_observations
from endstate.monitor.status import goal_status, phase_status
from endstate.spec import MissionSpec


def test_status_counts_consecutive_months(tmp_path: Path, spec: MissionSpec) -> None:
    p = tmp_path / "o.csv"
    p.write_text("month,region,indicator,value,source\n2015-01,country,battle_deaths,30,A\n2015-02,country,battle_deaths,5,A\n2015-03,country,battle_deaths,4,A\n2015-04,country,civilian_deaths,1,A\n", encoding="utf-8")
    goals = goal_status(spec, read_observations(p, spec))
    g = {r["goal"]: r for r in goals}
    assert g["fighting_down"]["held_months"] == 2 and g["fighting_down"]["remaining_months"] == 4 and g["fighting_down"]["month"] == "2015-03"
    assert g["state_authority"]["latest"] is None
    phases = phase_status(spec, goals)
    assert not phases[0]["ready"] and "forces_ready" in phases[0]["waiting_for"]
