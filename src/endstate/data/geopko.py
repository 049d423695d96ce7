"""Geo-PKO v2.0: UN peacekeeping deployments by location and month.

Core objects: :func:`read_geopko`.

Cite: Cil, Fjelde, Hultman & Nilsson, "Mapping blue helmets: Introducing the
Geocoded Peacekeeping Operations (Geo-PKO) dataset", Journal of Peace
Research 57(2), 2020.  Coverage: 1994-2018, UN operations in Africa (and a
few others), coded from UN deployment maps (``source`` names the map).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import Col, read_checked

_UNKNOWN = ("unknown", "unkown", "?")
"""Texts the coders wrote for a figure the map did not give: read as missing."""
_BIN = frozenset({0, 1})


def read_geopko(path: str | Path) -> pd.DataFrame:
    """One row per deployment location and map month.

    Columns: ``source`` (map number), ``mission``, ``year``, ``month``,
    ``date`` (first day of the month), ``location``, ``country``,
    ``latitude``, ``longitude``, ``troops`` (at the location), ``n_tcc``
    (troop-contributing countries there), ``rpf``, ``res``, ``fp`` (0/1:
    rapid/regional protection force, reserve, force protection units present)
    and ``rpf_troops``, ``res_troops``, ``fp_troops`` (their sizes), ``unpol``,
    ``unmo`` (0/1: UN police, military observers present), ``hq`` (0 none,
    1-3 headquarters level, 3 mission HQ), ``lo`` (0/1 liaison office),
    ``comments``, ``cow_code``, ``gwno``, ``adm1_id``, ``adm1_name``,
    ``adm2_id``, ``adm2_name``, ``prio_gid`` (PRIO-GRID cell).  Figures the
    coders wrote as ``unknown`` come back empty.  The per-contributor columns
    (``name.of.TCC1`` ...) are not returned.
    """
    cols = [
        Col("Source", "source", required=False),
        Col("Mission", "mission", not_null=True),
        Col("year", kind="int", not_null=True),
        Col("month", kind="int", not_null=True, allowed=frozenset(range(1, 13))),
        Col("location", not_null=True),
        Col("country"),
        Col("latitude", kind="float"),
        Col("longitude", kind="float"),
        Col("No.troops", "troops", kind="int", na=_UNKNOWN),
        Col("No.TCC", "n_tcc", kind="int", required=False, na=_UNKNOWN),
        Col("RPF", "rpf", kind="int", required=False, allowed=_BIN),
        Col("RPF_No", "rpf_troops", kind="int", required=False, na=_UNKNOWN),
        Col("RES", "res", kind="int", required=False, allowed=_BIN),
        Col("RES_No", "res_troops", kind="int", required=False, na=_UNKNOWN),
        Col("FP", "fp", kind="int", required=False, allowed=_BIN),
        Col("FP_No", "fp_troops", kind="int", required=False, na=_UNKNOWN),
        Col("UNPOL..dummy.", "unpol", kind="int", required=False, allowed=_BIN),
        Col("UNMO..dummy.", "unmo", kind="int", required=False, allowed=_BIN),
        Col("HQ", "hq", kind="int", required=False, na=_UNKNOWN, allowed=frozenset(range(4))),
        Col("LO", "lo", kind="int", required=False, allowed=_BIN),
        Col("comments", required=False),
        Col("cow_code", kind="int", required=False),
        Col("gwno", kind="int", required=False),
        Col("ADM1_id", "adm1_id", kind="int", required=False),
        Col("ADM1_name", "adm1_name", required=False),
        Col("ADM2_id", "adm2_id", kind="int", required=False),
        Col("ADM2_name", "adm2_name", required=False),
        Col("PRIOID", "prio_gid", kind="int", required=False),
    ]
    df = read_checked(path, cols, "Geo-PKO file")
    ym = pd.DataFrame({"year": df["year"], "month": df["month"], "day": 1}).astype("float64")
    df.insert(4, "date", pd.to_datetime(ym, errors="coerce").astype("datetime64[us]"))
    return df
