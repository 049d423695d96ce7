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
    assert f"{path}:3: column 'x': cannot read 'abc' as a finite number" in msgs
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
    assert f"{path}:5: column 'x': cannot read 'zz' as a finite number" in msgs


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
    with pytest.raises(DataFileError, match="file not found"):
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
    with pytest.raises(DataFileError, match=r":2: line 2 is 3,000,015 characters long, over the limit of 100,000"):
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


# --- files that cannot be half-right -----------------------------------------


def test_header_only_file_refused(write):
    with pytest.raises(DataFileError, match="the file has a header line but no data rows"):
        read_checked(write(HEADER), COLS, "test file")


def test_repeated_rows_and_keys_named_with_the_first_line(write):
    text = HEADER + "1,2,2001-01-01,a\n2,3,2001-01-02,b\n1,2,2001-01-01,a\n"
    with pytest.raises(DataFileError) as err:
        read_checked(write(text), COLS, "test file")
    assert [str(p).split(": ", 1)[1] for p in err.value.problems] == ["the row repeats line 2"]
    assert err.value.problems[0].line == 4
    with pytest.raises(DataFileError) as err:
        read_checked(write(HEADER + "1,2,2001-01-01,a\n1,5,2001-02-01,b\n"), COLS, "test file", key=("id",))
    assert [(p.line, p.message) for p in err.value.problems] == [(3, "id repeats those of line 2")]


def test_counts_and_years_bounded(write):
    cols = [Col("id", kind="int", not_null=True), Col("n", kind="int", low=0), Col("year", kind="int", low=1900, high=2100)]
    with pytest.raises(DataFileError) as err:
        read_checked(write("id,n,year\n1,-5,2000\n2,3,9999\n"), cols, "test file")
    assert [(p.line, p.column, p.message) for p in err.value.problems] == [
        (2, "n", "'-5' cannot be negative"),
        (3, "year", "'9999' must be at most 2100"),
    ]


def test_dates_outside_1900_2100_and_infinite_numbers_refused(write):
    with pytest.raises(DataFileError) as err:
        read_checked(write(HEADER + "1,inf,1500-01-01,a\n2,-inf,9999-12-31,b\n"), COLS, "test file")
    msgs = sorted((p.line, p.column, p.message) for p in err.value.problems)
    assert msgs == [
        (2, "day", "'1500-01-01' is out of range: dates must lie in 1900-2100"),
        (2, "x", "cannot read 'inf' as a finite number"),
        (3, "day", "'9999-12-31' is out of range: dates must lie in 1900-2100"),
        (3, "x", "cannot read '-inf' as a finite number"),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("id,x\n1,2\n".encode("utf-16"), "the file is UTF-16 text (byte-order mark found); save it as UTF-8"),
        ("id,x\n1,2\n".encode("utf-16-le"), "NUL byte found: this looks like UTF-16 text without a byte-order mark"),
        (b"id,x,day,label\n1,2,2001-01-01,a\x00b\n", "NUL byte found: this looks like a binary file"),
        (b"id,x,day,label\n1,2,2001-01-01,\x81\x8d\x8f\n", "not UTF-8 or cp1252 text: byte 0x81 cannot be read"),
        (b"id;x;day;label\n1;2;2001-01-01;a\n", "the delimiter looks like ';', not ','"),
        (b"id\tx\tday\tlabel\n1\t2\t2001-01-01\ta\n", "the delimiter looks like a tab, not ','"),
    ],
    ids=["utf16-bom", "utf16-no-bom", "nul", "undecodable", "semicolon", "tab"],
)
def test_unreadable_encodings_and_delimiters_named(write, raw, message):
    with pytest.raises(DataFileError) as err:
        read_checked(write(raw), COLS, "test file")
    [problem] = err.value.problems
    assert message in problem.message


def test_special_files_refused_unread(tmp_path):
    import os

    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataFileError, match="refused: this is a FIFO"):
        read_checked(fifo, COLS, "test file")
    with pytest.raises(DataFileError, match="refused: this is a folder"):
        read_checked(tmp_path, COLS, "test file")
