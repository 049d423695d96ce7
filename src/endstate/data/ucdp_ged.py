"""UCDP Georeferenced Event Dataset (GED) and UCDP Candidate events.

Core objects: :func:`read_ucdp_ged` (one release's events, with its vintage)
and :func:`latest_events` (several releases combined, each event as its latest
release has it).

GED is released yearly (``23.1``) and the Candidate data monthly
(``24.0.3``); later releases revise earlier events (deaths re-estimated,
events merged or dropped), so every event keeps the vintage it came from and,
when releases overlap, the latest one wins.  An event's month is the month of
its ``date_start`` (events whose dates span months are counted once, when they
began).

Cite: Sundberg & Melander, "Introducing the UCDP Georeferenced Event Dataset",
Journal of Peace Research 50(4), 2013; Davies, Pettersson & Oberg, "Organized
violence 1989-2022", JPR 60(4), 2023; Hegre et al. for the Candidate data
(UCDP Candidate Events Dataset, JPR 2020).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ._csv import Col, parse, per_cell, raise_problems
from .errors import DataFileError, FileProblem

TYPES_OF_VIOLENCE = {1: "state-based", 2: "non-state", 3: "one-sided"}
"""UCDP's ``type_of_violence`` codes."""

_VERSION = re.compile(r"v?(\d{1,2})[._](\d{1,2})(?:[._](\d{1,3}))?")


def vintage_from_name(path: str | Path) -> str | None:
    """``GEDEvent_v23_1.csv`` -> ``"23.1"``; ``GEDEvent_v24_0_3.csv`` -> ``"24.0.3"``; None if the name has no version."""
    m = _VERSION.search(Path(path).stem)
    return ".".join(g for g in m.groups() if g is not None) if m else None


def vintage_key(vintage: str) -> tuple[int, ...]:
    """Sort key of a vintage: ``"24.0.3"`` -> (24, 0, 3); later releases sort later."""
    return tuple(int(p) for p in re.findall(r"\d+", vintage))


def read_ucdp_ged(path: str | Path, vintage: str | None = None) -> pd.DataFrame:
    """Events of one GED or Candidate release.

    Columns: ``event_id`` (UCDP ``id``), ``date`` (``date_start``, day),
    ``country``, ``admin1`` (``adm_1``, empty text where UCDP gives none),
    ``type_of_violence`` (1 state-based, 2 non-state, 3 one-sided), ``best``,
    ``low``, ``high`` (deaths), ``vintage`` and ``line``.  ``vintage`` defaults
    to the version in the file's name; without one, an error asks for it.
    Dates may be written ``2009-02-20``, ``2009-02-20 00:00:00.000`` or
    ``2009-02-20T00:00:00``.
    """
    cols = [
        Col("id", "event_id", not_null=True),
        Col("date_start", "date", kind="date", not_null=True, pre=lambda s: s.str.strip().str.slice(0, 10)),
        Col("country", not_null=True),
        Col("adm_1", "admin1", required=False),
        Col("type_of_violence", kind="int", not_null=True, allowed=frozenset(TYPES_OF_VIOLENCE)),
        Col("best", kind="int", not_null=True),
        Col("low", kind="int", required=False),
        Col("high", kind="int", required=False),
    ]
    parsed = parse(path, cols)
    vintage = vintage or vintage_from_name(path)
    if vintage is None:
        parsed.problems.append(FileProblem(str(path), None, None, "the release (vintage) is not in the file name: give it, e.g. 23.1 or 24.0.3"))
    df = parsed.frame
    parsed.report(df["best"].notna() & (df["best"] < 0), "best", per_cell("deaths cannot be negative ({})", df["best"]))
    raise_problems(parsed, "UCDP GED file")
    return pd.DataFrame(
        {
            "event_id": df["event_id"].str.strip(),
            "date": df["date"],
            "country": df["country"].str.strip(),
            "admin1": df["admin1"].fillna("").str.strip(),
            "type_of_violence": df["type_of_violence"].astype(np.int64),
            "best": df["best"].astype(np.int64),
            "low": df["low"],
            "high": df["high"],
            "vintage": vintage,
            "line": parsed.lines()[: len(df)],
        }
    )


def latest_events(releases: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Events of several releases, each event as the latest release that has it gives it.

    An event dropped by a later release that covers its date is dropped too: a
    release speaks for every day from its first event to its last (a Candidate
    release covers only its recent months, GED the whole period).
    """
    frames = [f for f in releases if len(f)]
    if not frames:
        return pd.DataFrame(columns=["event_id", "date", "country", "admin1", "type_of_violence", "best", "low", "high", "vintage", "line"])
    vintages = sorted({v for f in frames for v in f["vintage"].unique()}, key=vintage_key)
    if len(vintages) < sum(f["vintage"].nunique() for f in frames):
        repeated = [v for v in vintages if sum(v in set(f["vintage"]) for f in frames) > 1]
        raise DataFileError([FileProblem("(releases)", None, None, f"release {', '.join(repeated)} is given twice")], "UCDP GED releases")
    rank = {v: i for i, v in enumerate(vintages)}
    events = pd.concat(frames, ignore_index=True)
    events["_rank"] = events["vintage"].map(rank)
    spans = events.groupby("_rank")["date"].agg(["min", "max"])
    events = events.sort_values("_rank", kind="stable")
    latest = events.drop_duplicates("event_id", keep="last")
    # drop events that a later release covering their date no longer lists
    covered_by_later = np.zeros(len(latest), dtype=bool)
    dates = latest["date"].to_numpy()
    for r, (first, last) in spans.iterrows():
        covered_by_later |= (latest["_rank"].to_numpy() < r) & (dates >= np.datetime64(first)) & (dates <= np.datetime64(last))
    return latest[~covered_by_later].drop(columns="_rank").sort_values(["date", "event_id"], ignore_index=True)
