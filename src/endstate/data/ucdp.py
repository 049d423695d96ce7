"""Uppsala Conflict Data Program files, read in their producers' CSV formats.

Core objects: :func:`read_acd` (UCDP/PRIO Armed Conflict Dataset v22.1,
conflict-years), :func:`read_acd_reduced` (the 15-column v25.1 extract with
text labels), :func:`read_termination` (Conflict Termination v3-2021, dates
written dd/mm/yyyy) and :func:`read_battle_deaths` (battle-related deaths per
dyad-year), plus the code books :data:`TERMINATION_OUTCOMES`,
:data:`CONFLICT_TYPES` and :data:`INCOMPATIBILITIES`.

Cite: Gleditsch et al., "Armed Conflict 1946-2001: A New Dataset", JPR 2002;
Davies, Pettersson & Oberg, "Organized violence 1989-2021", JPR 2022; Kreutz,
"How and when armed conflicts end", JPR 2010; UCDP Battle-Related Deaths
Dataset.  Columns keep UCDP's names (already snake_case); country codes are
Gleditsch-Ward numbers, kept as text because a cell may list several
(``"750, 770"``; see :func:`endstate.data.crosswalk.parse_codes`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import Col, parse, raise_problems, read_checked

TERMINATION_OUTCOMES: dict[int, str] = {
    1: "peace agreement",
    2: "ceasefire",
    3: "government victory",
    4: "rebel victory",
    5: "low activity",
    6: "actor ceases to exist",
}
CONFLICT_TYPES: dict[int, str] = {1: "extrasystemic", 2: "interstate", 3: "intrastate", 4: "internationalized intrastate"}
INCOMPATIBILITIES: dict[int, str] = {1: "territory", 2: "government", 3: "both"}

_ONE_TO = {n: frozenset(range(1, n + 1)) for n in (2, 3, 4, 6)}
_BIN = frozenset({0, 1})
DMY = "%d/%m/%Y"


def _sides(required: bool = False) -> list[Col]:
    return [Col(c, required=required) for c in ("side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id", "side_b_2nd")]


def read_acd(path: str | Path) -> pd.DataFrame:
    """UCDP/PRIO Armed Conflict Dataset v22.1 (one row per conflict-year).

    Columns: ``conflict_id`` (int), ``location``, ``side_a`` ... ``side_b_2nd``,
    ``incompatibility`` (1 territory, 2 government, 3 both), ``territory_name``,
    ``year``, ``intensity_level`` (1: 25-999 battle deaths, 2: 1,000+),
    ``cumulative_intensity``, ``type_of_conflict`` (1-4, :data:`CONFLICT_TYPES`),
    ``start_date``, ``start_prec``, ``start_date2`` (start of this episode),
    ``start_prec2``, ``ep_end`` (1 if the episode ends this year),
    ``ep_end_date``, ``ep_end_prec``, ``gwno_a``, ``gwno_a_2nd``, ``gwno_b``,
    ``gwno_b_2nd``, ``gwno_loc`` (code lists as text), ``region``, ``version``.
    """
    cols = [
        Col("conflict_id", kind="int", not_null=True),
        Col("location", not_null=True),
        *_sides(),
        Col("incompatibility", kind="int", allowed=_ONE_TO[3]),
        Col("territory_name", required=False),
        Col("year", kind="int", not_null=True, low=1900, high=2100),
        Col("intensity_level", kind="int", not_null=True, allowed=_ONE_TO[2]),
        Col("cumulative_intensity", kind="int", required=False, allowed=_BIN),
        Col("type_of_conflict", kind="int", not_null=True, allowed=_ONE_TO[4]),
        Col("start_date", kind="date"),
        Col("start_prec", kind="int", required=False),
        Col("start_date2", kind="date", not_null=True),
        Col("start_prec2", kind="int", required=False),
        Col("ep_end", kind="int", not_null=True, allowed=_BIN),
        Col("ep_end_date", kind="date"),
        Col("ep_end_prec", kind="int", required=False),
        Col("gwno_a"),
        Col("gwno_a_2nd", required=False),
        Col("gwno_b", required=False),
        Col("gwno_b_2nd", required=False),
        Col("gwno_loc", not_null=True),
        Col("region", required=False),
        Col("version", required=False),
    ]
    return read_checked(path, cols, "UCDP/PRIO Armed Conflict Dataset file", key=("conflict_id", "year"))


_REDUCED_TYPES = {"extrasystemic": 1, "interstate": 2, "intrastate": 3, "II": 4}
_REDUCED_INCOMP = {"territory": 1, "government": 2, "both": 3}


def read_acd_reduced(path: str | Path) -> pd.DataFrame:
    """The 15-column UCDP/PRIO ACD v25.1 extract (as distributed by peacesciencer).

    Same column names and codes as :func:`read_acd` for the columns it has
    (``conflict_id``, ``year``, ``gwno_a``, ``gwno_a_2nd``, ``gwno_b``,
    ``gwno_b_2nd``, ``incompatibility``, ``intensity_level``,
    ``type_of_conflict``, ``start_date``, ``start_prec``, ``start_date2``,
    ``start_prec2``, ``ep_end``, ``ep_end_date``): its text labels
    (``territory``, ``intrastate``, ``II``...) become UCDP's numeric codes and its
    float-typed codes (``750.0``) become whole numbers, the ``gwno_*`` ones as
    text like in v22.1.  Unlike v22.1, the extract holds one code per cell and
    repeats a conflict-year once per secondary state (``gwno_a_2nd``,
    ``gwno_b_2nd``): drop duplicates on ``conflict_id`` and ``year`` to count
    conflict-years.
    """
    gw = ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd")
    cols = [
        Col("conflict_id", kind="int", not_null=True),
        Col("year", kind="int", not_null=True, low=1900, high=2100),
        *[Col(c, kind="int", required=c == "gwno_a") for c in gw],
        Col("incompatibility", allowed=frozenset(_REDUCED_INCOMP)),
        Col("intensity_level", kind="int", not_null=True, allowed=_ONE_TO[2]),
        Col("type_of_conflict", not_null=True, allowed=frozenset(_REDUCED_TYPES)),
        Col("start_date", kind="date"),
        Col("start_prec", kind="int", required=False),
        Col("start_date2", kind="date", not_null=True),
        Col("start_prec2", kind="int", required=False),
        Col("ep_end", kind="int", not_null=True, allowed=_BIN),
        Col("ep_end_date", kind="date"),
    ]
    df = read_checked(path, cols, "UCDP/PRIO Armed Conflict Dataset (reduced) file")
    df["incompatibility"] = df["incompatibility"].map(_REDUCED_INCOMP).astype("Int64")
    df["type_of_conflict"] = df["type_of_conflict"].map(_REDUCED_TYPES).astype("Int64")
    for c in gw:
        df[c] = df[c].astype("str").where(df[c].notna())
    return df


def read_termination(path: str | Path) -> pd.DataFrame:
    """UCDP Conflict Termination dataset v3-2021 (one row per conflict-year).

    Dates in the file are dd/mm/yyyy and come back as datetimes.  Columns:
    ``conflictep_id``, ``conflictepisode``, ``type_of_conflict2``,
    ``dyadcount``, ``confterm`` (1 on the year an episode ends), ``ependdate``,
    ``ependprec``, ``outcome`` (1-6, :data:`TERMINATION_OUTCOMES`; set on ended
    episodes), ``recur`` (1 if the episode is a recurrence), ``version``,
    ``conflict_id``, ``year``, ``location``, ``side_a`` ... ``side_b_2nd``,
    ``incompatibility``, ``territory_name``, ``intensity_level``,
    ``type_of_conflict`` (1-4), ``start_date``, ``start_prec``,
    ``start_date2`` (episode start), ``start_prec2``, ``gwno_loc``, ``region``.
    A row with ``confterm`` 1 must have ``ependdate`` and ``outcome``.
    """
    cols = [
        Col("conflictep_id", kind="int", not_null=True),
        Col("conflictepisode", kind="int", required=False),
        Col("type_of_conflict2", kind="int", required=False),
        Col("dyadcount", kind="int", required=False),
        Col("confterm", kind="int", not_null=True, allowed=_BIN),
        Col("ependdate", kind="date", date_format=DMY),
        Col("ependprec", kind="int", required=False),
        Col("outcome", kind="int", allowed=_ONE_TO[6]),
        Col("recur", kind="int", required=False, allowed=_BIN),
        Col("version", required=False),
        Col("conflict_id", kind="int", not_null=True),
        Col("year", kind="int", not_null=True, low=1900, high=2100),
        Col("location", not_null=True),
        *_sides(),
        Col("incompatibility", kind="int", allowed=_ONE_TO[3]),
        Col("territory_name", required=False),
        Col("intensity_level", kind="int", not_null=True, allowed=_ONE_TO[2]),
        Col("type_of_conflict", kind="int", not_null=True, allowed=_ONE_TO[4]),
        Col("start_date", kind="date", date_format=DMY),
        Col("start_prec", kind="int", required=False),
        Col("start_date2", kind="date", date_format=DMY, not_null=True),
        Col("start_prec2", kind="int", required=False),
        Col("gwno_loc", not_null=True),
        Col("region", required=False),
    ]
    parsed = parse(path, cols, key=("conflict_id", "year"))
    df = parsed.frame
    if parsed.has("confterm"):
        ended = (df["confterm"] == 1).fillna(False).to_numpy()
        for c in ("ependdate", "outcome"):
            if parsed.has(c):
                parsed.report(ended & df[c].isna().to_numpy(), c, "an episode that ends (confterm 1) needs a value here")
    raise_problems(parsed, "UCDP Conflict Termination file")
    return df


def read_battle_deaths(path: str | Path) -> pd.DataFrame:
    """UCDP Battle-Related Deaths, dyadic version (one row per dyad-year, 1989 on).

    Columns: ``conflict_id``, ``dyad_id`` (text: merged dyads list several),
    ``location_inc``, ``side_a`` ... ``side_b_2nd``, ``incompatibility``,
    ``territory_name``, ``year``, ``bd_best``, ``bd_low``, ``bd_high`` (deaths,
    ints), ``type_of_conflict``, ``battle_location``, ``gwno_a``,
    ``gwno_a_2nd``, ``gwno_b``, ``gwno_b_2nd``, ``gwno_loc``, ``gwno_battle``,
    ``region``, ``version``.
    """
    cols = [
        Col("conflict_id", kind="int", not_null=True),
        Col("dyad_id"),
        Col("location_inc", required=False),
        *_sides(),
        Col("incompatibility", kind="int", required=False, allowed=_ONE_TO[3]),
        Col("territory_name", required=False),
        Col("year", kind="int", not_null=True, low=1900, high=2100),
        Col("bd_best", kind="int", not_null=True, low=0),
        Col("bd_low", kind="int", required=False, low=0),
        Col("bd_high", kind="int", required=False, low=0),
        Col("type_of_conflict", kind="int", allowed=_ONE_TO[4]),
        Col("battle_location", required=False),
        Col("gwno_a", required=False),
        Col("gwno_a_2nd", required=False),
        Col("gwno_b", required=False),
        Col("gwno_b_2nd", required=False),
        Col("gwno_loc", required=False),
        Col("gwno_battle", required=False),
        Col("region", required=False),
        Col("version", required=False),
    ]
    return read_checked(path, cols, "UCDP Battle-Related Deaths file", key=("dyad_id", "year"))
