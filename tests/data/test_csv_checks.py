"""The shared CSV checks: every problem named by file, line and column."""

from __future__ import annotations

import pytest

from endstate.data import DataFileError, read_un_operations, read_vdem, shared_data_dir
from endstate.data._csv import Col, parse, read_checked
from endstate.data.errors import MAX_LISTED
from endstate.data.paths import ENV_VAR

COLS = [Col("id", kind="int", not_null=True), Col("x", kind="float"), Col("day", kind="date"), Col("label", required=False)]
HEADER = "id,x,day,label\n"


def test_good_file_types(write):
    df = read_checked(write(HEADER + "1,2.5,2001-02-03,a\n2,,2001-02-04,\n"), COLS, "test file")
    assert list(df.columns) == ["id", "x", "day", "label"]
    assert str(df["id"].dtype) == "Int64" and df["x"].dtype == "float64"
    assert df["day"].iloc[1].isoformat() == "2001-02-04T00:00:00"
    assert df["x"].isna().iloc[1] and df["label"].isna().iloc[1]


def test_bad_number_and_date_named_by_line_and_column(write):
    path = write(HEADER + "1,2.5,2001-02-03,a\n2,abc,2001-02-04,b\n3,1,2001-13-01,c\n")
    with pytest.raises(DataFileError) as e:
        read_checked(path, COLS, "test file")
    msgs = [str(p) for p in e.value.problems]
    assert f"{path}:3: column 'x': cannot read 'abc' as a number" in msgs
    assert any(m.startswith(f"{path}:4: column 'day': cannot read '2001-13-01' as a date (yyyy-mm-dd)") for m in msgs)
    assert str(path) in str(e.value)


def test_whole_number_required(write):
    with pytest.raises(DataFileError, match=r":2: column 'id': cannot read '1.5' as a whole number"):
        read_checked(write(HEADER + "1.5,2,2001-02-03,a\n"), COLS, "test file")


def test_missing_required_column_is_line_1(write):
    path = write("id,day\n1,2001-01-01\n")
    with pytest.raises(DataFileError) as e:
        read_checked(path, COLS, "test file")
    assert [str(p) for p in e.value.problems] == [f"{path}:1: column 'x': required column is missing"]


def test_truncated_and_ragged_rows(write):
    path = write(HEADER + "1,2,2001-01-01,a\n2,3\n3,4,2001-01-03,c,extra\n4,zz,2001-01-04,d\n5,5,20")
    with pytest.raises(DataFileError) as e:
        read_checked(path, COLS, "test file")
    msgs = [str(p) for p in e.value.problems]
    assert f"{path}:3: column 'day': expected 4 fields, found 2: the row is cut short" in msgs
    assert f"{path}:4: expected 4 fields, found 5: the row has extra fields" in msgs
    assert f"{path}:6: column 'label': expected 4 fields, found 3: the row is cut short" in msgs
    # rows after a skipped one keep their true line numbers
    assert f"{path}:5: column 'x': cannot read 'zz' as a number" in msgs


def test_quoted_newlines_keep_line_numbers(write):
    path = write(HEADER + '1,2,2001-01-01,"two\nlines"\n2,bad,2001-01-02,x\n')
    with pytest.raises(DataFileError) as e:
        read_checked(path, COLS, "test file")
    assert [p.line for p in e.value.problems] == [4]


def test_every_problem_kept_message_capped(write):
    rows = "".join(f"{i},bad{i},2001-01-01,a\n" for i in range(30))
    with pytest.raises(DataFileError) as e:
        read_checked(write(HEADER + rows), COLS, "test file")
    assert len(e.value.problems) == 30
    assert f"... and {30 - MAX_LISTED} more" in str(e.value)
    assert [p.line for p in e.value.problems] == list(range(2, 32))


def test_allowed_values_and_not_null(write):
    cols = [Col("id", kind="int", not_null=True, allowed=frozenset({1, 2}))]
    with pytest.raises(DataFileError) as e:
        read_checked(write('id\n1\n3\n""\n'), cols, "test file")
    msgs = [p.message for p in e.value.problems]
    assert msgs == ["'3' is not one of: 1, 2", "a value is required"]


def test_missing_file_and_empty_file(write, tmp_path):
    with pytest.raises(DataFileError, match="cannot read the file"):
        read_checked(tmp_path / "nope.csv", COLS, "test file")
    with pytest.raises(DataFileError, match="empty or has no header"):
        read_checked(write(""), COLS, "test file")


def test_windows_1252_and_bom_are_read(write):
    parsed = parse(
        write("\ufeffid,label\r\n1,C\xf4te d'Ivoire\r\n".encode("cp1252", errors="ignore")), [Col("id", kind="int"), Col("label")]
    )
    assert parsed.frame["label"].iloc[0] == "Côte d'Ivoire"
    bom = parse(write("\ufeffid,label\n1,a\n".encode("utf-8")), [Col("id", kind="int")])
    assert not bom.problems and bom.frame["id"].iloc[0] == 1


def test_loader_decimal_comma_and_yes_no(write):
    path = write(
        "id,mission_acronym,mission_name,lead_department,mission_isactive,start_date,end_date,mission_location,mission_longitude,mission_latitude,last_update\n"
        '1,UNX,United Nations X,DPO,NO,2001-01-01,,Town,"15,9833","45,8167",2024-02-19\n'
        "2,UNY,United Nations Y,DPO,maybe,2001-01-01,,,,,2024-02-19\n"
    )
    with pytest.raises(DataFileError, match=r":3: column 'mission_isactive': cannot read 'maybe' as yes/no"):
        read_un_operations(path)


def test_loader_reports_every_column(write):
    path = write('"iso3c","year","v2x_polyarchy"\n"LBR",2010,0.6\n"LBR",twenty,high\n')
    with pytest.raises(DataFileError) as e:
        read_vdem(path)
    assert {(p.line, p.column) for p in e.value.problems} == {(3, "year"), (3, "v2x_polyarchy")}


def test_duplicate_column(write):
    with pytest.raises(DataFileError, match=r":1: column 'id': the column appears more than once"):
        read_checked(write("id,id,x,day\n1,2,3,2001-01-01\n"), COLS, "test file")


def test_unreadable_csv_is_an_error_not_a_crash(write):
    with pytest.raises(DataFileError, match="cannot be read as CSV"):
        read_checked(write(HEADER + "1,2,2001-01-01," + "x" * 3_000_000 + "\n"), COLS, "test file")
    never_closed = HEADER + '1,2,2001-01-01,"open\n' + "2,3,2001-01-02,y\n" * 20_000
    with pytest.raises(DataFileError, match=r":2: a quoted value is never closed"):
        read_checked(write(never_closed), COLS, "test file")
    with pytest.raises(DataFileError, match=r":3: a quoted value is never closed.*cut short"):
        read_checked(write(HEADER + '1,2,2001-01-01,a\n2,3,2001-01-02,"cut'), COLS, "test file")


def test_shared_data_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert shared_data_dir() == tmp_path
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "absent"))
    found = shared_data_dir()
    assert found is None or (found.name == "data" and found.parent.name == "shared")
