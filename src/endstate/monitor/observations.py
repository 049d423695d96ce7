"""Observations of a live mission: the tidy file, its checks, and builders from producers' data.

Core objects: :data:`COLUMNS` (the tidy format, documented in
``docs/monitoring.md``), :func:`read_observations` (CSV or Parquet, every
problem reported at once by file, line and field), :func:`write_observations`,
:class:`RegionMapper` (admin-1 names -> the spec's regions) and the builders
:func:`from_events` (ACLED or UCDP GED events -> monthly deaths by region),
:func:`from_ipi`, :func:`from_geopko` (mission personnel) and
:func:`read_sheet` (a mission's own indicator sheet, one column per indicator).

One observation is one row: ``month`` (``YYYY-MM``), ``region`` (a region id
of the spec or ``country``), ``indicator`` (one of :data:`OBSERVABLE`),
``value``, ``source``, and optionally ``vintage`` (the release it came from:
when one source gives the same month twice, the latest vintage wins) and
``uncertainty`` (the observation's standard error on the scale the indicator's
likelihood uses, see :mod:`endstate.monitor.likelihood`).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from endstate.data._csv import Col, Parsed, parse, per_cell, raise_problems
from endstate.data.errors import DataFileError, FileProblem
from endstate.data.ucdp_ged import vintage_key
from endstate.outcomes.folder import write_file_atomically
from endstate.spec.models import MissionSpec
from endstate.types import INDICATORS

COUNTRY = "country"
"""The ``region`` value of a country-wide observation."""

OBSERVABLE: dict[str, str] = {**{k: v[1] for k, v in INDICATORS.items()}, "personnel": "international uniformed personnel deployed"}
"""Indicators an observation may carry: the model's goal indicators plus mission personnel."""

UNIT_INDICATORS = frozenset(k for k, v in INDICATORS.items() if v[0] == "0-1")
"""Indicators on a 0-1 scale (values above 1 are refused)."""

COLUMNS: dict[str, str] = {
    "month": "calendar month, YYYY-MM",
    "region": "a region id of the spec, or 'country' for the whole country",
    "indicator": "one of the observable indicators (docs/monitoring.md)",
    "value": "the observed value (deaths in the month, personnel, a 0-1 index...)",
    "source": "who produced it (ACLED, UCDP GED, IPI, the mission's CPAS sheet...)",
    "vintage": "optional: the release it came from; of two releases of one source the later wins",
    "uncertainty": "optional: the observation's standard error (see docs/monitoring.md for each indicator's scale)",
}
OPTIONAL = ("vintage", "uncertainty")

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ObservationError(DataFileError):
    """A malformed observations file, or event data that cannot be mapped to the spec."""


def _columns() -> list[Col]:
    return [
        Col("month", not_null=True),
        Col("region", not_null=True),
        Col("indicator", not_null=True),
        Col("value", kind="float", not_null=True),
        Col("source", not_null=True),
        Col("vintage", required=False),
        Col("uncertainty", kind="float", required=False),
    ]


def _parse_any(path: Path) -> Parsed:
    """CSV or Parquet parsed; a file that cannot be read at all (missing, empty, header only) is an :class:`ObservationError`."""
    try:
        return _parse_file(path)
    except ObservationError:
        raise
    except DataFileError as e:
        raise ObservationError(e.problems, "observations file") from None


def _parse_file(path: Path) -> Parsed:
    """CSV as it is; Parquet written to a temporary CSV first, problems still named by the Parquet file.

    Line numbers of a Parquet file count its rows as a CSV's lines would (row 1 is line 2).
    """
    if path.suffix.lower() not in (".parquet", ".pq"):
        return parse(path, _columns())
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as e:
        raise ObservationError([FileProblem(str(path), None, None, f"cannot be read as Parquet: {e}")], "observations file") from None
    frame = table.to_pandas().astype("string")
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "observations.csv"
        pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), csv_path)
        parsed = parse(csv_path, _columns())
        parsed.lines()  # line numbers worked out while the file exists
    parsed.path = str(path)
    parsed.problems = [dataclasses.replace(p, file=str(path)) for p in parsed.problems]
    return parsed


