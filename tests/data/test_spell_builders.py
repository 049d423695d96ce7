"""The spell builders: files the reader accepts, plausible relapse shares (printed: run with -s)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from endstate.data import (
    SPELL_COLUMNS,
    read_spells,
    relapse_summary,
    spells_from_doyle_sambanis,
    spells_from_ucdp_termination,
    write_spells,
)
from endstate.data.spells import _ds_peace_start

T = pd.Timestamp


@pytest.fixture(scope="module")
def ucdp_spells(termination, battle_deaths, missions) -> pd.DataFrame:
    return spells_from_ucdp_termination(termination, battle_deaths, missions)


@pytest.fixture(scope="module")
def ds_spells(doyle_sambanis) -> pd.DataFrame:
    return spells_from_doyle_sambanis(doyle_sambanis)


def _show(title: str, df: pd.DataFrame) -> None:
    print(
        f"\n{title}\n{relapse_summary(df, 5.0, 'war_outcome').to_string()}\n{relapse_summary(df, 5.0, 'mission_type').to_string()}"
    )


def test_ucdp_spells_read_back(ucdp_spells: pd.DataFrame, tmp_path: Path):
    path = tmp_path / "ucdp.csv"
    write_spells(ucdp_spells, path)
    back = read_spells(path)
    assert len(back) == len(ucdp_spells) == 435
    assert back["case_id"].is_unique and list(back.columns) == [*SPELL_COLUMNS, "relapse_definition"]  # the builder names its definition


def test_ucdp_known_cases(ucdp_spells: pd.DataFrame):
    s = ucdp_spells.set_index("case_id")
    bol = s.loc["ucdp-200-1"]  # Bolivia 1946: rebel victory, new episode 1952
    assert (bol["peace_start"], bol["war_outcome"], bol["relapsed"], bol["end_date"]) == (
        T("1946-07-21"),
        "victory",
        1,
        T("1952-04-09"),
    )
    moz = s.loc["ucdp-332-1"]  # Mozambique: Rome accord 1992, ONUMOZ, RENAMO violence again in 2013
    assert (moz["war_outcome"], moz["mission_type"], moz["mission_name"]) == ("settlement", "multidimensional", "ONUMOZ")
    assert moz["relapsed"] == 1 and moz["end_date"].year == 2013
    lbr = s.loc["ucdp-341-3"]  # Liberia 2003
    assert (lbr["mission_name"], lbr["mission_start"], lbr["relapsed"], lbr["end_date"]) == (
        "UNMIL",
        T("2003-09-01"),
        0,
        T("2020-12-31"),
    )
    assert lbr["war_deaths"] > 1000  # summed from the battle-deaths file
    tls = s.loc["ucdp-330-3"]  # East Timor, located in Indonesia: matched through the territory
    assert tls["mission_name"] == "INTERFET" and tls["mission_org"] == "lead_state"
    assert pd.isna(s.loc["ucdp-200-1", "war_deaths"])  # before 1989: no battle-deaths data


def test_ucdp_shares_plausible(ucdp_spells: pd.DataFrame):
    _show("UCDP termination spells (relapse = new episode of the same conflict)", ucdp_spells)
    share = relapse_summary(ucdp_spells, 5.0, "war_outcome")["share"]
    assert share["victory"] < share["settlement"] < share["truce"]
    assert 0.25 < share["total"] < 0.6
    assert (ucdp_spells["end_date"] <= T("2020-12-31")).all()
    assert set(ucdp_spells["mission_type"]) >= {"none", "observer", "traditional", "multidimensional", "enforcement"}


def test_ucdp_variants(termination, battle_deaths, missions):
    country = spells_from_ucdp_termination(termination, battle_deaths, missions, relapse="country")
    conflict = spells_from_ucdp_termination(termination, battle_deaths, missions, min_intensity=2)
    _show("UCDP spells, relapse = any new intrastate episode in the country", country)
    _show("UCDP spells after wars (1,000+ deaths in a year)", conflict)
    assert country["relapsed"].mean() > 0.6
    assert len(conflict) < 435 and (conflict["max_intensity"] == 2).all()
    bare = spells_from_ucdp_termination(termination)
    assert (bare["mission_type"] == "none").all() and bare["war_deaths"].isna().all()


def test_doyle_sambanis_spells(ds_spells: pd.DataFrame, tmp_path: Path):
    _show("Doyle & Sambanis spells", ds_spells)
    path = tmp_path / "ds.csv"
    write_spells(ds_spells, path)
    back = read_spells(path)
    assert len(back) == 114
    s = back.set_index("case_id")
    moz = s.loc["ds-MOZ"]
    assert (moz["war_outcome"], moz["mission_type"], moz["mission_org"], moz["relapsed"]) == (
        "settlement",
        "multidimensional",
        "un",
        0,
    )
    assert moz["mission_start"] == moz["peace_start"]  # default: no dates in the data
    ang = s.loc["ds-ANG1"]  # Bicesse 1991, war again in 1992: relapse within 2 years, dated at 1 year
    assert ang["relapsed"] == 1 and (ang["end_date"] - ang["peace_start"]).days in (365, 366)
    assert "ds-AFG2" not in s.index and "ds-SOM2" not in s.index  # still at war: no spell
    share = relapse_summary(back, 5.0, "war_outcome")["share"]
    assert share["victory"] < share["settlement"] < share["truce"]
    assert (back["mission_type"] == "political").sum() > 0  # UN mediation only


def test_ds_peace_start():
    assert _ds_peace_start(1946, 1948, 24) == T("1948-07-01")  # Jan 1948 .. Dec 1948
    assert _ds_peace_start(1958, 1958, 4) == T("1958-08-31")  # between 1 May and 31 Dec 1958
    assert _ds_peace_start(1990, 1992, float("nan")) == T("1992-07-01")
