"""UN and non-UN peace operations by month, linked to UCDP conflict episodes.

Core objects: :func:`read_peace_operations_month` and :data:`ORGS`.

The file was compiled in the tdballesteros/conflict-relapse repository from
SIPRI's multilateral peace operations data, the IPI data and others; its
origin is not documented, so everything taken from it is marked unverified.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import Col, read_checked

ORGS: dict[int, str] = {1: "UN", 2: "regional organisation", 3: "EU, NATO or ad hoc coalition"}

_SERIES = {
    "SIPRI_{}": "sipri_{}",
    "{}_iepo": "{}_iepo",
    "{}_ipo": "{}_ipo",
    "IPI_{}": "ipi_{}",
    "{}_backward": "{}_backward",
}
_KINDS = {"troops": "troops", "police": "police", "observers": "observers", "totals": "total"}


def read_peace_operations_month(path: str | Path) -> pd.DataFrame:
    """One row per operation, conflict episode and month (1993-01 to 2016-09).

    Columns: ``gwno`` (Gleditsch-Ward code of the location, from ``ccode``),
    ``location``, ``conflict_id``, ``episode_id`` (UCDP ids), ``activity``
    (1 if the conflict was active that month), ``incompatibility``, ``date``
    (first day of the month, from ``1997m1``), ``year``, ``mission_id``,
    ``mission``, ``org`` (1-3, :data:`ORGS`), ``only_police``, and personnel
    as floats per source: ``sipri_troops``, ``sipri_police``,
    ``sipri_observers``, ``sipri_total``, the same with suffixes ``_iepo``,
    ``_ipo``, prefix ``ipi_``, and ``troops_backward``, ``police_backward``,
    ``observers_backward``, ``total_backward`` (the file's combined series).
    """
    cols = [
        Col("ccode", "gwno", kind="int", not_null=True),
        Col("location", required=False),
        Col("conflictid", "conflict_id", kind="int", required=False),
        Col("episodenum", "episode_id", kind="int", required=False),
        Col("activity", kind="int", required=False, allowed=frozenset({0, 1})),
        Col("incomp", "incompatibility", kind="int", required=False),
        Col("date", kind="date", date_format="%Ym%m", not_null=True),
        Col("year", kind="int", required=False, low=1900, high=2100),
        Col("missionid", "mission_id", kind="int", required=False),
        Col("mission", not_null=True),
        Col("org", kind="int", not_null=True, allowed=frozenset(ORGS)),
        Col("onlypolice", "only_police", kind="int", required=False, allowed=frozenset({0, 1})),
    ]
    for src, out in _SERIES.items():
        for kind, name in _KINDS.items():
            cols.append(Col(src.format(kind), out.format(name), kind="float", required=src == "{}_backward", low=0))
    df = read_checked(path, cols, "peace operations conflict-month file", key=("mission", "conflict_id", "date"))
    df["mission"] = df["mission"].str.strip()
    return df
