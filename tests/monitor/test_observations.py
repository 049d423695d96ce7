"""The tidy observations file, its checks, and the builders from producers' data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from endstate.data.acled import read_acled
from endstate.monitor.observations import (
    ObservationError,
    RegionMapper,
    from_events,
    normalise_name,
    read_observations,
    read_sheet,
    write_observations,
)
from endstate.spec import MissionSpec

GOOD = "month,region,indicator,value,source,vintage\n2015-01,country,battle_deaths,12,ACLED,\n2015-01,centre,battle_deaths,3,ACLED,\n2015-01,country,battle_deaths,10,GED,23.1\n2015-01,country,battle_deaths,11,GED,24.1\n"


def test_reads_and_latest_vintage_wins(tmp_path: Path, spec: MissionSpec) -> None:
    p = tmp_path / "o.csv"
    p.write_text(GOOD, encoding="utf-8")
    obs = read_observations(p, spec)
    ged = obs[obs["source"] == "GED"]
    assert list(ged["value"]) == [11.0] and list(ged["vintage"]) == ["24.1"]
    out = tmp_path / "o.parquet"
    write_observations(obs, out)
    assert read_observations(out, spec).equals(obs)


def test_malformed_file_every_problem_at_once(tmp_path: Path, spec: MissionSpec) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("month,region,indicator,value,source\n2015-13,country,battle_deaths,3,A\n2015-01,nord,battle_death,-1,A\n2015-02,country,legitimacy,1.5,\n2015-02,country,legitimacy,0.5,A\n2015-02,country,legitimacy,0.4,A\n", encoding="utf-8")
    with pytest.raises(ObservationError) as e:
        read_observations(p, spec)
    got = {(q.line, q.column) for q in e.value.problems}
    assert got == {(2, "month"), (3, "indicator"), (3, "region"), (3, "value"), (4, "source"), (4, "value"), (6, "month")}
    assert "did you mean 'battle_deaths'" in str(e.value)


def test_missing_columns_reported(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("month,value\n2015-01,3\n", encoding="utf-8")
    with pytest.raises(ObservationError) as e:
        read_observations(p)
    assert {q.column for q in e.value.problems} == {"region", "indicator", "source"}


def test_admin1_names_map_and_unmapped_names_list_candidates(spec: MissionSpec) -> None:
    assert normalise_name("Mambéré-Kadéi province") == normalise_name("Mambere-Kadei")
    m = RegionMapper(spec)
    lines = pd.Series([2, 3, 4]).to_numpy()
    got = m.regions(pd.Series(["Ouaka province", "", "Bangui"]), lines, "f.csv", "admin1")
    assert got.iloc[0] == "centre" and pd.isna(got.iloc[1]) and got.iloc[2] == "bangui_west"
    with pytest.raises(ObservationError, match="closest: 'Ouaka'") as e:
        m.regions(pd.Series(["Ouakka", "Ouakka", "Bangui"]), lines, "f.csv", "admin1")
    assert len(e.value.problems) == 1 and e.value.problems[0].line == 2


def test_acled_events_to_monthly_regions(tmp_path: Path, spec: MissionSpec) -> None:
    p = tmp_path / "a.csv"
    p.write_text(
        "event_id_cnty,event_date,event_type,country,admin1,fatalities\nA,2015-01-03,Battles,CAR,Ouaka,4\nB,2015-01-09,Violence against civilians,CAR,Bangui,2\nC,2015-03-01,Battles,CAR,Vakaga,1\nD,2015-03-02,Protests,CAR,Bangui,0\n",
        encoding="utf-8",
    )
    obs = from_events(read_acled(p), spec, "ACLED", "acled", str(p))
    bd = obs[(obs["indicator"] == "battle_deaths") & (obs["region"] == "country")].set_index("month")["value"]
    assert list(bd) == [4.0, 0.0, 1.0]  # February had no events: a zero
    assert obs[(obs["region"] == "centre") & (obs["indicator"] == "battle_deaths")]["value"].sum() == 4.0


def test_indicator_sheet(tmp_path: Path, spec: MissionSpec) -> None:
    p = tmp_path / "cpas.csv"
    p.write_text("month,region,legitimacy,domestic_force_quality\n2015-01,,0.3,\n2015-02,country,0.35,0.2\n", encoding="utf-8")
    obs = read_sheet(p, spec)
    assert len(obs) == 3 and set(obs["source"]) == {"cpas.csv"}
    p.write_text("month,legitimacy,legitimcy\n2015-01,1.3,0.1\n", encoding="utf-8")
    with pytest.raises(ObservationError, match="legitimcy"):
        read_sheet(p, spec)
    p.write_text("month,legitimacy\n2015-01,1.3\n", encoding="utf-8")
    with pytest.raises(ObservationError) as e:
        read_sheet(p, spec)
    assert e.value.problems[0].file == str(p) and e.value.problems[0].line == 2


_CELL = st.one_of(st.sampled_from(["2015-01", "2015-13", "country", "centre", "battle_deaths", "legitimacy", "ACLED", "", "-1", "0.5", "1e400", "x", '"', "nan"]), st.text(max_size=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELL, min_size=0, max_size=8), max_size=6))
def test_no_input_gives_a_traceback(tmp_path: Path, spec: MissionSpec, rows: list[list[str]]) -> None:
    p = tmp_path / "fuzz.csv"
    body = "\n".join(",".join(r) for r in rows)
    p.write_text("month,region,indicator,value,source,vintage,uncertainty\n" + body + "\n", encoding="utf-8")
    try:
        obs = read_observations(p, spec)
    except ObservationError as e:
        assert e.problems and all(q.file == str(p) for q in e.problems)
    else:
        assert set(obs["region"]) <= {*spec.region_ids, "country"}
