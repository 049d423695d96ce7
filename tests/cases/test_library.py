"""The historical mission library in ``endstate.cases``.

Every case spec must validate (with its named strategies), ``history.yaml`` must give a
well-formed record for every case, and the two must agree with each other.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

import endstate.cases
from endstate.spec import load_raw, load_spec, strategy_specs
from endstate.types import EXIT_REASONS

CASES_DIR = Path(endstate.cases.__file__).resolve().parent
HISTORY = CASES_DIR / "history.yaml"
CASE_FILES = sorted(p for p in CASES_DIR.glob("*.yaml") if p.name != HISTORY.name)
CASE_IDS = [p.stem for p in CASE_FILES]
HISTORY_KEYS = {"exit_reason", "exit_date", "relapse", "relapse_date", "relapse_within_years_of_exit", "sources", "notes"}


def _history() -> dict:
    data = yaml.safe_load(HISTORY.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "history.yaml must map case ids to records"
    return data


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, min(d.day, 28))


def test_at_least_fourteen_cases() -> None:
    assert len(CASE_FILES) >= 14, CASE_IDS


@pytest.mark.parametrize("path", CASE_FILES, ids=CASE_IDS)
def test_case_spec_validates_with_its_strategies(path: Path) -> None:
    spec = load_spec(path)
    _, pos = load_raw(path)
    specs = strategy_specs(spec, str(path), pos)
    assert "baseline" in specs


@pytest.mark.parametrize("path", CASE_FILES, ids=CASE_IDS)
def test_case_file_has_history_block_and_cited_sources(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^# history:", text, flags=re.M), f"{path.name}: no top-level '# history:' comment block"
    spec = load_spec(path)
    ids = {s.id for s in spec.mission.sources}
    cited: set[str] = set()
    for line in text.splitlines():
        if "#" in line:
            comment = line.split("#", 1)[1]
            cited |= set(re.findall(r"\[([a-z0-9_]+)\]", comment))
    assert cited, f"{path.name}: no [source] citations in comments"
    unknown = cited - ids
    assert not unknown, f"{path.name}: comments cite unknown sources {sorted(unknown)}"
    assert "estimate" in text, f"{path.name}: no value marked as an estimate"


def test_history_has_exactly_the_cases() -> None:
    history = _history()
    assert set(history) == set(CASE_IDS)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_history_record_is_well_formed(case_id: str) -> None:
    rec = _history()[case_id]
    assert set(rec) == HISTORY_KEYS, f"{case_id}: keys {sorted(rec)}"
    assert rec["exit_reason"] in EXIT_REASONS
    if rec["exit_reason"] == "running":
        assert rec["exit_date"] is None
    else:
        assert isinstance(rec["exit_date"], dt.date)
    assert isinstance(rec["relapse"], bool)
    if rec["relapse"]:
        assert isinstance(rec["relapse_date"], dt.date)
        years = rec["relapse_within_years_of_exit"]
        assert isinstance(years, (int, float))
        if rec["exit_date"] is not None:
            expected = (rec["relapse_date"] - rec["exit_date"]).days / 365.25
            assert abs(years - expected) < 0.01, f"{case_id}: {years} vs {expected:.2f}"
    else:
        assert rec["relapse_date"] is None
        assert rec["relapse_within_years_of_exit"] is None
    assert isinstance(rec["sources"], list) and rec["sources"]
    assert isinstance(rec["notes"], str) and rec["notes"].strip()


@pytest.mark.parametrize("path", CASE_FILES, ids=CASE_IDS)
def test_spec_agrees_with_history(path: Path) -> None:
    rec = _history()[path.stem]
    spec = load_spec(path)
    ex = spec.exit
    start = spec.mission.start_date
    horizon_end = _add_months(start, spec.resources.horizon_months)
    if rec["exit_date"] is not None:
        assert start < rec["exit_date"] <= horizon_end, f"{path.stem}: horizon does not cover the exit {rec['exit_date']}"
    else:
        assert horizon_end >= dt.date(2024, 1, 1), f"{path.stem}: a running mission's horizon must reach the present"
    if rec["relapse_date"] is not None and rec["exit_date"] is not None:
        assert rec["relapse_date"] >= start - dt.timedelta(days=730), f"{path.stem}: relapse long before the mission"
    reason = rec["exit_reason"]
    if reason == "host_consent":
        assert ex.triggers.host_consent is not None
    if reason == "contributor_tolerance":
        assert ex.triggers.contributor_tolerance is not None
    if reason == "budget":
        assert ex.triggers.expenditure_ceiling is not None
    if reason == "deadline":
        assert ex.strategy in ("end_date", "hybrid") and ex.end_date is not None
    if reason == "thresholds_met":
        assert ex.strategy in ("end_state", "hybrid") and ex.handover
    if reason == "running":
        assert ex.strategy == "end_state"
    assert ex.post_exit_years == 10
    for d in spec.politics.elections:
        assert d >= start


@pytest.mark.parametrize("path", CASE_FILES, ids=CASE_IDS)
def test_force_and_regions_are_plausible(path: Path) -> None:
    spec = load_spec(path)
    assert 3 <= len(spec.theatre.regions) <= 6
    assert 2 <= len(spec.force.contributors) <= 5
    if spec.force.command == "lead_state":
        assert spec.force.lead is not None
    personnel = {c.id: c.personnel for c in spec.force.contributors}
    assigned: dict[str, float] = {}
    for a in spec.tasks.assignments:
        assigned[a.contributor] = assigned.get(a.contributor, 0.0) + a.personnel
    for cid, total in personnel.items():
        assert total > 0
        # every contributor is put to work, most of it
        assert assigned.get(cid, 0.0) >= 0.8 * total, f"{path.stem}: {cid} assigned {assigned.get(cid, 0.0)} of {total}"
    for c in spec.force.contributors:
        assert c.cost_per_person_month > 0
