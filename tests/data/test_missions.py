"""The mission table: UN operations typed by personnel, non-UN ones marked unverified."""

from __future__ import annotations

import pandas as pd
import pytest

from endstate.data import classify_mission, mission_table
from endstate.types import MISSION_ORGS, MISSION_TYPES


@pytest.mark.parametrize(
    ("troops", "police", "observers", "peacekeeping", "expected"),
    [
        (14867, 1584, 214, True, "multidimensional"),  # UNMIL
        (13539, 0, 23, True, "traditional"),  # UNIFIL
        (2172, 70, 47, True, "traditional"),  # UNFICYP: a small police component
        (0, 0, 81, True, "observer"),  # UNMOT
        (38, 2086, 50, True, "multidimensional"),  # UNMIBH: police-led
        (13, 171, 316, True, "observer"),  # UNAVEM II: more observers than police
        (394, 5, 13, False, "political"),  # UNAMI: guard unit of a political mission
        (float("nan"), 0, 0, True, "political"),
    ],
)
def test_classify_mission(troops, police, observers, peacekeeping, expected):
    assert classify_mission(troops, police, observers, peacekeeping) == expected


def test_mission_table(missions: pd.DataFrame):
    assert set(missions["mission_type"]) <= set(MISSION_TYPES)
    assert set(missions["org"]) <= set(MISSION_ORGS) - {"none"}
    by = missions.drop_duplicates("mission").set_index("mission")
    assert by.loc["UNMIL", "start"] == pd.Timestamp("2003-09-01") and by.loc["UNMIL", "mission_type"] == "multidimensional"
    assert by.loc["UNOSOM II", "mission_type"] == "enforcement"
    assert by.loc["UNMEE", "interstate"] and not by.loc["UNMIL", "interstate"]
    assert by.loc["INTERFET", "org"] == "lead_state" and by.loc["INTERFET", "iso3"] == "TLS"
    assert by.loc["AMISOM", "org"] == "regional" and not by.loc["AMISOM", "verified"]
    assert by.loc["UNAMA", "mission_type"] == "political" and pd.isna(by.loc["UNAMA", "end"])  # running at the end of IPI
    assert {"UNOSOM", "UNEF", "UNAVEM", "UNCPSG"}.isdisjoint(missions["mission"])
    assert set(missions.loc[missions["mission"] == "ONUCA", "iso3"]) == {"NIC", "SLV", "GTM", "HND", "CRI"}
    assert (missions["end"].isna() | (missions["end"] >= missions["start"])).all()


def test_without_ipi_uses_fallback_types(un_ops: pd.DataFrame):
    table = mission_table(un_ops)
    assert (table["source"] == "un_list").all() and table["verified"].all()
    assert table.drop_duplicates("mission").set_index("mission").loc["UNTAC", "mission_type"] == "multidimensional"
