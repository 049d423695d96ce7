"""International Peace Institute "Providing for Peacekeeping" files.

Core objects: :func:`read_ipi_mission_month` (uniformed personnel per UN
mission per month, 1990-11 to 2014-02) and :func:`read_ipi_contributor_month`
(personnel per contributing country, mission and month, by category and
gender, 2009-2014).

Cite: International Peace Institute, IPI Peacekeeping Database ("Providing for
Peacekeeping"), compiled from UN DPO monthly contributor reports; the files
are those of the IPIDataLab/TCC-DataScraper repository.  Dates are the last
day of the reporting month.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import Col, read_checked

_PERSONNEL = ("troops", "police", "observers")


def read_ipi_mission_month(path: str | Path) -> pd.DataFrame:
    """One row per mission and month.

    Columns: ``date`` (month end), ``mission`` (acronym), ``country``,
    ``iso3``, ``hq``, ``hq_longitude``, ``hq_latitude``, ``continent``,
    ``un_region``, ``n_contributors``, ``troops``, ``police``, ``observers``,
    ``total`` (ints).  IPI leaves a category empty when the mission had none
    of it: such cells come back as 0 (``total`` is their sum in every row of the
    published file).  The file's regional-group flags (NAM, G77, AU...) are
    not returned.
    """
    cols = [
        Col("date", kind="date", not_null=True),
        Col("mission", not_null=True),
        Col("mission.country", "country", required=False),
        Col("mission.iso3.alpha", "iso3", not_null=True),
        Col("mission.hq", "hq", required=False),
        Col("mission.hq.long", "hq_longitude", kind="float", required=False),
        Col("mission.hq.lat", "hq_latitude", kind="float", required=False),
        Col("mission.continent", "continent", required=False),
        Col("mission.un.region", "un_region", required=False),
        Col("n.contributors", "n_contributors", kind="int", required=False, low=0),
        *[Col(c, kind="int", low=0) for c in _PERSONNEL],
        Col("total", kind="int", low=0),
    ]
    df = read_checked(path, cols, "IPI mission-month file", key=("mission", "date"))
    for c in _PERSONNEL:
        df[c] = df[c].fillna(0)
    return df


_CATEGORIES = {
    "Individual Police": "individual_police",
    "Formed Police Units": "formed_police_units",
    "Experts on Mission": "experts_on_mission",
    "Troops": "troops",
    "Total": "total",
}


def read_ipi_contributor_month(path: str | Path) -> pd.DataFrame:
    """One row per contributing country, mission and month.

    Columns: ``date`` (month end), ``contributor``, ``contributor_iso3``,
    ``mission``, then for each category ``individual_police``,
    ``formed_police_units``, ``experts_on_mission`` (military observers and
    other experts), ``troops`` and ``total`` three ints: ``<category>_male``,
    ``<category>_female``, ``<category>_total``.
    """
    cols = [
        Col("Date", "date", kind="date", not_null=True),
        Col("Contributor", "contributor", not_null=True),
        Col("Contributor ISO-3", "contributor_iso3"),
        Col("Mission", "mission", not_null=True),
    ]
    for label, name in _CATEGORIES.items():
        for part in ("Male", "Female", "Total"):
            cols.append(Col(f"{label} {part}", f"{name}_{part.lower()}", kind="int", required=part == "Total", low=0))
    return read_checked(path, cols, "IPI contributor-mission-month file", key=("contributor", "mission", "date"))
