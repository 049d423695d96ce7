"""Named strategies: partial specs merged over the base, each validated and reported by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spec_support import BASE, REPO, edit, line_of

from endstate.spec import SpecError, load_raw, load_spec, strategy_specs, validate_data

LEAD_STATE = REPO / "examples" / "east_timor_1999_lead_state.yaml"
COMMITTEE = REPO / "examples" / "east_timor_1999_committee.yaml"


def test_every_strategy_of_every_spec_file_validates(spec_file: Path) -> None:
    spec = load_spec(spec_file)
    specs = strategy_specs(spec, str(spec_file))
    assert list(specs) == ["baseline", *(s.name for s in spec.strategies)]
    assert specs["baseline"] is spec
    assert all(not s.strategies for name, s in specs.items() if name != "baseline")


def test_lead_state_example_strategies_merge_their_overrides() -> None:
    specs = strategy_specs(load_spec(LEAD_STATE))
    assert set(specs) == {"baseline", "calendar_exit", "security_keeping", "committee_transformation"}
    base, calendar, keeping, committee = (specs[k] for k in ("baseline", "calendar_exit", "security_keeping", "committee_transformation"))
    assert keeping.model_copy(update={"strategies": []}) == base.model_copy(update={"strategies": []})
    assert (calendar.exit.strategy, calendar.exit.handover, calendar.month_of(calendar.exit.end_date)) == ("end_date", [], 24)
    assert calendar.exit.triggers.deadline is not None and calendar.exit.triggers.host_consent == base.exit.triggers.host_consent
    assert (committee.force.command, committee.force.lead, committee.tasks.allocation) == ("committee", None, "static")
    assert committee.force.contributors == base.force.contributors
    assert committee.transformation_goal_count == 2 and base.transformation_goal_count == 0


def test_committee_example_lead_nation_strategy() -> None:
    specs = strategy_specs(load_spec(COMMITTEE))
    lead = specs["lead_nation"]
    assert (lead.force.command, lead.force.lead, lead.tasks.allocation) == ("lead_state", "australia", "reallocate_to_hotspots")
    assert specs["no_calendar"].exit.end_date is None and specs["no_calendar"].exit.triggers.deadline is None


def _broken(text: str, tmp_path: Path) -> list:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    data, pos = load_raw(path)
    spec = validate_data(data, str(path), pos)
    with pytest.raises(SpecError) as err:
        strategy_specs(spec, str(path), pos)
    return err.value.problems


def test_broken_override_is_reported_with_the_strategy_name_and_line(tmp_path: Path) -> None:
    text = edit(BASE, "        strategy: end_date\n", "        strategy: sometime\n")
    [p] = _broken(text, tmp_path)
    assert "strategy 'calendar'" in p.file and "strategies[0].overrides" in p.file
    assert p.path == "exit.strategy"
    assert "'end_state', 'end_date' or 'hybrid'" in p.message
    assert p.line == line_of(text, "strategy: sometime")


def test_cross_section_problem_in_a_strategy_points_at_its_overrides(tmp_path: Path) -> None:
    text = edit(BASE, "        strategy: end_date\n        handover: []\n", "        strategy: end_state\n        handover: []\n")
    [p] = _broken(text, tmp_path)
    assert "strategy 'calendar'" in p.file
    assert (p.path, p.message) == ("exit.handover", "the 'end_state' strategy needs handover phases tied to goals")
    assert p.line == line_of(text, "        handover: []")


def test_problem_outside_the_overrides_points_at_the_overrides(tmp_path: Path) -> None:
    text = edit(BASE, "      exit:\n        strategy: end_date\n        handover: []\n", "      tasks:\n        assignments: []\n")
    problems = _broken(text, tmp_path)
    assert [p.path for p in problems] == ["exit.handover[0].tasks[0]", "exit.handover[0].tasks[1]"]
    assert problems[0].message == "no contributor performs 'border_control', so it cannot be handed over"
    assert {p.line for p in problems} == {line_of(text, "    overrides:")}


def test_every_broken_strategy_is_reported(tmp_path: Path) -> None:
    text = edit(BASE, "        handover: []\n", "        handover: []\n  - name: bad_force\n    overrides:\n      force:\n        lead: nobody\n      colour: blue\n")
    text = edit(text, "        strategy: end_date\n", "        strategy: sometime\n")
    found = {(p.file.split("'")[1], p.path): p for p in _broken(text, tmp_path)}
    assert set(found) == {("calendar", "exit.strategy"), ("bad_force", "force"), ("bad_force", "colour")}
    assert found["bad_force", "colour"].message.startswith("unknown key 'colour'")
    assert found["bad_force", "colour"].line == line_of(text, "colour: blue")
    assert found["bad_force", "force"].message == "lead 'nobody' is not one of the contributors (alpha, beta)"
    assert found["bad_force", "force"].line == line_of(text, "      force:\n        lead: nobody")


def test_without_positions_problems_still_name_the_strategy(base_data: dict) -> None:
    base_data["strategies"][0]["overrides"]["exit"]["strategy"] = "sometime"
    with pytest.raises(SpecError) as err:
        strategy_specs(validate_data(base_data), "plan.yaml")
    [p] = err.value.problems
    assert p.file == "plan.yaml (strategy 'calendar', strategies[0].overrides)" and p.line is None


def test_override_can_clear_an_optional_field(base_data: dict) -> None:
    base_data["strategies"][0]["overrides"] = {"force": {"command": "committee", "lead": None}}
    merged = strategy_specs(validate_data(base_data))["calendar"]
    assert (merged.force.command, merged.force.lead) == ("committee", None)


def test_overrides_hold_dates_as_text(base_data: dict) -> None:
    base_data["strategies"][0]["overrides"]["exit"]["end_date"] = dt.date(2033, 1, 1)
    spec = validate_data(base_data)
    assert spec.strategies[0].overrides["exit"]["end_date"] == "2033-01-01"
    assert strategy_specs(spec)["calendar"].exit.end_date == dt.date(2033, 1, 1)
