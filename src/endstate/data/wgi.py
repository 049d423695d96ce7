"""World Bank Worldwide Governance Indicators, long format.

Core objects: :func:`read_wgi` and :data:`WGI_INDICATORS`.

Cite: Kaufmann, Kraay & Mastruzzi, "The Worldwide Governance Indicators:
Methodology and Analytical Issues", World Bank Policy Research Working Paper
5430, 2010; data 1996-2019 (World Bank, 2020 release), in the long layout of
the Global-Development-and-Politics-of-Data repository (Windows-1252 text).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import Col, read_checked

WGI_INDICATORS: dict[str, str] = {
    "VoiceandAccountability": "voice_accountability",
    "PoliticalStability": "political_stability",
    "GovernmentEffectiveness": "government_effectiveness",
    "RegulatoryQuality": "regulatory_quality",
    "RuleofLaw": "rule_of_law",
    "ControlofCorruption": "control_of_corruption",
}
"""The file's indicator labels and the short names they come back as."""


def read_wgi(path: str | Path) -> pd.DataFrame:
    """One row per country, year and indicator.

    Columns: ``country``, ``iso3``, ``year`` (int), ``indicator`` (one of the
    values of :data:`WGI_INDICATORS`), ``estimate`` (about -2.5 to 2.5, higher
    is better), ``std_err``, ``lower``, ``upper`` (percentile-rank interval),
    ``rank`` (percentile rank, 0-100), ``n_sources`` (floats but the last).
    """
    cols = [
        Col("Country/Territory", "country", required=False),
        Col("Code", "iso3", not_null=True),
        Col("Year", "year", kind="int", not_null=True),
        Col("Indicator", "indicator", not_null=True, allowed=frozenset(WGI_INDICATORS)),
        Col("Estimate", "estimate", kind="float"),
        Col("StdErr", "std_err", kind="float", required=False),
        Col("Lower", "lower", kind="float", required=False),
        Col("Upper", "upper", kind="float", required=False),
        Col("Rank", "rank", kind="float", required=False),
        Col("NumSrc", "n_sources", kind="int", required=False),
    ]
    df = read_checked(path, cols, "Worldwide Governance Indicators file")
    df["indicator"] = df["indicator"].map(WGI_INDICATORS)
    return df
