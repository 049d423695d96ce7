"""ACLED loader: each layout, monadic de-duplication, every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from endstate.data.acled import read_acled
from endstate.data.errors import DataFileError

CURRENT = "event_id_cnty,event_date,year,event_type,country,admin1,fatalities,timestamp\n"
LEGACY = "GWNO,EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,COUNTRY,ADMIN1,FATALITIES,,\n"


def _write(tmp_path: Path, text: str, name: str = "a.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "date",
    ["2020-12-30", "30 December 2020", "30/12/2020", "30/12/20"],
)
def test_every_date_layout_reads(tmp_path: Path, date: str) -> None:
    p = _write(tmp_path, CURRENT + f'X1,"{date}",2020,Battles,Mali,Gao,3,1\n')
    df = read_acled(p)
    assert str(df["date"].iloc[0].date()) == "2020-12-30"


def test_legacy_layout_and_old_event_types(tmp_path: Path) -> None:
    p = _write(tmp_path, LEGACY + "432,1MLI,29/12/2015,Battle-No change of territory,Mali,Gao,2,,\n432,2MLI,30/12/2015,Remote violence,Mali,Kidal,0,,\n")
    df = read_acled(p)
    assert list(df["event_type"]) == ["Battles", "Explosions/Remote violence"]


def test_monadic_rows_count_once_and_country_filter(tmp_path: Path) -> None:
    p = _write(tmp_path, CURRENT + "X1,2020-01-02,2020,Battles,Mali,Gao,3,1\nX1,2020-01-02,2020,Battles,Mali,Gao,3,1\nY1,2020-01-03,2020,Battles,Niger,Tillaberi,1,1\n")
    assert len(read_acled(p, "Mali")) == 1
    with pytest.raises(DataFileError, match="no events in 'Chad'"):
        read_acled(p, "Chad")


def test_every_problem_at_once(tmp_path: Path) -> None:
    p = _write(tmp_path, CURRENT + "X1,2020-13-45,2020,Battles,Mali,Gao,x,1\nX2,2020-01-01,2020,Battles,Mali,Gao,-1,1\n")
    with pytest.raises(DataFileError) as e:
        read_acled(p)
    where = {(q.line, q.column) for q in e.value.problems}
    assert {(2, "event_date"), (2, "fatalities"), (3, "fatalities")} <= where


def test_shared_files_read(data_dir: Path) -> None:
    for name in ("acled_all_africa_2016_jan_may.csv", "acled_battles_bdi_caf_mli_ssd_2007_2020.csv", "acled_car_1997_2022.csv", "acled_mali_2017_2020_monadic.csv", "acled_somalia_2025_2026.csv"):
        path = data_dir / name
        if not path.is_file():
            pytest.skip(f"{name} absent")
        df = read_acled(path)
        assert len(df) > 1000 and df["date"].notna().all()
    assert len(read_acled(data_dir / "acled_mali_2017_2020_monadic.csv")) == 3314
