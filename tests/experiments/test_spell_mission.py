"""Tests for endstate.experiments.spell_mission: a peace spell row as a valid mission spec."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from endstate.experiments.spell_mission import (
    ELECTION_CALENDARS,
    ELECTION_MONTHS,
    MANDATE_AFTER_ELECTION_MONTHS,
    PEAK_PERSONNEL,
    POLICE_SHARE,
    TASK_SHARES,
    add_months,
    calendar_months,
    holdout_fighters,
    months_between,
    spell_inputs,
    spell_spec,
    typical_peak_personnel,
)
from endstate.spec import MissionSpec
from endstate.types import MISSION_ORGS, MISSION_TYPES, TASKS


def row(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "case_id": "t-1",
        "country": "Testland",
        "peace_start": pd.Timestamp("1995-03-15"),
        "war_outcome": "settlement",
        "war_deaths": 5000.0,
        "war_duration_years": 4.0,
        "ethnic_war": 1,
        "mission_type": "none",
        "mission_org": "none",
        "mission_start": pd.NaT,
        "mission_end": pd.NaT,
        "end_date": pd.Timestamp("2005-06-30"),
        "relapsed": 0,
    }
    return base | kw


def personnel(spec: MissionSpec) -> float:
    return sum(a.personnel for a in spec.tasks.assignments)


@pytest.mark.parametrize("org", [o for o in MISSION_ORGS if o != "none"])
@pytest.mark.parametrize("mtype", [t for t in MISSION_TYPES if t != "none"])
def test_every_mission_type_and_org_gives_a_valid_spec(mtype: str, org: str) -> None:
    spec = spell_spec(row(mission_type=mtype, mission_org=org, mission_start=pd.Timestamp("1995-01-01"), mission_end=pd.Timestamp("1998-03-15")))
    assert isinstance(spec, MissionSpec)
    assert spec.mission.start_date == dt.date(1995, 3, 15)
    assert personnel(spec) > 0
    assert spec.force.command == ("lead_state" if org == "lead_state" else "committee")
    assert spec.month_of(spec.exit.end_date) == 36  # present from the peace to mission_end


def test_no_mission_is_a_token_force_that_leaves_at_once() -> None:
    spec = spell_spec(row())
    assert spec.tasks.assignments == []
    assert [c.personnel for c in spec.force.contributors] == [0.0]
    assert spec.month_of(spec.exit.end_date) == 1


def test_force_grows_from_observer_to_enforcement() -> None:
    size = {t: personnel(spell_spec(row(mission_type=t, mission_org="un"))) for t in MISSION_TYPES if t != "none"}
    assert size["multidimensional"] > size["observer"]
    assert size["political"] < size["observer"] < size["traditional"] < size["multidimensional"] < size["enforcement"]
    # per 1,000 inhabitants, as derived (IPI peaks over the default population)
    spec = spell_spec(row(mission_type="multidimensional", mission_org="un"))
    assert personnel(spec) / spec.theatre.population * 1000 == pytest.approx(PEAK_PERSONNEL["multidimensional"] / 1e7 * 1000)


def test_task_shares_are_complete_and_known() -> None:
    for mtype, parts in TASK_SHARES.items():
        for part, shares in parts.items():
            assert set(shares) <= set(TASKS)
            if shares:
                assert sum(shares.values()) == pytest.approx(1.0), (mtype, part)
        assert (POLICE_SHARE[mtype] > 0) <= bool(parts["police"])


def test_presence_window_and_horizon() -> None:
    open_ended = spell_spec(row(mission_type="traditional", mission_org="regional"), horizon=120)
    assert open_ended.resources.horizon_months == 120
    assert open_ended.month_of(open_ended.exit.end_date) > 120  # still there at the horizon
    assert open_ended.exit.post_exit_years * 12 >= 120
    default = spell_spec(row())
    assert default.resources.horizon_months == months_between(dt.date(1995, 3, 15), dt.date(2005, 6, 30))
    # a mission that arrived two years after the peace is modelled as present from the peace
    late = spell_spec(row(mission_type="observer", mission_org="un", mission_start=pd.Timestamp("1997-03-15"), mission_end=pd.Timestamp("1999-03-15")))
    assert late.mission.start_date == dt.date(1995, 3, 15)
    assert late.month_of(late.exit.end_date) == 48


def test_understanding_comes_from_the_spell() -> None:
    spec = spell_spec(row(war_outcome="truce", war_deaths=40000.0, war_duration_years=0.0, ethnic_war=0))
    u = spec.understanding
    assert u.war_outcome == "truce"
    assert u.identity_war is False
    assert u.war_duration_years.value == pytest.approx(1 / 12)  # at least a month
    assert u.spoilers[0].strength.median == holdout_fighters(40000.0)
    assert u.prior_relapses == 0  # no prior_relapses in the row: none
    assert spell_spec(row(prior_relapses=3)).understanding.prior_relapses == 3


def test_holdout_fighters_grow_with_deaths_in_half_decades() -> None:
    values = [holdout_fighters(d) for d in (10, 25, 1400, 1e4, 1e5, 1e6)]
    assert values == sorted(values)
    assert holdout_fighters(10) == holdout_fighters(25)
    # too few to fight a war: 10,000 fighters at the model's 0.004 battle deaths a month each is under 1,000 a year
    assert holdout_fighters(1e6) * 0.004 * 12 < 1000
    assert 100 <= holdout_fighters(1400) <= 1000


def test_spells_differing_only_in_static_features_share_a_shape() -> None:
    a, sa = spell_inputs(row(war_outcome="victory", war_deaths=5000.0), 120)
    b, sb = spell_inputs(row(war_outcome="truce", war_deaths=5200.0, war_duration_years=9.0, case_id="t-2"), 120)
    assert a == b and sa != sb
    c, _ = spell_inputs(row(ethnic_war=0), 120)
    assert c != a
    d, sd = spell_inputs(row(war_outcome="victory", war_deaths=5000.0, prior_relapses=2), 120)
    assert d == a and sd.prior_relapses == 2 and sd != sa  # earlier failed peaces enter only the static hazard


@pytest.mark.parametrize("day", [1, 15, 28, 29, 30, 31])
def test_add_months_inverts_months_between(day: int) -> None:
    for year in (2000, 2001):
        for month in range(1, 13):
            try:
                start = dt.date(year, month, day)
            except ValueError:
                continue
            for k in range(40):
                assert months_between(start, add_months(start, k)) == k


def test_force_ratios_are_derived_from_the_mission_data(data_dir: Path) -> None:
    from endstate.data import mission_table, read_ipi_mission_month, read_peace_operations_month, read_un_operations

    missions = mission_table(
        read_un_operations(data_dir / "un_peacekeeping_operations.csv"),
        read_ipi_mission_month(data_dir / "ipi_mission_month.csv"),
        read_peace_operations_month(data_dir / "peace_operations_conflict_month.csv"),
    )
    derived = typical_peak_personnel(missions)
    for mtype, peak in PEAK_PERSONNEL.items():
        assert derived.loc[mtype, "peak_personnel"] == pytest.approx(peak)
        assert derived.loc[mtype, "police_share"] == pytest.approx(POLICE_SHARE[mtype], abs=0.005)


def test_the_electoral_calendar_is_the_median_of_the_listed_agreements() -> None:
    # agreement -> vote and vote -> mandate end, in whole months, from the dates in the table
    to_vote = [months_between(dt.date.fromisoformat(a), dt.date.fromisoformat(v)) for _, a, v, _ in ELECTION_CALENDARS]
    to_end = [months_between(dt.date.fromisoformat(v), dt.date.fromisoformat(e)) for _, _, v, e in ELECTION_CALENDARS]
    assert sorted(to_vote) == [8, 10, 17, 19, 21, 24, 26] and sorted(to_end) == [1, 4, 4, 9, 12, 13, 14]
    assert (ELECTION_MONTHS, MANDATE_AFTER_ELECTION_MONTHS) == calendar_months() == (19, 9)
    assert calendar_months(ELECTION_CALENDARS[:1]) == (10, 4)  # UNTAG alone


@pytest.mark.parametrize("year", [1992, 1999])
def test_a_multidimensional_mission_before_2000_leaves_on_the_electoral_calendar(year: int) -> None:
    start = dt.date(year, 5, 31)
    spec = spell_spec(row(peace_start=pd.Timestamp(start), mission_type="multidimensional", mission_org="un"), horizon=240,
                      exit_rule="end_state")
    vote = add_months(start, ELECTION_MONTHS)
    assert spec.politics.elections == [vote]
    assert spec.exit.strategy == "hybrid" and spec.exit.end_date == add_months(vote, MANDATE_AFTER_ELECTION_MONTHS)
    assert spec.exit.triggers.deadline is not None and spec.exit.triggers.deadline.within_months == 0
    assert spec.exit.handover and spec.exit.triggers.host_consent is not None  # benchmarks and consent still count


def test_from_2000_a_mission_leaves_on_benchmarks_with_the_same_vote_and_no_deadline() -> None:
    start = dt.date(2000, 1, 1)
    spec = spell_spec(row(peace_start=pd.Timestamp(start), mission_type="multidimensional", mission_org="un"), horizon=240,
                      exit_rule="end_state")
    assert spec.politics.elections == [add_months(start, ELECTION_MONTHS)]
    assert spec.exit.strategy == "end_state" and spec.exit.end_date is None and spec.exit.triggers.deadline is None


@pytest.mark.parametrize("mtype", ["observer", "traditional", "enforcement"])
def test_other_operations_have_no_electoral_calendar(mtype: str) -> None:
    spec = spell_spec(row(mission_type=mtype, mission_org="un"), horizon=240, exit_rule="end_state")
    assert spec.politics.elections == [] and spec.exit.strategy == "end_state" and spec.exit.triggers.deadline is None


def test_the_end_date_mapping_has_no_election_and_no_benchmarks() -> None:
    spec = spell_spec(row(mission_type="multidimensional", mission_org="un"))
    assert spec.politics.elections == [] and spec.goals == [] and spec.exit.strategy == "end_date"


def test_the_end_state_host_starts_with_its_old_police_only() -> None:
    r = row(mission_type="multidimensional", mission_org="un")
    by_date, by_state = spell_spec(r), spell_spec(r, horizon=240, exit_rule="end_state")
    assert by_state.understanding.army.size == 0.0 and by_state.understanding.police.size == by_date.understanding.police.size
    assert by_date.understanding.army.size > 0  # the backtest's mapping keeps the baseline army its calibration was fitted with
