"""UCDP GED / Candidate loader: dates, vintages, the latest release wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from endstate.data.errors import DataFileError
from endstate.data.ucdp_ged import latest_events, read_ucdp_ged, vintage_from_name, vintage_key

HEAD = "id,date_start,country,adm_1,type_of_violence,best,low,high\n"


def _write(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(HEAD + body, encoding="utf-8")
    return p


def test_vintage_names_and_order() -> None:
    assert vintage_from_name("GEDEvent_v23_1.csv") == "23.1"
    assert vintage_from_name("GEDEvent_v24_0_3.csv") == "24.0.3"
    assert vintage_key("24.0.3") > vintage_key("23.1")


def test_date_forms_and_missing_vintage(tmp_path: Path) -> None:
    p = _write(tmp_path, "ged_v23_1.csv", "1,2009-02-20 00:00:00.000,CAR,Ouaka province,1,3,3,3\n2,2009-02-21T00:00:00,CAR,,3,2,2,2\n")
    df = read_ucdp_ged(p)
    assert list(df["vintage"]) == ["23.1", "23.1"] and df["date"].notna().all()
    with pytest.raises(DataFileError, match="vintage"):
        read_ucdp_ged(_write(tmp_path, "ged.csv", "1,2009-02-20,CAR,,1,3,3,3\n"))


def test_bad_rows_all_reported(tmp_path: Path) -> None:
    p = _write(tmp_path, "ged_v23_1.csv", "1,2009-02-xx,CAR,,4,-3,3,3\n")
    with pytest.raises(DataFileError) as e:
        read_ucdp_ged(p)
    assert {q.column for q in e.value.problems} >= {"date_start", "type_of_violence", "best"}


def test_latest_release_wins_and_drops_within_its_span(tmp_path: Path) -> None:
    old = read_ucdp_ged(_write(tmp_path, "ged_v23_1.csv", "1,2020-01-05,CAR,,1,10,10,10\n2,2020-02-05,CAR,,1,5,5,5\n3,2015-01-01,CAR,,1,7,7,7\n"))
    new = read_ucdp_ged(_write(tmp_path, "cand_v24_0_1.csv", "1,2020-01-05,CAR,,1,12,12,12\n4,2020-03-05,CAR,,1,1,1,1\n"))
    ev = latest_events([old, new])
    assert dict(zip(ev["event_id"], ev["best"], strict=True)) == {"3": 7, "1": 12, "4": 1}


def test_shared_car_file(data_dir: Path) -> None:
    path = data_dir / "ucdp_ged_v23_1_car_converted.csv"
    if not path.is_file():
        pytest.skip("GED file absent")
    df = read_ucdp_ged(path)
    assert len(df) == 1848 and df["vintage"].iloc[0] == "23.1"
