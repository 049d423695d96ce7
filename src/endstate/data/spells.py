"""Peace-spell files: the historical cases the backtests read.

Core objects: :data:`SPELL_COLUMNS`, :data:`SPELL_DEFAULTS`, :func:`read_spells`
(strict reader, every problem listed, raises :class:`SpellFileError`),
:func:`write_spells`, and the builders :func:`spells_from_ucdp_termination`
and :func:`spells_from_doyle_sambanis` with their code maps, and
:func:`relapse_summary` (share relapsed within N years, by group),
:data:`UCDP_OUTCOME_TO_WAR_OUTCOME` and :data:`DS_UNTYPE_TO_MISSION_TYPE`.

A spell is one period of peace after a civil war: from ``peace_start`` (the
war's end) to ``end_date`` (relapse to war, or the end of observation), with
the strongest peace operation present during it.  The CSV layout is section 6
of the domain brief; ``docs/data.md`` gives every mapping choice and reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from endstate.spec.bounds import MAX_DEATHS, MAX_WAR_YEARS
from endstate.types import MISSION_ORGS, MISSION_TYPES, WAR_OUTCOMES

from ._csv import Col, Parsed, parse, per_cell, raise_problems
from .crosswalk import gw_to_iso3
from .errors import DataFileError
from .ucdp import TERMINATION_OUTCOMES

SPELL_COLUMNS: list[str] = [
    "case_id",
    "country",
    "peace_start",
    "war_outcome",
    "war_deaths",
    "war_duration_years",
    "ethnic_war",
    "mission_type",
    "mission_org",
    "mission_start",
    "mission_end",
    "end_date",
    "relapsed",
]
REQUIRED_COLUMNS: tuple[str, ...] = ("case_id", "country", "peace_start", "war_outcome", "end_date", "relapsed")
"""Columns a spell file must have, with a value on every row; the others may be absent or empty."""

FALLBACK_WAR_DEATHS = 1000.0
FALLBACK_WAR_DURATION_YEARS = 1.0


class Default(NamedTuple):
    """What an empty optional value becomes, and why."""

    value: str
    reason: str


SPELL_DEFAULTS: dict[str, Default] = {
    "war_deaths": Default(
        f"median of the non-empty war_deaths in the same file ({FALLBACK_WAR_DEATHS:,.0f} if there are none)",
        "a file is one source's cases, so its median is the typical war of that source; the median, not the mean, "
        "because deaths are heavy-tailed (a few wars with hundreds of thousands of deaths would dominate a mean); "
        "1,000 battle deaths is the conventional threshold for calling a conflict a war (COW, UCDP intensity 2)",
    ),
    "war_duration_years": Default(
        f"median of the non-empty war_duration_years in the same file ({FALLBACK_WAR_DURATION_YEARS:g} if there are none)",
        "same reasoning as war_deaths: the typical war of the source; one year is the span in which UCDP and COW count a war",
    ),
    "ethnic_war": Default(
        "0",
        "identity is coded only where a source says so; reading 'unknown' as 'not identity-based' adds no aggravating "
        "factor to the relapse hazard that the source did not claim (it may understate the risk of unknown cases)",
    ),
    "mission_type": Default("none", "a spell with no recorded peace operation is treated as having none"),
    "mission_org": Default(
        "un when mission_type is not none, else none",
        "almost every operation in the historical sources (Doyle & Sambanis, the UN list, IPI) is a UN one",
    ),
    "mission_start": Default(
        "peace_start when mission_type is not none",
        "sources that code a mission per war (Doyle & Sambanis) give no dates; the mission is taken as present "
        "from the start of the peace it is coded for",
    ),
    "mission_end": Default(
        "empty: the mission is still there at end_date",
        "the meaning the file format gives an empty mission_end",
    ),
}
"""One entry per optional column: the value an empty cell (or an absent column) gets, and the reason."""


class SpellFileError(DataFileError):
    """A peace-spell file that cannot be used; ``problems`` lists every reason."""


def _clean_label(s: pd.Series) -> pd.Series:
    t = s.str.strip()
    return t.where(t != "")


_BIN = frozenset({0, 1})
_COLS = [
    Col("case_id", not_null=True),
    Col("country", not_null=True),
    Col("peace_start", kind="date", not_null=True),
    Col("war_outcome", not_null=True, allowed=frozenset(WAR_OUTCOMES), pre=_clean_label),
    Col("war_deaths", kind="float", required=False, high=MAX_DEATHS),
    Col("war_duration_years", kind="float", required=False, high=MAX_WAR_YEARS),
    Col("ethnic_war", kind="int", required=False, allowed=_BIN),
    Col("mission_type", required=False, allowed=frozenset(MISSION_TYPES), pre=_clean_label),
    Col("mission_org", required=False, allowed=frozenset(MISSION_ORGS), pre=_clean_label),
    Col("mission_start", kind="date", required=False),
    Col("mission_end", kind="date", required=False),
    Col("end_date", kind="date", not_null=True),
    Col("relapsed", kind="int", not_null=True, allowed=_BIN),
    Col("relapse_definition", required=False),
    Col("prior_relapses", kind="int", required=False, low=0, high=1000),
]


def _day(x: pd.Timestamp) -> str:
    return x.strftime("%Y-%m-%d")


OPTIONAL_PASSTHROUGH: tuple[str, ...] = ("relapse_definition", "prior_relapses")
"""Columns beyond :data:`SPELL_COLUMNS` that :func:`read_spells` keeps when a file has them: ``relapse_definition``
(``conflict``, 25 battle deaths a year; ``war``, 1,000; or a number; empty: ``conflict``) and ``prior_relapses``
(earlier failed peaces in the country; empty: counted from the file, :func:`prior_relapses`)."""


def prior_relapses(spells: pd.DataFrame) -> np.ndarray:
    """(S,) each spell's earlier failed peaces in its country: the ``prior_relapses`` column where a cell is given,
    else the spells of the same ``country`` in the file that relapsed on or before this spell's ``peace_start``.

    The count uses only what was known when the spell began (relapses already
    dated), so it is a fact a planner has for a new mission too (the spec's
    ``understanding.prior_relapses``).  A file that holds one source's whole
    history counts every earlier relapse it records; a file of a few cases, or
    one whose ``country`` names a war rather than a country (Doyle & Sambanis:
    'Indonesia-Mol.'), counts fewer: give the column to say otherwise.
    """
    if spells.empty:
        return np.zeros(0, dtype=np.int64)
    country = spells["country"].astype(str).to_numpy()
    start = pd.to_datetime(spells["peace_start"]).to_numpy()
    end = pd.to_datetime(spells["end_date"]).to_numpy()
    failed = spells["relapsed"].to_numpy().astype(bool)
    counted = np.array(
        [int(np.sum(failed & (country == c) & (end <= s))) for c, s in zip(country, start, strict=True)], dtype=np.int64
    )
    if "prior_relapses" not in spells.columns:
        return counted
    given = pd.to_numeric(spells["prior_relapses"], errors="coerce")
    return np.where(given.notna(), given.fillna(0).to_numpy(), counted).astype(np.int64)


def read_spells(path: str | Path) -> pd.DataFrame:
    """Read and check a peace-spell CSV file; return one row per spell.

    Raises :class:`SpellFileError` listing every problem found (file, line,
    column): a missing required column, an unreadable date or number, an
    unknown ``war_outcome``, ``mission_type`` or ``mission_org``, ``relapsed``
    or ``ethnic_war`` not 0/1, a duplicate ``case_id``, ``end_date`` before
    ``peace_start``, ``mission_end`` before ``mission_start``, a negative
    number, war deaths or duration above the spec's bounds, an infinite number, a date
    outside 1900-2100, NUL bytes or a runaway line, mission fields that contradict each other (an organisation or
    dates for mission type ``none``, organisation ``none`` for a mission), or
    a mission window that misses the spell.  Unknown columns are ignored.

    Returns exactly :data:`SPELL_COLUMNS`: text columns as ``str``, dates as
    datetimes (``mission_end`` NaT: still there at ``end_date``),
    ``war_deaths`` and ``war_duration_years`` floats, ``ethnic_war`` and
    ``relapsed`` ints.  Empty optional values get :data:`SPELL_DEFAULTS`;
    ``df.attrs["defaulted"]`` counts the cells filled per column.
    """
    parsed = parse(path, _COLS)
    df = parsed.frame
    cases = df["case_id"].astype("str").str.strip()
    dup = cases.duplicated(keep="first") & df["case_id"].notna()
    if dup.any():
        first_line = dict(zip(cases[~dup].to_numpy(), parsed.lines()[~dup.to_numpy()], strict=False))
        parsed.report(
            dup, "case_id", lambda i: f"case_id '{cases.iloc[i]}' is already used on line {first_line.get(cases.iloc[i])}"
        )
    _order(parsed, "end_date", "peace_start", "end_date {a} is before peace_start {b}")
    _order(parsed, "mission_end", "mission_start", "mission_end {a} is before mission_start {b}")
    _order(
        parsed,
        "end_date",
        "mission_start",
        "mission_start {b} is after end_date {a}: the mission is not in the spell",
        col="mission_start",
    )
    _order(parsed, "mission_end", "peace_start", "mission_end {a} is before peace_start {b}: the mission is not in the spell")
    for c in ("war_deaths", "war_duration_years"):
        parsed.report(df[c] < 0, c, per_cell(f"{c} cannot be negative ({{:g}})", df[c]))
    _mission_consistency(parsed)
    if "prior_relapses" in parsed.missing:
        df = df.drop(columns=["prior_relapses"])
    if "relapse_definition" in parsed.missing:
        df = df.drop(columns=["relapse_definition"])
    else:
        parsed.report(~df["relapse_definition"].map(_definition_ok), "relapse_definition", per_cell(
            "relapse_definition '{}' is not 'conflict' (25 battle deaths a year), 'war' (1,000) or a positive number",
            df["relapse_definition"],
        ))  # fmt: skip
    raise_problems(parsed, "peace-spell file", SpellFileError)
    return _fill_defaults(df)


def _definition_ok(v: object) -> bool:
    """An empty cell (the default), 'conflict', 'war' or a positive number of battle deaths."""
    if v is None or pd.isna(v) or str(v).strip() in ("", "conflict", "war"):  # type: ignore[arg-type]
        return True
    try:
        return float(str(v)) > 0
    except ValueError:
        return False


def _shown(value: object) -> str:
    return "empty (read as 'none')" if pd.isna(value) else f"'{value}'"


def _mission_consistency(parsed: Parsed) -> None:
    """Mission fields that contradict each other (rows with an unknown type or organisation are skipped)."""
    df = parsed.frame
    mtype, org = df["mission_type"], df["mission_org"]
    known = (mtype.isna() | mtype.isin(MISSION_TYPES)) & (org.isna() | org.isin(MISSION_ORGS))
    no_mission = (mtype.fillna("none") == "none") & known
    parsed.report(
        no_mission & org.notna() & (org != "none"),
        "mission_org",
        lambda i: f"mission_org '{org.iloc[i]}' is given but mission_type is {_shown(mtype.iloc[i])}",
    )
    parsed.report(
        ~no_mission & known & (org == "none").fillna(False),
        "mission_org",
        lambda i: f"mission_org is 'none' but mission_type is '{mtype.iloc[i]}'",
    )
    for c in ("mission_start", "mission_end"):
        parsed.report(no_mission & df[c].notna(), c, per_cell(f"{c} is given but mission_type is {{}}", mtype.map(_shown)))


def _order(parsed: Parsed, later: str, earlier: str, message: str, col: str | None = None) -> None:
    """Report rows where ``later`` < ``earlier`` (both present), at column ``col`` (default ``later``)."""
    df = parsed.frame
    a, b = df[later], df[earlier]
    bad = (a < b).fillna(False).to_numpy()
    parsed.report(bad, col or later, lambda i: message.format(a=_day(a.iloc[i]), b=_day(b.iloc[i])))


def _fill_defaults(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    filled: dict[str, int] = {}

    def fill(col: str, mask: pd.Series, value: object) -> None:
        filled[col] = int(mask.sum())
        out.loc[mask, col] = value

    for col, fallback in (("war_deaths", FALLBACK_WAR_DEATHS), ("war_duration_years", FALLBACK_WAR_DURATION_YEARS)):
        median = out[col].median()
        fill(col, out[col].isna(), fallback if pd.isna(median) else float(median))
    fill("ethnic_war", out["ethnic_war"].isna(), 0)
    fill("mission_type", out["mission_type"].isna(), "none")
    has_mission = out["mission_type"] != "none"
    fill("mission_org", out["mission_org"].isna() & has_mission, "un")
    out.loc[out["mission_org"].isna(), "mission_org"] = "none"
    missing_start = out["mission_start"].isna() & has_mission
    fill("mission_start", missing_start, out.loc[missing_start, "peace_start"])
    out = out.astype({"ethnic_war": "int64", "relapsed": "int64", "case_id": "str", "country": "str"})
    out["case_id"] = out["case_id"].str.strip()
    # a source's relapse definition (endstate.experiments.backtest.RELAPSE_DEFINITIONS) travels with its spells
    out = out[SPELL_COLUMNS + [c for c in OPTIONAL_PASSTHROUGH if c in out.columns]]
    out.attrs["defaulted"] = {k: v for k, v in filled.items() if v}
    return out


def write_spells(df: pd.DataFrame, path: str | Path) -> None:
    """Write spells as CSV: :data:`SPELL_COLUMNS` first (absent optional ones empty), other columns after.

    Dates are written ``YYYY-MM-DD``, numbers without trailing zeros, missing
    values as empty cells.  Raises ``ValueError`` if a required column is absent.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"cannot write spells without column(s): {', '.join(missing)}")
    out = df.copy()
    for c in SPELL_COLUMNS:
        if c not in out.columns:
            out[c] = pd.NA
    for c in ("ethnic_war", "relapsed"):
        out[c] = pd.to_numeric(out[c]).astype("Int64")
    extra = [c for c in out.columns if c not in SPELL_COLUMNS]
    out[SPELL_COLUMNS + extra].to_csv(path, index=False, float_format="%.10g", date_format="%Y-%m-%d")


