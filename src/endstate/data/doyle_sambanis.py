"""Doyle & Sambanis's peacebuilding data (124 civil wars begun 1944-1997).

Core objects: :func:`read_doyle_sambanis` and the code books
:data:`UN_TYPES` and :data:`OUTCOMES`.

Cite: Michael W. Doyle and Nicholas Sambanis, "International Peacebuilding: A
Theoretical and Quantitative Analysis", American Political Science Review
94(4), 2000.  The file is the authors' data as distributed in the
markguo40/UN-data-Analysis repository (R export: first column is a row number,
``NA`` for missing, years written with two digits).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import Col, read_checked

UN_TYPES: dict[str, str] = {
    "None": "no UN peace operation",
    "Observer": "observer mission",
    "TradPKO": "traditional peacekeeping",
    "MultiPKO": "multidimensional peacekeeping",
    "Enforcement+": "enforcement (Chapter VII) operation",
}
"""Values of ``untype``."""

OUTCOMES: dict[str, str] = {
    "Victory": "military victory by either side",
    "Settlement": "negotiated settlement (treaty)",
    "Truce": "truce or ceasefire without settlement",
    "War": "still at war at the end of the data",
}

_BIN = frozenset({0, 1})


def _year(s: pd.Series) -> pd.Series:
    return s.where(s >= 100, s + 1900)


def read_doyle_sambanis(path: str | Path) -> pd.DataFrame:
    """One row per civil war.

    Columns: ``case_code`` (their ``ccode``, e.g. ``AFG2``: unique), ``war_number``
    (``cnumb``), ``name`` (``cname``), ``start_year``, ``end_year`` (four-digit;
    ``end_year`` empty for wars still going), ``duration_months`` (``wardur``),
    ``deaths`` (``dead``), ``ethnic`` (``wartype``: 1 ethnic/identity war),
    ``outcome`` (:data:`OUTCOMES`), ``outcome2`` (victory split by winner),
    ``treaty`` (0/1), ``untype`` (:data:`UN_TYPES`),
    ``un2cint`` (UN involvement incl. ``Mediation``), ``peaceop``,
    ``warend2``, ``warend5``, ``warend10`` (1: no renewed war within 2/5/10
    years of the war's end, 0: renewed war; empty where that span had not
    passed), ``noviol2``, ``noviol5``, ``noviol10`` (same for residual
    violence), ``pbs2s3``, ``pbs5s3`` (their strict peacebuilding success),
    ``coldwar`` (1: war began in the Cold War), ``logdead``.
    """
    yesno = ("warend2", "warend5", "warend10", "noviol2", "noviol5", "noviol10")
    cols = [
        Col("ccode", "case_code", not_null=True),
        Col("cnumb", "war_number", kind="int", required=False),
        Col("cname", "name", not_null=True),
        Col("yrbeg", "start_year", kind="int", not_null=True, low=0, high=2100),
        Col("yrend", "end_year", kind="int", low=0, high=2100),
        Col("wardur", "duration_months", kind="float", low=0),
        Col("dead", "deaths", kind="float", low=0),
        Col("wartype", "ethnic", kind="int", allowed=_BIN),
        Col("outcome", not_null=True, allowed=frozenset(OUTCOMES)),
        Col("outcome2", required=False),
        Col("treaty", kind="int", allowed=_BIN),
        Col("untype", allowed=frozenset(UN_TYPES)),
        Col("un2cint", required=False),
        Col("peaceop", kind="int", required=False),
        *[Col(c, kind="yesno", required=c.startswith("warend")) for c in yesno],
        Col("pbs2s3", kind="int", required=False, allowed=_BIN),
        Col("pbs5s3", kind="int", required=False, allowed=_BIN),
        Col("coldwar", kind="int", required=False, allowed=_BIN),
        Col("logdead", kind="float", required=False),
    ]
    df = read_checked(path, cols, "Doyle & Sambanis file", key=("case_code",))
    df["start_year"] = _year(df["start_year"])
    df["end_year"] = _year(df["end_year"])
    return df
