"""Each loader on the real file in ../shared/data: row counts and known values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from endstate.data import (
    read_acd,
    read_acd_reduced,
    read_freedom_house,
    read_geopko,
    read_ipi_contributor_month,
    read_vdem,
    read_wgi,
)

T = pd.Timestamp


def test_acd_v22(data_dir: Path):
    df = read_acd(data_dir / "ucdp_prio_acd_v22_1.csv")
    assert len(df) == 2568
    assert (df["year"].min(), df["year"].max()) == (1946, 2021)
    row = df[(df["conflict_id"] == 11342) & (df["year"] == 2012)].iloc[0]
    assert row["location"] == "India" and row["territory_name"] == "Garoland"
    assert row["ep_end_date"] == T("2012-12-21") and row["type_of_conflict"] == 3
    assert df["gwno_loc"].str.contains(",").any()  # code lists stay text


def test_acd_v25_reduced_labels_become_codes(data_dir: Path):
    df = read_acd_reduced(data_dir / "ucdp_acd_v25_1_reduced.csv")
    assert len(df) == 5652 and df["year"].max() == 2024
    assert set(df["type_of_conflict"].unique()) == {1, 2, 3, 4}
    assert set(df["incompatibility"].unique()) == {1, 2, 3}
    years = df.drop_duplicates(["conflict_id", "year"])
    assert (years["type_of_conflict"] == 3).sum() == 2004
    assert df.loc[0, "gwno_a"] == "750"


def test_termination_day_first_dates_and_outcomes(termination: pd.DataFrame):
    assert len(termination) == 2506
    ended = termination[termination["confterm"] == 1]
    assert len(ended) == 525 and ended["outcome"].notna().all()
    bolivia = ended[(ended["conflict_id"] == 200) & (ended["year"] == 1946)].iloc[0]
    assert bolivia["ependdate"] == T("1946-07-21") and bolivia["outcome"] == 4  # rebel victory
    mozambique = ended[(ended["conflict_id"] == 332) & (ended["year"] == 1992)].iloc[0]
    assert mozambique["ependdate"] == T("1992-10-19") and mozambique["outcome"] == 1  # Rome peace accord
    el_salvador = ended[ended["conflict_id"] == 316].sort_values("year").iloc[-1]
    assert el_salvador["ependdate"] == T("1991-11-18") and el_salvador["outcome"] == 1


def test_battle_deaths(battle_deaths: pd.DataFrame):
    assert len(battle_deaths) == 1403
    assert (battle_deaths["year"].min(), battle_deaths["year"].max()) == (1989, 2021)
    assert battle_deaths[(battle_deaths["conflict_id"] == 309) & (battle_deaths["year"] == 1989)]["bd_best"].sum() == 4253


def test_ipi_mission_month(ipi_month: pd.DataFrame):
    assert len(ipi_month) == 4657 and ipi_month["mission"].nunique() == 74
    assert (ipi_month["date"].min(), ipi_month["date"].max()) == (T("1990-11-30"), T("2014-02-28"))
    assert ipi_month[ipi_month["mission"] == "UNMIL"]["troops"].max() == 14867
    assert (ipi_month[["troops", "police", "observers"]].sum(axis=1) == ipi_month["total"]).all()


def test_ipi_contributor_month(data_dir: Path):
    df = read_ipi_contributor_month(data_dir / "ipi_contributor_mission_month.csv")
    assert len(df) == 29115
    row = df[(df["contributor_iso3"] == "BGD") & (df["mission"] == "UNMIL") & (df["date"] == T("2013-12-31"))].iloc[0]
    assert (row["troops_total"], row["total_total"]) == (515, 542)


def test_un_operations(un_ops: pd.DataFrame):
    assert len(un_ops) == 81
    unmil = un_ops.set_index("mission").loc["UNMIL"]
    assert (unmil["start_date"], unmil["end_date"]) == (T("2003-09-01"), T("2018-03-01"))
    assert unmil["hq_longitude"] == -10.8014 and not unmil["is_active"]
    assert un_ops.set_index("mission").loc["MINUSTAH", "is_active"] == False  # noqa: E712  (written "NO")
    assert un_ops["aggregate"].sum() == 4


def test_peace_operations_month(pko_month: pd.DataFrame):
    assert len(pko_month) == 8100 and pko_month["mission"].nunique() == 112
    assert pko_month["date"].min() == T("1993-01-01")
    assert set(pko_month["org"].unique()) == {1, 2, 3}


def test_doyle_sambanis(doyle_sambanis: pd.DataFrame):
    assert len(doyle_sambanis) == 124 and doyle_sambanis["case_code"].is_unique
    moz = doyle_sambanis.set_index("case_code").loc["MOZ"]
    assert (moz["start_year"], moz["end_year"], moz["outcome"], moz["untype"]) == (1979, 1992, "Settlement", "MultiPKO")
    # ten wars coded "War" (not ended); two of them (Kenya, Peru) still carry an end year
    assert (doyle_sambanis["outcome"] == "War").sum() == 10 and doyle_sambanis["end_year"].isna().sum() == 8


def test_wgi_windows_1252(data_dir: Path):
    df = read_wgi(data_dir / "wgi_1996_2019.csv")
    assert len(df) == 26964 and df["indicator"].nunique() == 6
    assert "Côte d'Ivoire" in set(df["country"])
    est = df[(df["iso3"] == "LBR") & (df["year"] == 2019) & (df["indicator"] == "rule_of_law")]["estimate"].iloc[0]
    assert abs(est - (-0.9952)) < 1e-3


def test_freedom_house(data_dir: Path):
    df = read_freedom_house(data_dir / "freedom_in_the_world_1972_2019.csv")
    assert len(df) == 9588
    za = df[(df["iso3"] == "ZAF") & (df["year"] == 1972)].iloc[0]
    assert (za["political_rights"], za["civil_liberties"]) == (3, 2)  # written "3(6)", "2(5)"
    assert df["political_rights"].isna().sum() == 1131  # "-": not rated
    assert df["political_rights"].dropna().between(1, 7).all()


def test_vdem(data_dir: Path):
    df = read_vdem(data_dir / "vdem_high_level_indices.csv")
    assert len(df) == 9910
    assert df[(df["iso3"] == "LBR") & (df["year"] == 2010)]["v2x_polyarchy"].iloc[0] == 0.656


def test_geopko_quoted_newlines_and_unknowns(data_dir: Path):
    df = read_geopko(data_dir / "geopko_v2.csv")
    assert len(df) == 12190 and df["mission"].nunique() == 27
    assert (df["year"].min(), df["year"].max()) == (1994, 2018)
    assert df["troops"].isna().sum() == 120  # "unknown" on the map
    assert df["date"].iloc[0] == T("2007-03-01")