def relapse_summary(spells: pd.DataFrame, years: float = 5.0, by: str = "war_outcome") -> pd.DataFrame:
    """Share of spells that relapsed within ``years``, per value of ``by``.

    A spell counts in the denominator when it relapsed within ``years`` or was
    observed at least that long (spells censored earlier are left out, so
    recent cases do not pull the share down).  Columns: ``spells`` (all),
    ``observed`` (in the denominator), ``relapsed`` (within ``years``),
    ``share``; a ``total`` row comes last.
    """
    span = (spells["end_date"] - spells["peace_start"]).dt.days / 365.25
    early = (spells["relapsed"] == 1) & (span <= years)
    observed = early | (span >= years)
    frame = pd.DataFrame({"key": spells[by].astype("str"), "early": early, "observed": observed})
    g = frame.groupby("key").agg(spells=("early", "size"), observed=("observed", "sum"), relapsed=("early", "sum"))
    g.loc["total"] = g.sum()
    g["share"] = (g["relapsed"] / g["observed"].where(g["observed"] > 0)).round(3)
    g.index.name = by
    return g


# --------------------------------------------------------------------------- builders

UCDP_OUTCOME_TO_WAR_OUTCOME: dict[int, str] = {
    1: "settlement",
    2: "truce",
    3: "victory",
    4: "victory",
    5: "truce",
    6: "victory",
}
"""UCDP termination outcome -> war_outcome.  Peace agreement: settlement.  Ceasefire: truce.  Government or
rebel victory: victory.  Low activity (fighting fell below 25 deaths a year with no agreement or victory): truce,
the closest kind, an informal halt that settles nothing.  Actor ceases to exist (the rebel group dissolved or was
absorbed): victory, since one side is gone as an armed force."""