def read_observations(path: str | Path, spec: MissionSpec | None = None) -> pd.DataFrame:
    """The observations in ``path`` (CSV or Parquet), checked; with ``spec``, regions are checked against it.

    Returns the tidy frame with ``month`` as a monthly ``Period``, later
    vintages replacing earlier ones of the same source, sorted by month.
    Raises :class:`ObservationError` listing every problem at once.
    """
    path = Path(path)
    parsed = _parse_any(path)
    df = parsed.frame
    if parsed.has("month"):
        month = df["month"].str.strip()
        parsed.report(month.notna() & ~month.str.match(_MONTH).fillna(False).astype(bool), "month", per_cell("'{}' is not a month written YYYY-MM", month))
    if parsed.has("indicator"):
        ind = df["indicator"].str.strip()
        unknown = ind.notna() & ~ind.isin(list(OBSERVABLE))
        parsed.report(unknown, "indicator", lambda i: _unknown("indicator", ind.iloc[i], list(OBSERVABLE)))
    else:
        ind = pd.Series("", index=df.index)
    if parsed.has("region") and spec is not None:
        reg = df["region"].str.strip()
        allowed = [*spec.region_ids, COUNTRY]
        parsed.report(reg.notna() & ~reg.isin(allowed), "region", lambda i: _unknown("region", reg.iloc[i], allowed))
    if parsed.has("value"):
        v = df["value"]
        parsed.report(v.notna() & ~np.isfinite(v.fillna(0.0)), "value", "the value must be a finite number")
        parsed.report(v < 0, "value", per_cell("'{}' is negative; observed indicators are counts, rates or shares", v))
        parsed.report(ind.isin(list(UNIT_INDICATORS)) & (v > 1), "value", lambda i: f"{ind.iloc[i]} is on a 0-1 scale; {v.iloc[i]:g} is above 1")
    if parsed.has("uncertainty"):
        u = df["uncertainty"]
        parsed.report(u.notna() & ~(u >= 0), "uncertainty", per_cell("'{}' is not a standard error (a number 0 or above)", u))
    if len(df):
        key = [df[c].fillna("").str.strip() for c in ("month", "region", "indicator", "source", "vintage")]
        keys = pd.Series(list(zip(*key, strict=True)), index=df.index)
        dup = keys.duplicated(keep="first") & (key[0] != "") & (key[2] != "")
        first = {k: i for i, k in reversed(list(enumerate(keys)))}
        lines = parsed.lines()
        parsed.report(dup, "month", lambda i: f"the same month, region, indicator, source and vintage as line {int(lines[first[keys.iloc[i]]])}")
    raise_problems(parsed, "observations file", ObservationError)
    out = pd.DataFrame(
        {
            "month": pd.PeriodIndex(df["month"].str.strip(), freq="M"),
            "region": df["region"].str.strip(),
            "indicator": df["indicator"].str.strip(),
            "value": df["value"].astype(float),
            "source": df["source"].str.strip(),
            "vintage": df["vintage"].fillna("").str.strip() if parsed.has("vintage") else "",
            "uncertainty": df["uncertainty"].astype(float) if parsed.has("uncertainty") else np.nan,
        }
    )
    return latest_vintage(out)


def _unknown(field: str, value: str, known: list[str]) -> str:
    near = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(repr(n) for n in near)}?" if near else f"known: {', '.join(known)}"
    return f"unknown {field} '{value}'; {hint}"


def latest_vintage(obs: pd.DataFrame) -> pd.DataFrame:
    """Keep, for each month, region, indicator and source, the row of the latest vintage."""
    if obs.empty:
        return obs.reset_index(drop=True)
    order = obs["vintage"].map(lambda v: vintage_key(v) if v else ())
    ranked = obs.assign(_v=order).sort_values("_v", kind="stable")
    kept = ranked.drop_duplicates(["month", "region", "indicator", "source"], keep="last").drop(columns="_v")
    return kept.sort_values(["month", "indicator", "region", "source"], ignore_index=True)


def write_observations(obs: pd.DataFrame, path: str | Path, force: bool = True) -> None:
    """Write the tidy file (CSV, or Parquet for a ``.parquet`` name) atomically; without ``force`` an existing file is refused."""
    path = Path(path)
    frame = obs.assign(month=obs["month"].astype(str))[list(COLUMNS)]
    if path.suffix.lower() in (".parquet", ".pq"):
        write_file_atomically(path, lambda p: frame.to_parquet(p, index=False), force)
    else:
        write_file_atomically(path, lambda p: frame.to_csv(p, index=False, float_format="%.6g"), force)


# ---------------------------------------------------------------- admin-1 names to regions


def normalise_name(name: str) -> str:
    """Compare admin-1 names as event data spell them: no accents, case, suffix or punctuation.

    ``"Mambéré-Kadéi province"`` (UCDP GED) and ``"Mambere-Kadei"`` (ACLED) both become ``"mamberekadei"``.
    """
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    s = re.sub(r"\b(province|prefecture|region|state|district|county|governorate)\b", " ", s)
    return re.sub(r"[^a-z0-9]", "", s)


