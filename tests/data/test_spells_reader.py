"""The peace-spell reader: strict checks, every problem listed, documented defaults."""

from __future__ import annotations

import pandas as pd
import pytest

from endstate.data import SPELL_COLUMNS, SPELL_DEFAULTS, DataFileError, SpellFileError, read_spells, write_spells
from endstate.data.spells import FALLBACK_WAR_DEATHS, prior_relapses

HEADER = ",".join(SPELL_COLUMNS) + "\n"
GOOD = HEADER + (
    "lbr-2003,Liberia,2003-08-18,settlement,150000,14,1,multidimensional,un,2003-09-01,2018-03-01,2020-12-31,0\n"
    "ago-1991,Angola,1991-05-31,settlement,,16,,observer,,1991-06-01,,1992-10-31,1\n"
    "som-1991,Somalia,1991-01-26,victory,50000,,0,,,,,1993-06-05,1\n"
    "x-1,Xland,2000-01-01,truce,,,1,none,none,,,2001-01-01,1\n"
)


def test_good_file_and_defaults(write):
    df = read_spells(write(GOOD))
    assert list(df.columns) == SPELL_COLUMNS and len(df) == 4
    ago = df.set_index("case_id").loc["ago-1991"]
    assert ago["war_deaths"] == 100000.0  # median of 150,000 and 50,000
    assert ago["ethnic_war"] == 0 and ago["mission_org"] == "un"
    assert ago["mission_start"] == pd.Timestamp("1991-06-01") and pd.isna(ago["mission_end"])
    som = df.set_index("case_id").loc["som-1991"]
    assert som["mission_type"] == "none" and som["mission_org"] == "none" and pd.isna(som["mission_start"])
    assert som["war_duration_years"] == 15.0  # median of 14 and 16
    assert df["relapsed"].dtype == "int64" and df["ethnic_war"].dtype == "int64"
    assert df["peace_start"].dtype.kind == "M" and df["war_deaths"].dtype == "float64"
    assert df.attrs["defaulted"] == {
        "war_deaths": 2,
        "war_duration_years": 2,
        "ethnic_war": 1,
        "mission_type": 1,
        "mission_org": 1,
    }


def test_optional_columns_may_be_absent_unknown_ignored(write):
    df = read_spells(
        write("case_id,country,peace_start,war_outcome,end_date,relapsed,notes\na,A,2000-01-01,truce,2003-05-01,1,hello\n")
    )
    row = df.iloc[0]
    assert row["war_deaths"] == FALLBACK_WAR_DEATHS and row["mission_type"] == "none" and row["mission_org"] == "none"
    assert "notes" not in df.columns


def test_mission_start_default_is_peace_start(write):
    df = read_spells(write(HEADER + "a,A,2000-01-01,truce,,,,observer,un,,,2003-05-01,1\n"))
    assert df["mission_start"].iloc[0] == pd.Timestamp("2000-01-01")


def test_every_problem_listed(write):
    path = write(
        HEADER
        + "a,A,2000-01-01,stalemate,100,2,0,none,,,,2003-01-01,1\n"  # 2: unknown outcome
        + "b,B,2000-01-01,truce,100,2,0,peacekeeping,un,,,1999-01-01,1\n"  # 3: unknown type, end before start
        + "c,C,2000-01-01,truce,many,2,0,observer,nato,2001-05-01,2001-01-01,2003-01-01,2\n"  # 4: number, org, window, relapsed
        + "a,D,2000-13-01,victory,-5,2,3,none,un,2001-01-01,,2003-01-01,yes\n"  # 5: duplicate, date, negative, ethnic, org, start, relapsed
        + "e,,2000-01-01,victory,1,1,0,traditional,none,1990-01-01,1995-01-01,2003-01-01,0\n"  # 6: country, org none, window
    )
    with pytest.raises(SpellFileError) as e:
        read_spells(path)
    got = {(p.line, p.column, p.message) for p in e.value.problems}
    expected = {
        (2, "war_outcome", "'stalemate' is not one of: settlement, truce, victory"),
        (
            3,
            "mission_type",
            "'peacekeeping' is not one of: enforcement, multidimensional, none, observer, political, traditional",
        ),
        (3, "end_date", "end_date 1999-01-01 is before peace_start 2000-01-01"),
        (4, "war_deaths", "cannot read 'many' as a finite number"),
        (4, "mission_org", "'nato' is not one of: lead_state, none, regional, un"),
        (4, "mission_end", "mission_end 2001-01-01 is before mission_start 2001-05-01"),
        (4, "relapsed", "'2' is not one of: 0, 1"),
        (5, "case_id", "case_id 'a' is already used on line 2"),
        (5, "peace_start", "cannot read '2000-13-01' as a date (yyyy-mm-dd)"),
        (5, "war_deaths", "war_deaths cannot be negative (-5)"),
        (5, "ethnic_war", "'3' is not one of: 0, 1"),
        (5, "mission_org", "mission_org 'un' is given but mission_type is 'none'"),
        (5, "mission_start", "mission_start is given but mission_type is 'none'"),
        (5, "relapsed", "cannot read 'yes' as a whole number"),
        (6, "country", "a value is required"),
        (6, "mission_org", "mission_org is 'none' but mission_type is 'traditional'"),
        (6, "mission_end", "mission_end 1995-01-01 is before peace_start 2000-01-01: the mission is not in the spell"),
    }
    assert got == expected
    assert all(p.file == str(path) for p in e.value.problems)
    assert isinstance(e.value, DataFileError) and e.value.problems == sorted(e.value.problems, key=lambda p: (p.line, p.column))