TERRITORY_ISO3: dict[str, str] = {
    "East Timor": "TLS",
    "Eritrea": "ERI",
    "Southern Sudan": "SSD",
    "Sahrawi Arab Democratic Republic (Western Sahara)": "ESH",
    "Namibia": "NAM",
    "Croatia": "HRV",
    "Slovenia": "SVN",
}
"""UCDP territories (located in another state at the time) that are now states or UN mission areas:
spells there are matched with missions in both."""

Relapse = Literal["conflict", "country"]


def _episodes(term: pd.DataFrame) -> pd.DataFrame:
    """Intrastate conflict episodes (types 3 and 4), one row each.

    An episode ends on the row with ``confterm`` 1; the next row of the same
    conflict starts a new one.  (Ten conflicts of v3-2021 restart in 2020
    under the ended episode's ``conflictep_id``; counting this way splits them.)
    """
    t = term[term["type_of_conflict"].isin([3, 4])].sort_values(["conflict_id", "year"])
    ended_before = t.groupby("conflict_id")["confterm"].shift(1, fill_value=0)
    t = t.assign(episode=ended_before.groupby(t["conflict_id"]).cumsum() + 1)
    g = t.groupby(["conflict_id", "episode"], sort=False)
    ep = g.agg(
        location=("location", "last"),
        gwno_loc=("gwno_loc", "last"),
        territory_name=("territory_name", "last"),
        incompatibility=("incompatibility", "last"),
        start=("start_date2", "first"),
        end=("ependdate", "last"),
        outcome=("outcome", "last"),
        ended=("confterm", "max"),
        max_intensity=("intensity_level", "max"),
        first_year=("year", "min"),
        last_year=("year", "max"),
    ).reset_index()
    ep["gw"] = ep["gwno_loc"].map(lambda v: str(v).split(",")[0].strip())
    return ep


