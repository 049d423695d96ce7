"""The UN list of peacekeeping operations, and what it leaves out.

Core objects: :func:`read_un_operations` (the UN Peace and Security Data Hub
export: acronym, name, dates, headquarters) and :data:`UN_MISSIONS` (hand-built:
the countries each operation served, a fallback mission type for operations
without personnel data, and whether its mandate concerned a dispute between
states), with :data:`AGGREGATE_ROWS`, the list's rows that duplicate others.

Cite: United Nations, Department of Political and Peacebuilding Affairs /
Department of Peace Operations, Peace and Security Data Hub, "Peacekeeping
operations" (export of 2024-02).  The hand-built table follows the mandates as
described on the UN's mission pages (peacekeeping.un.org, "Past peacekeeping
operations").
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from endstate.types import MissionType

from ._csv import Col, read_checked


def _comma_decimal(s: pd.Series) -> pd.Series:
    return s.str.replace(",", ".", regex=False)


def read_un_operations(path: str | Path) -> pd.DataFrame:
    """One row per operation, as exported by the UN.

    Columns: ``id`` (int), ``mission`` (acronym), ``name``,
    ``lead_department``, ``is_active`` (bool; the export writes Yes/No/NO),
    ``start_date``, ``end_date`` (datetimes; empty for running operations and
    for a few rows the export leaves undated), ``hq``, ``hq_longitude``,
    ``hq_latitude`` (floats; the export writes a decimal comma and swaps
    longitude and latitude on a few rows, which is left as found),
    ``last_update`` and ``aggregate`` (True for rows such as "UNOSOM (I & II)"
    that merge other rows: see :data:`AGGREGATE_ROWS`).
    """
    cols = [
        Col("id", kind="int", not_null=True),
        Col("mission_acronym", "mission", not_null=True),
        Col("mission_name", "name"),
        Col("lead_department", required=False),
        Col("mission_isactive", "is_active", kind="yesno", required=False),
        Col("start_date", kind="date"),
        Col("end_date", kind="date"),
        Col("mission_location", "hq", required=False),
        Col("mission_longitude", "hq_longitude", kind="float", required=False, pre=_comma_decimal),
        Col("mission_latitude", "hq_latitude", kind="float", required=False, pre=_comma_decimal),
        Col("last_update", kind="date", required=False),
    ]
    df = read_checked(path, cols, "UN peacekeeping operations file", key=("id",))
    df["mission"] = df["mission"].str.strip()
    df["is_active"] = df["is_active"].astype("boolean")
    df["aggregate"] = df["mission"].isin(AGGREGATE_ROWS)
    return df


class UNMission(NamedTuple):
    """Hand-coded facts about one UN operation."""

    countries: tuple[str, ...]
    """ISO-3 codes of the countries whose conflicts it served."""
    fallback_type: MissionType
    """Type used when no personnel data exist (mainly operations before 1990 or after 2014)."""
    interstate: bool = False
    """Mandated for a dispute between states (not matched to civil-war spells)."""


AGGREGATE_ROWS: dict[str, str] = {
    "UNOSOM": "merges UNOSOM I and UNOSOM II",
    "UNEF": "merges UNEF I and UNEF II",
    "UNAVEM": "merges UNAVEM I and UNAVEM II",
    "UNCPSG": "the same Civilian Police Support Group as UNPSG, listed twice",
}
"""Rows of the UN list left out of the mission table, with the reason."""

UN_MISSIONS: dict[str, UNMission] = {
    "DOMREP": UNMission(("DOM",), "observer"),
    "IPTF": UNMission(("BIH",), "multidimensional"),
    "MICAH": UNMission(("HTI",), "political"),
    "MINUCI": UNMission(("CIV",), "observer"),
    "MINUGUA": UNMission(("GTM",), "observer"),
    "MINUJUSTH": UNMission(("HTI",), "multidimensional"),
    "MINURCA": UNMission(("CAF",), "traditional"),
    "MINURCAT": UNMission(("TCD", "CAF"), "multidimensional"),
    "MINURSO": UNMission(("MAR", "ESH"), "observer"),
    "MINUSCA": UNMission(("CAF",), "multidimensional"),
    "MINUSMA": UNMission(("MLI",), "multidimensional"),
    "MINUSTAH": UNMission(("HTI",), "multidimensional"),
    "MIPONUH": UNMission(("HTI",), "multidimensional"),
    "MONUA": UNMission(("AGO",), "multidimensional"),
    "MONUC": UNMission(("COD",), "multidimensional"),
    "MONUSCO": UNMission(("COD",), "multidimensional"),
    "ONUB": UNMission(("BDI",), "multidimensional"),
    "ONUC": UNMission(("COD",), "enforcement"),
    "ONUCA": UNMission(("NIC", "SLV", "GTM", "HND", "CRI"), "observer"),
    "ONUMOZ": UNMission(("MOZ",), "multidimensional"),
    "ONUSAL": UNMission(("SLV",), "multidimensional"),
    "UNAMIC": UNMission(("KHM",), "observer"),
    "UNAMID": UNMission(("SDN",), "multidimensional"),
    "UNAMIR": UNMission(("RWA",), "traditional"),
    "UNAMSIL": UNMission(("SLE",), "multidimensional"),
    "UNASOG": UNMission(("TCD", "LBY"), "observer", interstate=True),
    "UNAVEM I": UNMission(("AGO",), "observer", interstate=True),
    "UNAVEM II": UNMission(("AGO",), "observer"),
    "UNAVEM III": UNMission(("AGO",), "multidimensional"),
    "UNCRO": UNMission(("HRV",), "traditional"),
    "UNDOF": UNMission(("SYR", "ISR"), "traditional", interstate=True),
    "UNEF I": UNMission(("EGY", "ISR"), "traditional", interstate=True),
    "UNEF II": UNMission(("EGY", "ISR"), "traditional", interstate=True),
    "UNFICYP": UNMission(("CYP",), "traditional"),
    "UNFOR": UNMission(("HRV", "BIH", "MKD"), "traditional"),
    "UNGCI": UNMission(("IRQ",), "observer"),
    "UNGOMAP": UNMission(("AFG", "PAK"), "observer", interstate=True),
    "UNIFIL": UNMission(("LBN",), "traditional", interstate=True),
    "UNIIMOG": UNMission(("IRN", "IRQ"), "observer", interstate=True),
    "UNIKOM": UNMission(("IRQ", "KWT"), "observer", interstate=True),
    "UNIPOM": UNMission(("IND", "PAK"), "observer", interstate=True),
    "UNISFA": UNMission(("SDN", "SSD"), "traditional", interstate=True),
    "UNMEE": UNMission(("ERI", "ETH"), "traditional", interstate=True),
    "UNMIBH": UNMission(("BIH",), "multidimensional"),
    "UNMIH": UNMission(("HTI",), "multidimensional"),
    "UNMIK": UNMission(("SRB",), "multidimensional"),
    "UNMIL": UNMission(("LBR",), "multidimensional"),
    "UNMIS": UNMission(("SDN",), "multidimensional"),
    "UNMISET": UNMission(("TLS",), "multidimensional"),
    "UNMISS": UNMission(("SSD",), "multidimensional"),
    "UNMIT": UNMission(("TLS",), "multidimensional"),
    "UNMOGIP": UNMission(("IND", "PAK"), "observer", interstate=True),
    "UNMOP": UNMission(("HRV",), "observer", interstate=True),
    "UNMOT": UNMission(("TJK",), "observer"),
    "UNOCI": UNMission(("CIV",), "multidimensional"),
    "UNOGIL": UNMission(("LBN",), "observer"),
    "UNOHCI": UNMission(("IRQ",), "political"),
    "UNOMIG": UNMission(("GEO",), "observer"),
    "UNOMIL": UNMission(("LBR",), "observer"),
    "UNOMSIL": UNMission(("SLE",), "observer"),
    "UNOMUR": UNMission(("RWA",), "observer"),
    "UNOSOM I": UNMission(("SOM",), "traditional"),
    "UNOSOM II": UNMission(("SOM",), "enforcement"),
    "UNPF": UNMission(("HRV", "BIH", "MKD"), "traditional"),
    "UNPREDEP": UNMission(("MKD",), "traditional"),
    "UNPROFOR": UNMission(("HRV", "BIH", "MKD"), "traditional"),
    "UNPSG": UNMission(("HRV",), "multidimensional"),
    "UNSCOB": UNMission(("GRC",), "observer"),
    "UNSF": UNMission(("IDN",), "traditional", interstate=True),
    "UNSMA": UNMission(("AFG",), "political"),
    "UNSMIH": UNMission(("HTI",), "multidimensional"),
    "UNSMIS": UNMission(("SYR",), "observer"),
    "UNTAC": UNMission(("KHM",), "multidimensional"),
    "UNTAES": UNMission(("HRV",), "multidimensional"),
    "UNTAET": UNMission(("TLS",), "multidimensional"),
    "UNTSO": UNMission(("ISR", "EGY", "SYR", "LBN", "JOR"), "observer", interstate=True),
    "UNYOM": UNMission(("YEM",), "observer"),
}
"""Every operation on the UN list (2024-02 export) except :data:`AGGREGATE_ROWS`."""
