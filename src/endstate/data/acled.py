"""ACLED event exports, in each of the layouts ACLED has published.

Core object: :func:`read_acled`, one row per event (``event_id``, ``date``,
``country``, ``admin1``, ``event_type``, ``fatalities``, ``timestamp``,
``line``), whatever the layout:

- the legacy "realtime" files (2016 and earlier): upper-case columns
  (``EVENT_ID_CNTY``, ``EVENT_DATE`` as dd/mm/yyyy, ``ADMIN1``, ``FATALITIES``),
  old event types such as ``Battle-No change of territory``, trailing empty
  columns, Latin-1 text;
- the export tool's CSV (2022): dates written ``06 December 2022``;
- the 2023 export and the current API: ISO dates (``2025-04-01``), or dates a
  spreadsheet re-saved as dd/mm/yy;
- monadic exports, one row per actor (no ``actor2``): the same event appears
  once per actor and is counted once (rows are de-duplicated on ``event_id``).

The date format is found per file (the first one every date reads with);
a date that none of the formats reads is reported by line.  Event types are
mapped to ACLED's current names (:data:`EVENT_TYPES`).

Cite: Raleigh, Linke, Hegre & Karlsen, "Introducing ACLED", Journal of Peace
Research 47(5), 2010.  ACLED's terms restrict redistribution: the project
reads users' own downloads and keeps none in its source tree.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from endstate.files import InputFileError, decode

from ._csv import LEGACY_ENCODINGS, MAX_CSV_LINE_CHARS, Col, Parsed, parse, per_cell, raise_problems
from .errors import DataFileError, FileProblem

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d/%m/%Y", "%d/%m/%y", "%d-%B-%Y")
"""Date formats seen in ACLED files: API/2023 export, 2022 export tool, legacy, spreadsheet re-save."""

EVENT_TYPES: dict[str, str] = {
    "battles": "Battles",
    "battle-no change of territory": "Battles",
    "battle-government regains territory": "Battles",
    "battle-non-state actor overtakes territory": "Battles",
    "explosions/remote violence": "Explosions/Remote violence",
    "remote violence": "Explosions/Remote violence",
    "violence against civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "riots/protests": "Riots/Protests",
    "strategic developments": "Strategic developments",
    "strategic development": "Strategic developments",
    "headquarters or base established": "Strategic developments",
    "non-violent transfer of territory": "Strategic developments",
}
"""ACLED event types (lower-cased as written in any layout) -> the current names.

The legacy ``Riots/Protests`` did not separate riots from protests; it is kept
as its own type so that no count mixes the two."""


def _layout_columns(header: list[str]) -> list[Col]:
    legacy = "EVENT_DATE" in header
    name = (lambda s: s.upper()) if legacy else (lambda s: s)
    return [
        Col(name("event_id_cnty"), "event_id", not_null=True),
        Col(name("event_date"), "date_text", not_null=True),
        Col(name("country"), "country", not_null=True),
        Col(name("admin1"), "admin1", required=True),
        Col(name("event_type"), "event_type", not_null=True),
        Col(name("fatalities"), "fatalities", kind="int", not_null=True),
        Col(name("timestamp"), "timestamp", kind="int", required=False),
    ]


def _header(path: str | Path) -> list[str]:
    """The header's column names, to tell the layouts apart; [] if unreadable (the full parse then says why)."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(MAX_CSV_LINE_CHARS)
        text = decode(first, str(path), LEGACY_ENCODINGS)
    except (OSError, InputFileError):
        return []
    return [h.strip() for h in text.strip("\r\n").split(",")]


def _dates(parsed: Parsed, column: str) -> pd.Series:
    text = parsed.frame["date_text"].str.strip()
    present = text.notna() & (text != "")
    sample = text[present]
    best: pd.Series | None = None
    for fmt in DATE_FORMATS:
        d = pd.to_datetime(sample, format=fmt, errors="coerce")
        if best is None or d.notna().sum() > best.notna().sum():
            best = d
        if d.notna().all():
            break
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if best is not None:
        out[present] = best.astype("datetime64[us]")
    bad = present & out.isna()
    parsed.report(bad, column, per_cell("cannot read '{}' as a date (ACLED writes yyyy-mm-dd, dd Month yyyy or dd/mm/yyyy)", text))
    return out


def read_acled(path: str | Path, country: str | None = None) -> pd.DataFrame:
    """Events of one ACLED file, optionally of one ``country`` (its name as ACLED writes it).

    Columns: ``event_id``, ``date``, ``country``, ``admin1`` (empty text when
    ACLED gives none), ``event_type`` (current names, :data:`EVENT_TYPES`; any other type as written),
    ``fatalities`` (int), ``timestamp`` (upload time, Unix seconds, when the
    layout has it) and ``line`` (the event's first line in the file).
    Raises :class:`DataFileError` listing every problem.
    """
    header = _header(path)
    cols = _layout_columns(header)
    parsed = parse(path, cols, repeats=False)  # monadic exports repeat rows by design; events are de-duplicated on their id below
    date_col = cols[1].source
    df = parsed.frame
    df["date"] = _dates(parsed, date_col)
    written = df["event_type"].str.strip()
    known = written.str.lower().map(EVENT_TYPES).fillna(written)  # a type ACLED adds later is kept as written
    negative = df["fatalities"].notna() & (df["fatalities"] < 0)
    parsed.report(negative, cols[5].source, "fatalities cannot be negative")
    raise_problems(parsed, "ACLED file")
    lines = parsed.lines()
    out = pd.DataFrame(
        {
            "event_id": df["event_id"].str.strip(),
            "date": df["date"],
            "country": df["country"].str.strip(),
            "admin1": df["admin1"].fillna("").str.strip(),
            "event_type": known,
            "fatalities": df["fatalities"].astype(np.int64),
            "timestamp": df["timestamp"],
            "line": lines[: len(df)],
        }
    )
    if country is not None:
        keep = out["country"].str.casefold() == country.strip().casefold()
        if not keep.any():
            names = ", ".join(sorted(out["country"].unique())[:30])
            raise DataFileError([FileProblem(str(path), None, cols[2].source, f"no events in '{country}'; the file covers: {names}")], "ACLED file")
        out = out[keep]
    # monadic exports repeat an event once per actor: count each event once
    return out.drop_duplicates("event_id", keep="first").reset_index(drop=True)