def _episode_deaths(ep: pd.DataFrame, battle_deaths: pd.DataFrame) -> pd.Series:
    """Battle deaths (best estimate) summed over an episode's years, where the data cover all of them."""
    per_year = battle_deaths.groupby(["conflict_id", "year"], as_index=False)["bd_best"].sum()
    lo, hi = per_year["year"].min(), per_year["year"].max()
    covered = ep[(ep["first_year"] >= lo) & (ep["last_year"] <= hi)]
    m = covered[["conflict_id", "episode", "first_year", "last_year"]].merge(per_year, on="conflict_id")
    m = m[(m["year"] >= m["first_year"]) & (m["year"] <= m["last_year"])]
    sums = m.groupby(["conflict_id", "episode"])["bd_best"].sum(min_count=1)
    key = pd.MultiIndex.from_frame(ep[["conflict_id", "episode"]])
    return pd.Series(sums.reindex(key).to_numpy(dtype="float64"), index=ep.index)


def _next_onset(spells: pd.DataFrame, onsets: pd.DataFrame, by: str) -> pd.Series:
    """First onset strictly after each spell's peace_start with the same ``by`` key."""
    left = spells[[by, "peace_start"]].reset_index().sort_values("peace_start")
    right = onsets[[by, "start"]].dropna().sort_values("start")
    m = pd.merge_asof(left, right, left_on="peace_start", right_on="start", by=by, direction="forward", allow_exact_matches=False)
    return m.set_index("index")["start"].reindex(spells.index)