def test_missing_required_columns(write):
    path = write("case_id,country,peace_start,relapsed\na,A,2000-01-01,0\n")
    with pytest.raises(SpellFileError) as e:
        read_spells(path)
    assert [str(p) for p in e.value.problems] == [
        f"{path}:1: column 'end_date': required column is missing",
        f"{path}:1: column 'war_outcome': required column is missing",
    ]


def test_mission_after_spell(write):
    with pytest.raises(SpellFileError, match="mission_start 2005-01-01 is after end_date 2003-01-01"):
        read_spells(write(HEADER + "a,A,2000-01-01,truce,,,,observer,un,2005-01-01,,2003-01-01,1\n"))


def test_round_trip(write, tmp_path):
    df = read_spells(write(GOOD))
    out = tmp_path / "again.csv"
    write_spells(df.assign(extra="kept"), out)
    text = out.read_text()
    assert text.splitlines()[0] == ",".join([*SPELL_COLUMNS, "extra"])
    assert "150000," in text and ",2003-09-01,2018-03-01," in text
    pd.testing.assert_frame_equal(read_spells(out), df, check_dtype=False)


def test_write_needs_required_columns(tmp_path):
    with pytest.raises(ValueError, match="relapsed"):
        write_spells(pd.DataFrame({c: [] for c in SPELL_COLUMNS if c != "relapsed"}), tmp_path / "x.csv")


def test_every_optional_column_has_a_documented_default():
    optional = set(SPELL_COLUMNS) - {"case_id", "country", "peace_start", "war_outcome", "end_date", "relapsed"}
    assert set(SPELL_DEFAULTS) == optional
    assert all(d.value and len(d.reason) > 20 for d in SPELL_DEFAULTS.values())


def test_prior_relapses_count_the_countrys_earlier_failed_peaces(write):
    text = HEADER + (
        "a-1,A,1990-01-01,truce,,,,,,,,1992-06-01,1\n"  # fails in 1992
        "a-2,A,1993-01-01,truce,,,,,,,,1994-01-01,1\n"  # one earlier failure; fails in 1994
        "a-3,A,1994-06-01,victory,,,,,,,,2010-01-01,0\n"  # two earlier failures
        "a-4,A,1991-01-01,victory,,,,,,,,2012-01-01,0\n"  # began before any failure: 0 (a later one is not known yet)
        "b-1,B,1995-01-01,settlement,,,,,,,,2000-01-01,0\n"  # another country: 0
    )
    df = read_spells(write(text))
    assert "prior_relapses" not in df.columns
    assert list(prior_relapses(df)) == [0, 1, 2, 0, 0]
    lines = text.splitlines()
    given_text = "\n".join([lines[0] + ",prior_relapses", *(r + "," for r in lines[1:-1]), lines[-1] + ",4"]) + "\n"
    given = read_spells(write(given_text))
    assert list(prior_relapses(given)) == [0, 1, 2, 0, 4]  # a given cell wins; empty cells are counted


def test_prior_relapses_must_be_a_count(write):
    with pytest.raises(SpellFileError, match="prior_relapses"):
        read_spells(write(HEADER.strip() + ",prior_relapses\na,A,2000-01-01,truce,,,,,,,,2003-05-01,1,-1\n"))
