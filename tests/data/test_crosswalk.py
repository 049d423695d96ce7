"""The hand-built country-code crosswalk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from endstate.data import (
    cow_to_iso3,
    crosswalk_table,
    gw_to_iso3,
    iso3_to_cow,
    iso3_to_gw,
    parse_codes,
    read_acd,
    read_geopko,
    read_ipi_contributor_month,
)


def test_known_codes_and_system_differences():
    assert gw_to_iso3(450) == "LBR" and gw_to_iso3("625, 626") == "SDN" and gw_to_iso3(651.0) == "EGY"
    assert gw_to_iso3(260) == "DEU" and cow_to_iso3(255) == "DEU" and cow_to_iso3(260) == "DEU"
    assert gw_to_iso3(678) == "YEM" and cow_to_iso3(679) == "YEM" and gw_to_iso3(680) == "YEM"
    assert gw_to_iso3(817) == "VNM" and gw_to_iso3(972) == "TON" and cow_to_iso3(955) == "TON"
    assert iso3_to_gw("deu") == 260 and iso3_to_cow("DEU") == 255 and iso3_to_gw("VNM") == 816
    assert iso3_to_cow("YEM") == 679 and iso3_to_gw("XXX") is None and gw_to_iso3(None) is None


def test_parse_codes():
    assert parse_codes("750, 770") == [750, 770]
    assert parse_codes("651,  645,  663") == [651, 645, 663]
    assert parse_codes(float("nan")) == [] and parse_codes("") == [] and parse_codes(345) == [345]


def test_table_is_consistent():
    t = crosswalk_table()
    current = t[~t["historical"]]
    assert current["iso3"].is_unique
    assert t["gw"].dropna().is_unique and t["cow"].dropna().is_unique
    assert t["iso3"].str.fullmatch(r"[A-Z]{3}").all()


def test_covers_every_code_in_the_files(
    data_dir: Path, termination: pd.DataFrame, battle_deaths: pd.DataFrame, ipi_month, pko_month
):
    acd = read_acd(data_dir / "ucdp_prio_acd_v22_1.csv")
    gw: set[int] = set()
    for frame, cols in (
        (acd, ["gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc"]),
        (termination, ["gwno_loc"]),
        (battle_deaths, ["gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc"]),
    ):
        for c in cols:
            for v in frame[c].dropna().unique():
                gw.update(parse_codes(v))
    gw.update(int(v) for v in pko_month["gwno"].unique())
    geo = read_geopko(data_dir / "geopko_v2.csv")
    gw.update(int(v) for v in geo["gwno"].dropna().unique())
    assert sorted(c for c in gw if gw_to_iso3(c) is None) == []
    assert sorted(int(c) for c in geo["cow_code"].dropna().unique() if cow_to_iso3(int(c)) is None) == []
    iso = set(crosswalk_table()["iso3"])
    contributors = set(read_ipi_contributor_month(data_dir / "ipi_contributor_mission_month.csv")["contributor_iso3"])
    assert (set(ipi_month["iso3"]) | contributors) - iso == {"ESH"}  # Western Sahara: a territory, not a state