MISSION_LAG_YEARS = 5.0
"""Operations starting later than this after peace_start answer later crises, not the end of this war."""


def attach_missions(
    spells: pd.DataFrame, missions: pd.DataFrame, keys: pd.Series, lag_years: float | None = MISSION_LAG_YEARS
) -> pd.DataFrame:
    """Set mission_* columns to the strongest operation overlapping each spell in one of its countries.

    ``keys`` holds, per spell, a tuple of ISO-3 codes.  Operations flagged
    ``interstate`` are skipped.  Overlap: the operation starts on or before
    ``end_date`` and ends (or is still running) on or after ``peace_start``;
    and it starts no later than ``lag_years`` after ``peace_start`` (``None``:
    no limit), since spells can run for decades and a mission arriving twenty
    years on was sent for another crisis.
    Strongest: highest :data:`~endstate.types.MISSION_TYPES` rank; ties go to
    verified (UN) sources, then to the earliest start.  Adds ``mission_name``,
    ``mission_source`` and ``mission_verified``.
    """
    out = spells.copy()
    pairs = pd.DataFrame({"row": out.index, "iso3": keys.to_numpy()}).explode("iso3").dropna()
    ops = missions[~missions["interstate"]].assign(rank=missions["mission_type"].map({t: i for i, t in enumerate(MISSION_TYPES)}))
    m = pairs.merge(ops, on="iso3")
    m = m.join(out[["peace_start", "end_date"]], on="row")
    m = m[(m["start"] <= m["end_date"]) & (m["end"].isna() | (m["end"] >= m["peace_start"]))]
    if lag_years is not None:
        m = m[m["start"] <= m["peace_start"] + pd.to_timedelta(lag_years * 365.25, unit="D")]
    best = m.sort_values(["rank", "verified", "start"], ascending=[False, False, True]).drop_duplicates("row").set_index("row")
    out["mission_type"] = best["mission_type"].reindex(out.index).fillna("none")
    out["mission_org"] = best["org"].reindex(out.index).fillna("none")
    out["mission_start"] = best["start"].reindex(out.index)
    out["mission_end"] = best["end"].reindex(out.index)
    out["mission_name"] = best["mission"].reindex(out.index)
    out["mission_source"] = best["source"].reindex(out.index)
    out["mission_verified"] = best["verified"].reindex(out.index).astype("boolean")
    return out


