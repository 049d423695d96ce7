"""--change: each supported decision, and the errors for wrong paths and values."""

from __future__ import annotations

import datetime as dt

import pytest

from endstate.experiments.changes import ChangeError, apply_changes, parse_change
from endstate.spec import SpecError, load_spec


@pytest.fixture
def spec(example_path):
    return load_spec(example_path)


def test_parse_reads_yaml_scalars():
    assert parse_change("exit.end_date=2002-05-20").value == dt.date(2002, 5, 20)
    assert parse_change("theatre.population=1e6").value == 1e6
    c = parse_change("politics.elections+=2003-01-01")
    assert c.append and c.value == dt.date(2003, 1, 1)
    with pytest.raises(ChangeError, match="PATH=VALUE"):
        parse_change("no equals sign")


def test_exit_date(spec):
    s = apply_changes(spec, ["exit_date=2002-05-20"])
    assert s.exit.end_date == dt.date(2002, 5, 20)
    assert s.exit.strategy == "hybrid" and s.exit.triggers.deadline is not None


def test_command_structure(spec):
    s = apply_changes(spec, ["command=committee"])
    assert s.force.command == "committee" and s.force.lead is None
    s = apply_changes(s, ["command=lead_state:new_zealand"])
    assert s.force.command == "lead_state" and s.force.lead == "new_zealand"


def test_riot_control(spec):
    assert "riot_control" not in spec.force.contributors[2].capabilities
    s = apply_changes(spec, ["riot_control=asean"])
    assert "riot_control" in s.force.contributors[2].capabilities
    s = apply_changes(spec, ["riot_control=all"])
    assert all("riot_control" in c.capabilities for c in s.force.contributors)


def test_border_personnel(spec):
    before = sum(a.personnel for a in spec.tasks.assignments if a.task == "border_control")
    s = apply_changes(spec, ["border_personnel=6000"])
    after = sum(a.personnel for a in s.tasks.assignments if a.task == "border_control")
    assert before != 6000 and after == pytest.approx(6000)
    # each contributor still has the personnel it is assigned
    for c in s.force.contributors:
        assigned = sum(a.personnel for a in s.tasks.assignments if a.contributor == c.id)
        assert assigned <= c.troops + c.police + 1e-6


def test_training_start(spec):
    s = apply_changes(spec, ["training_start=2001-01-01"])
    assert s.tasks.constabulary_training_start == dt.date(2001, 1, 1)


def test_any_path_and_items_by_id(spec):
    s = apply_changes(spec, ["force.contributors[australia].troops=6000", "goals[low_violence].threshold=0.5"])
    assert s.force.contributors[0].troops == 6000
    assert s.goals[0].threshold == 0.5


def test_wrong_path_lists_valid_paths_near_it(spec):
    with pytest.raises(ChangeError) as e:
        apply_changes(spec, ["exit.end_dat=2002-01-01"])
    msg = str(e.value)
    assert "did you mean end_date" in msg and "exit.drawdown" in msg and "exit.triggers" in msg
    with pytest.raises(ChangeError, match="shortcut: exit_date, command, riot_control, border_personnel, training_start"):
        apply_changes(spec, ["exitdate=2002-01-01"])
    with pytest.raises(ChangeError, match="no item 'usa'; items: australia, new_zealand, asean, civpol"):
        apply_changes(spec, ["force.contributors[usa].troops=1"])


def test_wrong_value_reported_by_the_spec_rules(spec):
    with pytest.raises(SpecError) as e:
        apply_changes(spec, ["theatre.population=-5"], "et.yaml")
    assert "theatre.population" in str(e.value) and "must be at least 10,000" in str(e.value)
    with pytest.raises(ChangeError, match="not a date"):
        apply_changes(spec, ["exit_date=soon"])
    with pytest.raises(ChangeError, match="must be 'committee' or 'lead_state"):
        apply_changes(spec, ["command=anarchy"])


def test_change_values_read_with_yaml_1_2_rules() -> None:
    assert parse_change("force.contributors[0].troops=1:30:00").value == "1:30:00"  # not 5400 (YAML 1.1 sexagesimal)
    assert parse_change("understanding.identity_war=yes").value == "yes"  # not true; the spec then refuses it
    assert parse_change("resources.budget_per_year=1e6").value == 1e6