class RegionMapper:
    """Admin-1 names -> the spec's region ids, from each region's ``admin1`` list."""

    def __init__(self, spec: MissionSpec):
        self.spec = spec
        self.table: dict[str, str] = {}
        for r in spec.theatre.regions:
            for name in r.admin1:
                self.table[normalise_name(name)] = r.id
            self.table.setdefault(normalise_name(r.id), r.id)
        self.declared = any(r.admin1 for r in spec.theatre.regions)

    def regions(self, names: pd.Series, lines: np.ndarray, file: str, column: str) -> pd.Series:
        """The region of each name; empty names give ``None`` (counted for the country only).

        Raises :class:`ObservationError` naming every unmapped name once, with its
        first line, its count and the closest admin-1 names the spec lists.
        """
        norm = names.fillna("").map(normalise_name)
        out = norm.map(self.table)
        bad = (norm != "") & out.isna()
        if not bad.any():
            return out.where(norm != "", None)
        known = sorted({n for r in self.spec.theatre.regions for n in r.admin1})
        problems = []
        for name, idx in names[bad].groupby(names[bad]).groups.items():
            pos = names.index.get_indexer(idx)
            near = difflib.get_close_matches(str(name), known, n=3, cutoff=0.5)
            hint = f"closest: {', '.join(repr(n) for n in near)}" if near else (f"the spec's admin-1 names: {', '.join(known)}" if known else "the spec's regions list no admin-1 names")
            problems.append(
                FileProblem(
                    file, int(lines[pos[0]]), column,
                    f"admin-1 '{name}' ({len(pos)} events) is in no region of the spec; {hint}; add it to a region's admin1 list",
                )
            )
        raise ObservationError(problems, "event file")


EVENT_INDICATORS: dict[str, dict[str, str]] = {
    "acled": {
        "Battles": "battle_deaths",
        "Explosions/Remote violence": "battle_deaths",
        "Violence against civilians": "civilian_deaths",
    },
    "ucdp": {"1": "battle_deaths", "2": "battle_deaths", "3": "civilian_deaths"},
}
"""Which events' deaths count towards which indicator (docs/monitoring.md explains the choice).

ACLED: fatalities in battles and in explosions/remote violence are battle
deaths, in violence against civilians civilian deaths; riots are counted as
events (``riots``).  UCDP: state-based (1) and non-state (2) violence are
battle deaths, one-sided violence (3) civilian deaths (``best`` estimate)."""


def from_events(events: pd.DataFrame, spec: MissionSpec, source: str, producer: str, file: str = "") -> pd.DataFrame:
    """Monthly deaths by region and for the country from :func:`~endstate.data.acled.read_acled`
    or :func:`~endstate.data.ucdp_ged.read_ucdp_ged` events.

    ``producer`` is ``"acled"`` or ``"ucdp"``.  UCDP events combined from
    several releases (:func:`~endstate.data.ucdp_ged.latest_events`) are summed
    together and carry the newest release as their vintage.  Months between the first and
    last event with no event get zeros (no events reported is a count of
    zero).  An indicator appears only when at least one event feeds it: an
    export of battles alone says nothing about civilian deaths.  Region rows
    appear only when the spec maps admin-1 names.
    """
    mapper = RegionMapper(spec)
    if producer == "acled":
        kind = events["event_type"]
        deaths = events["fatalities"].astype(float)
    else:
        kind = events["type_of_violence"].astype(str)
        deaths = events["best"].astype(float)
    table = EVENT_INDICATORS[producer]
    ev = pd.DataFrame({"month": events["date"].dt.to_period("M"), "indicator": kind.map(table), "value": deaths})
    if producer == "acled":
        riots = events["event_type"] == "Riots"
        ev = pd.concat([ev, pd.DataFrame({"month": ev["month"][riots], "indicator": "riots", "value": 1.0})])
    ev["region"] = COUNTRY
    parts = [ev.dropna(subset=["indicator"])]
    if mapper.declared:
        reg = mapper.regions(events["admin1"], events["line"].to_numpy(), file, "admin1" if producer == "acled" else "adm_1")
        regional = ev.assign(region=reg.reindex(ev.index).to_numpy()).dropna(subset=["indicator", "region"])
        parts.append(regional)
    # events combined from several releases: the month's figure is the newest release's view of each event
    vintage = max((str(v) for v in events["vintage"].unique()), key=vintage_key) if "vintage" in events and len(events) else ""
    return _monthly(pd.concat(parts, ignore_index=True), source, vintage, [*([r.id for r in spec.theatre.regions] if mapper.declared else []), COUNTRY])