def spells_from_ucdp_termination(
    term: pd.DataFrame,
    battle_deaths: pd.DataFrame | None = None,
    missions: pd.DataFrame | None = None,
    *,
    relapse: Relapse = "conflict",
    min_intensity: int = 1,
    observed_until: pd.Timestamp | None = None,
    mission_lag_years: float | None = MISSION_LAG_YEARS,
) -> pd.DataFrame:
    """One spell per ended episode of an intrastate conflict (UCDP types 3 and 4).

    ``term`` is :func:`~endstate.data.ucdp.read_termination`'s frame,
    ``battle_deaths`` :func:`~endstate.data.ucdp.read_battle_deaths`'s (for
    ``war_deaths``; empty without it), ``missions``
    :func:`~endstate.data.missions.mission_table`'s (without it every spell has
    mission type ``none``).

    - ``peace_start``: the episode's end date (``ependdate``);
    - ``war_outcome``: :data:`UCDP_OUTCOME_TO_WAR_OUTCOME`;
    - ``war_deaths``: battle deaths summed over the episode's years when the
      deaths data cover all of them (1989 on), else empty;
    - ``war_duration_years``: episode start (``start_date2``) to end, in years;
    - ``ethnic_war``: 1 for a territorial incompatibility (autonomy or
      secession, nearly always fought by an identity group), empty (unknown)
      for wars over government;
    - relapse: the next onset of an episode of the same conflict
      (``relapse="conflict"``, UCDP's own notion of recurrence) or of any
      intrastate conflict located in the same country (``"country"``); it sets
      ``end_date`` and ``relapsed``=1; spells with no onset by
      ``observed_until`` (default 31 December of the data's last year) are
      censored there;
    - missions: :func:`attach_missions` by the location's ISO-3 (and the
      territory's, :data:`TERRITORY_ISO3`), with ``mission_lag_years``;
    - ``min_intensity`` 2 keeps only episodes that reached 1,000 deaths in a year.

    Extra columns: ``conflict_id``, ``episode``, ``gwno_loc``, ``iso3``,
    ``incompatibility``, ``max_intensity``, ``ucdp_outcome``, and the
    ``mission_*`` details of :func:`attach_missions`.
    """
    ep = _episodes(term)
    if observed_until is None:
        observed_until = pd.Timestamp(year=int(term["year"].max()), month=12, day=31)
    onsets = ep[["conflict_id", "gw", "start"]]
    sp = ep[(ep["ended"] == 1) & (ep["max_intensity"] >= min_intensity)].copy()
    sp["peace_start"] = sp["end"]
    nxt = _next_onset(sp, onsets, "conflict_id" if relapse == "conflict" else "gw")
    relapsed = nxt.notna() & (nxt <= observed_until)
    deaths = _episode_deaths(ep, battle_deaths).loc[sp.index] if battle_deaths is not None else np.nan
    iso = sp["gw"].map(gw_to_iso3)
    out = pd.DataFrame(
        {
            "case_id": "ucdp-" + sp["conflict_id"].astype("str") + "-" + sp["episode"].astype("str"),
            "country": sp["location"],
            "peace_start": sp["peace_start"],
            "war_outcome": sp["outcome"].map(UCDP_OUTCOME_TO_WAR_OUTCOME),
            "war_deaths": deaths,
            "war_duration_years": ((sp["end"] - sp["start"]).dt.days / 365.25).round(2),
            "ethnic_war": np.where(sp["incompatibility"].isin([1, 3]).fillna(False), 1, np.nan),
            "end_date": nxt.where(relapsed, observed_until),
            "relapsed": relapsed.astype("int64"),
            "conflict_id": sp["conflict_id"],
            "episode": sp["episode"],
            "gwno_loc": sp["gwno_loc"],
            "iso3": iso,
            "incompatibility": sp["incompatibility"],
            "max_intensity": sp["max_intensity"],
            "ucdp_outcome": sp["outcome"].map(TERMINATION_OUTCOMES),
        }
    )
    out["end_date"] = out["end_date"].astype("datetime64[us]")
    keys = pd.Series(
        [
            tuple(k for k in (i, TERRITORY_ISO3.get(str(t))) if isinstance(k, str))
            for i, t in zip(iso, sp["territory_name"], strict=True)
        ],
        index=sp.index,
    )
    if missions is not None:
        out = attach_missions(out, missions, keys, mission_lag_years)
    else:
        out = out.assign(mission_type="none", mission_org="none", mission_start=pd.NaT, mission_end=pd.NaT)
    out["relapse_definition"] = "conflict"  # a new UCDP episode: 25 battle deaths in a calendar year
    extra = [c for c in out.columns if c not in SPELL_COLUMNS]
    return out[SPELL_COLUMNS + extra].sort_values(["peace_start", "case_id"], ignore_index=True)


DS_UNTYPE_TO_MISSION_TYPE: dict[str, str] = {
    "None": "none",
    "Observer": "observer",
    "TradPKO": "traditional",
    "MultiPKO": "multidimensional",
    "Enforcement+": "enforcement",
}
"""Doyle & Sambanis ``untype`` -> mission_type.  A war with no UN operation but UN mediation
(``un2cint`` "Mediation") gets ``political``: the UN's presence was diplomatic."""

DS_RELAPSE_WINDOWS: tuple[tuple[str, float, float], ...] = (("warend2", 0.0, 2.0), ("warend5", 2.0, 5.0), ("warend10", 5.0, 10.0))
"""Doyle & Sambanis's checks: (column, from, to years after the war's end).  0 in a column means war
resumed within its span; the relapse is dated at the middle of the first span that failed (1, 3.5 or 7.5
years: the data say only in which span it fell).  A spell with no failed span is censored at the end
of the longest span known to be peaceful."""


def _ds_peace_start(start_year: int, end_year: int, months: float) -> pd.Timestamp:
    """Middle of the dates consistent with both the end year and (start year + duration).

    Doyle & Sambanis give years and a duration in months, not an end month:
    the war ended in ``end_year``, and ``months`` after some day of
    ``start_year``.  Where the two windows do not meet (the duration is
    rounded) or the duration is missing, 1 July of the end year.
    """
    lo = pd.Timestamp(year=end_year, month=1, day=1)
    hi = pd.Timestamp(year=end_year, month=12, day=31)
    if not pd.isna(months):
        offset = pd.DateOffset(months=int(round(months)))
        lo_d = pd.Timestamp(year=start_year, month=1, day=1) + offset
        hi_d = pd.Timestamp(year=start_year, month=12, day=31) + offset
        lo, hi = max(lo, lo_d), min(hi, hi_d)
    if lo > hi or pd.isna(months):
        return pd.Timestamp(year=end_year, month=7, day=1)
    return (lo + (hi - lo) / 2).normalize()