def _monthly(ev: pd.DataFrame, source: str, vintage: str, regions: list[str]) -> pd.DataFrame:
    """Sums by month, region and indicator, with zero months filled in over the span of the data."""
    if ev.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    sums = ev.groupby(["month", "region", "indicator"])["value"].sum()
    months = pd.period_range(ev["month"].min(), ev["month"].max(), freq="M")
    full = pd.MultiIndex.from_product([months, regions, sorted(ev["indicator"].unique())], names=["month", "region", "indicator"])
    frame = sums.reindex(full, fill_value=0.0).reset_index()
    frame["source"] = source
    frame["vintage"] = vintage
    frame["uncertainty"] = np.nan
    return frame[list(COLUMNS)]


def from_ipi(ipi: pd.DataFrame, mission: str) -> pd.DataFrame:
    """Country-wide ``personnel`` (troops, police and observers) of ``mission`` from the IPI mission-month file."""
    rows = ipi[ipi["mission"].str.strip().str.casefold() == mission.strip().casefold()]
    if rows.empty:
        known = ", ".join(sorted(ipi["mission"].dropna().unique())[:80])
        raise ObservationError([FileProblem("IPI file", None, "mission", f"no rows for mission '{mission}'; the file has: {known}")], "IPI file")
    return _personnel(rows["date"].dt.to_period("M"), rows["total"].astype(float), "IPI Providing for Peacekeeping")


def from_geopko(geo: pd.DataFrame, mission: str) -> pd.DataFrame:
    """Country-wide ``personnel`` (troops summed over deployment sites) of ``mission`` from Geo-PKO."""
    rows = geo[geo["mission"].str.strip().str.casefold() == mission.strip().casefold()]
    if rows.empty:
        known = ", ".join(sorted(geo["mission"].dropna().unique()))
        raise ObservationError([FileProblem("Geo-PKO file", None, "Mission", f"no rows for mission '{mission}'; the file has: {known}")], "Geo-PKO file")
    return _personnel(rows["date"].dt.to_period("M"), rows["troops"].astype(float), "Geo-PKO v2.0")


def _personnel(month: pd.Series, value: pd.Series, source: str) -> pd.DataFrame:
    sums = pd.DataFrame({"month": month, "value": value.fillna(0.0)}).groupby("month")["value"].sum().reset_index()
    return sums.assign(region=COUNTRY, indicator="personnel", source=source, vintage="", uncertainty=np.nan)[list(COLUMNS)]


def read_sheet(path: str | Path, spec: MissionSpec | None = None) -> pd.DataFrame:
    """A mission's own indicator sheet: ``month``, optional ``region``, then one column per indicator.

    Column names are indicator names (:data:`OBSERVABLE`); empty cells are
    months not measured.  The sheet is turned into the tidy format (source:
    the file's name) and checked as an observations file is.
    """
    path = Path(path)
    try:
        header = pd.read_csv(path, nrows=0).columns.tolist()
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise ObservationError([FileProblem(str(path), None, None, f"cannot be read as CSV: {e}")], "indicator sheet") from None
    indicators = [h for h in header if h not in ("month", "region")]
    problems = [FileProblem(str(path), 1, h, _unknown("indicator", h, list(OBSERVABLE))) for h in indicators if h not in OBSERVABLE]
    if "month" not in header:
        problems.append(FileProblem(str(path), 1, "month", "required column is missing"))
    if problems or not indicators:
        if not indicators:
            problems.append(FileProblem(str(path), 1, None, "the sheet has no indicator columns"))
        raise ObservationError(problems, "indicator sheet")
    cols = [Col("month", not_null=True), Col("region", required=False), *[Col(h, kind="float") for h in indicators]]
    parsed = parse(path, cols)
    raise_problems(parsed, "indicator sheet", ObservationError)
    df = parsed.frame
    region = df["region"].fillna(COUNTRY) if parsed.has("region") else pd.Series(COUNTRY, index=df.index)
    long = df.assign(region=region, _line=parsed.lines()[: len(df)]).melt(id_vars=["month", "region", "_line"], value_vars=indicators, var_name="indicator")
    long = long.dropna(subset=["value"]).sort_values(["_line", "indicator"])
    long = long.assign(source=path.name, vintage="", uncertainty=np.nan)
    with tempfile.TemporaryDirectory() as tmp:
        tidy = Path(tmp) / path.name
        long[list(COLUMNS)].to_csv(tidy, index=False)
        try:
            return read_observations(tidy, spec)
        except ObservationError as e:
            # point back to the sheet's own lines
            lines = long["_line"].to_numpy()
            raise ObservationError(
                [dataclasses.replace(p, file=str(path), line=int(lines[p.line - 2]) if p.line and p.line >= 2 else p.line) for p in e.problems],
                "indicator sheet",
            ) from None


def combine(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Several observation frames as one, latest vintages winning."""
    frames = [p for p in parts if len(p)]
    if not frames:
        return pd.DataFrame(columns=list(COLUMNS))
    return latest_vintage(pd.concat(frames, ignore_index=True))