def spells_from_doyle_sambanis(ds: pd.DataFrame) -> pd.DataFrame:
    """One spell per ended war of :func:`~endstate.data.doyle_sambanis.read_doyle_sambanis`'s frame.

    Wars still going (``outcome`` "War", no end year) are left out.

    - ``peace_start``: :func:`_ds_peace_start` from ``start_year``,
      ``end_year`` and ``duration_months`` (the data have no end month);
    - ``war_outcome``: their ``outcome`` lower-cased (Victory, Settlement, Truce);
    - ``war_deaths`` = ``deaths``; ``war_duration_years`` = ``duration_months``/12;
      ``ethnic_war`` = ``ethnic`` (their ``wartype``);
    - ``mission_type``: :data:`DS_UNTYPE_TO_MISSION_TYPE`, ``mission_org`` ``un``
      when there is one; mission dates empty (not in the data);
    - relapse: :data:`DS_RELAPSE_WINDOWS`.

    Extra columns: ``ds_case_code``, ``ds_untype``, ``relapse_window_years``
    (e.g. ``"2-5"``; empty when censored), ``pbs2s3``, ``pbs5s3``.
    """
    d = ds[(ds["outcome"] != "War") & ds["end_year"].notna()].copy()
    starts = [
        _ds_peace_start(int(a), int(b), m) for a, b, m in zip(d["start_year"], d["end_year"], d["duration_months"], strict=True)
    ]
    d["peace_start"] = pd.Series(starts, index=d.index, dtype="datetime64[us]")
    years = pd.Series(np.nan, index=d.index)
    window = pd.Series(pd.NA, index=d.index, dtype="str")
    censor = pd.Series(np.nan, index=d.index)
    for col, lo, hi in DS_RELAPSE_WINDOWS:
        failed = (d[col] == 0).fillna(False) & years.isna()
        years[failed] = (lo + hi) / 2
        window[failed] = f"{lo:g}-{hi:g}"
        censor[(d[col] == 1).fillna(False)] = hi
    relapsed = years.notna()
    span = years.where(relapsed, censor).fillna(0.0)
    mission = d["untype"].map(DS_UNTYPE_TO_MISSION_TYPE).fillna("none")
    mission = mission.mask((mission == "none") & (d["un2cint"] == "Mediation"), "political")
    out = pd.DataFrame(
        {
            "case_id": "ds-" + d["case_code"],
            "country": d["name"],
            "peace_start": d["peace_start"],
            "war_outcome": d["outcome"].str.lower(),
            "war_deaths": d["deaths"],
            "war_duration_years": (d["duration_months"] / 12).round(2),
            "ethnic_war": d["ethnic"],
            "mission_type": mission,
            "mission_org": np.where(mission != "none", "un", "none"),
            "mission_start": pd.NaT,
            "mission_end": pd.NaT,
            "end_date": (d["peace_start"] + pd.to_timedelta(span * 365.25, unit="D")).dt.normalize(),
            "relapsed": relapsed.astype("int64"),
            "relapse_definition": "war",  # Doyle & Sambanis code war recurrence (1,000 battle deaths)
            "ds_case_code": d["case_code"],
            "ds_untype": d["untype"],
            "relapse_window_years": window,
            "pbs2s3": d["pbs2s3"],
            "pbs5s3": d["pbs5s3"],
        }
    )
    return out.sort_values(["peace_start", "case_id"], ignore_index=True)
