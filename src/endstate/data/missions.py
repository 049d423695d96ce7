"""One table of peace operations (UN and, unverified, non-UN) with type, organisation and dates.

Core objects: :func:`mission_table`, :func:`classify_mission` and the
hand-coded sets :data:`ENFORCEMENT`, :data:`LEAD_STATE_OPERATIONS` and
:data:`IPI_ALIASES`.

UN operations come from the UN list (dates) and :data:`~endstate.data.un_operations.UN_MISSIONS`
(countries); their type is read from their peak uniformed personnel in the IPI
mission-month data (:func:`classify_mission`).  UN missions that IPI records
but the peacekeeping list does not are special political missions.  Non-UN
operations come from the peace operations conflict-month file, whose origin is
undocumented: they are marked ``verified=False``.
"""

from __future__ import annotations

import pandas as pd

from endstate.types import MissionType

from .crosswalk import gw_to_iso3
from .un_operations import AGGREGATE_ROWS, UN_MISSIONS

TROOP_FLOOR = 500
"""Fewer troops than this are guard, medical or logistics detachments, not a force."""
POLICE_FLOOR = 100
"""Fewer police than this are liaison officers, not a police component."""

ENFORCEMENT: dict[str, str] = {
    "ONUC": "used force to end the Katanga secession (Resolution 169, 1961)",
    "UNOSOM II": "Chapter VII mandate to disarm factions (Resolution 814, 1993)",
    "UNITAF": "US-led Chapter VII force (Resolution 794, 1992)",
    "IFOR": "NATO Chapter VII implementation force (Resolution 1031, 1995)",
    "SFOR": "NATO Chapter VII stabilisation force (Resolution 1088, 1996)",
    "KFOR": "NATO Chapter VII security presence (Resolution 1244, 1999)",
    "INTERFET": "Australian-led Chapter VII force (Resolution 1264, 1999)",
    "ISAF": "Chapter VII assistance force (Resolution 1386, 2001), fought the insurgency",
}
"""Operations authorised to use force beyond self-defence to impose or secure the peace."""

LEAD_STATE_OPERATIONS: dict[str, str] = {
    "INTERFET": "Australia",
    "ISF": "Australia",
    "PMG": "Australia",
    "TMG": "New Zealand",
    "IMT I": "Malaysia",
    "IMT II": "Malaysia",
    "Op. Licorne": "France",
    "Op. Sangaris": "France",
    "Op. Serval": "France",
    "Turquoise": "France",
    "UNITAF": "United States",
    "Uphold Dem.": "United States",
    "MIFH": "United States",
    "CPDTF": "United Kingdom",
}
"""Non-UN operations commanded by one lead state (the rest are regional organisations'), with the state."""

NON_UN_COUNTRY: dict[str, str] = {"INTERFET": "TLS", "ISF": "TLS"}
"""Non-UN operations the conflict-month file places in Indonesia (GW 850) but that served East Timor."""

IPI_ALIASES: dict[str, str] = {"UNAVEM": "UNAVEM III", "UNOSOM": "UNOSOM II", "ONUCI": "UNOCI"}
"""IPI series names that stand for an operation of the UN list (IPI's UNAVEM peaks under UNAVEM III)."""

IPI_NOT_MISSIONS: frozenset[str] = frozenset({"LBB"})
"""IPI rows that are no mission (LBB: the UN Logistics Base at Brindisi)."""

COLUMNS = [
    "mission",
    "org",
    "iso3",
    "start",
    "end",
    "mission_type",
    "troops_peak",
    "police_peak",
    "observers_peak",
    "interstate",
    "lead_state",
    "source",
    "verified",
]


def classify_mission(troops: float, police: float, observers: float, peacekeeping: bool = True) -> MissionType:
    """Mission type from peak uniformed personnel (missing counts as 0).

    - at least :data:`TROOP_FLOOR` troops: ``multidimensional`` with at least
      :data:`POLICE_FLOOR` police, else ``traditional``;
    - no uniformed personnel at all, or not on the peacekeeping list:
      ``political``;
    - a police-led mission (at least :data:`POLICE_FLOOR` police, more police
      than observers): ``multidimensional`` (policing and institution building
      are the multidimensional tasks);
    - otherwise (observers, a few troops or police): ``observer``.
    """
    t, p, o = (0.0 if pd.isna(x) else float(x) for x in (troops, police, observers))
    if t >= TROOP_FLOOR:
        return "multidimensional" if p >= POLICE_FLOOR else "traditional"
    if not peacekeeping or t + p + o == 0:
        return "political"
    if p >= POLICE_FLOOR and p >= o:
        return "multidimensional"
    return "observer"


def _peaks(df: pd.DataFrame, key: str, troops: str, police: str, observers: str) -> pd.DataFrame:
    return df.groupby(key).agg(
        troops_peak=(troops, "max"),
        police_peak=(police, "max"),
        observers_peak=(observers, "max"),
        first=("date", "min"),
        last=("date", "max"),
    )


def _un_rows(un_ops: pd.DataFrame, ipi_month: pd.DataFrame | None) -> list[dict]:
    peaks = pd.DataFrame()
    countries = pd.Series(dtype=object)
    ipi_end = None
    if ipi_month is not None:
        ipi = ipi_month.assign(mission=ipi_month["mission"].replace(IPI_ALIASES))
        ipi = ipi[~ipi["mission"].isin(IPI_NOT_MISSIONS)]
        peaks = _peaks(ipi, "mission", "troops", "police", "observers")
        ipi_end = ipi["date"].max()
        countries = ipi.groupby("mission")["iso3"].agg(lambda s: tuple(sorted(set(s.dropna()))))
    rows: list[dict] = []
    listed = set()
    for op in un_ops.itertuples(index=False):
        if op.mission in AGGREGATE_ROWS or pd.isna(op.start_date):
            continue
        listed.add(op.mission)
        info = UN_MISSIONS.get(op.mission)
        if info is None:
            continue
        if op.mission in peaks.index:
            pk = peaks.loc[op.mission]
            kind: MissionType = classify_mission(pk.troops_peak, pk.police_peak, pk.observers_peak)
            source = "un_list+ipi"
            nums = (pk.troops_peak, pk.police_peak, pk.observers_peak)
        else:
            kind, source, nums = info.fallback_type, "un_list", (float("nan"),) * 3
        kind = "enforcement" if op.mission in ENFORCEMENT else kind
        for iso in info.countries:
            rows.append(_row(op.mission, "un", iso, op.start_date, op.end_date, kind, nums, info.interstate, None, source, True))
    for mission, pk in peaks.iterrows():
        if mission in listed or mission in UN_MISSIONS:
            continue
        kind = classify_mission(pk.troops_peak, pk.police_peak, pk.observers_peak, peacekeeping=False)
        end = pd.NaT if pk["last"] == ipi_end else pk["last"]
        start = pk["first"] - pd.offsets.MonthBegin(1)
        nums = (pk.troops_peak, pk.police_peak, pk.observers_peak)
        for iso in countries[mission]:
            rows.append(_row(str(mission), "un", iso, start, end, kind, nums, False, None, "ipi", True))
    return rows


def _non_un_rows(pko_month: pd.DataFrame) -> list[dict]:
    df = pko_month[pko_month["org"] != 1]
    data_end = pko_month["date"].max()
    rows: list[dict] = []
    for (mission, gwno), g in df.groupby(["mission", "gwno"]):
        pk = _peaks(g.assign(k=0), "k", "troops_backward", "police_backward", "observers_backward").iloc[0]
        kind = classify_mission(pk.troops_peak, pk.police_peak, pk.observers_peak)
        kind = "enforcement" if mission in ENFORCEMENT else kind
        lead = LEAD_STATE_OPERATIONS.get(str(mission))
        org = "lead_state" if lead else "regional"
        iso = NON_UN_COUNTRY.get(str(mission)) or gw_to_iso3(int(gwno))
        end = pd.NaT if pk["last"] == data_end else pk["last"] + pd.offsets.MonthEnd(0)
        nums = (pk.troops_peak, pk.police_peak, pk.observers_peak)
        rows.append(
            _row(str(mission), org, iso, pk["first"], end, kind, nums, False, lead, "peace_operations_conflict_month", False)
        )
    return rows


Peaks = tuple[float, float, float]


def _row(
    mission: str,
    org: str,
    iso3: str | None,
    start: pd.Timestamp,
    end: pd.Timestamp,
    kind: MissionType,
    nums: Peaks,
    interstate: bool,
    lead: str | None,
    source: str,
    verified: bool,
) -> dict:
    troops, police, observers = nums
    return {
        "mission": mission,
        "org": org,
        "iso3": iso3,
        "start": start,
        "end": end,
        "mission_type": kind,
        "troops_peak": troops,
        "police_peak": police,
        "observers_peak": observers,
        "interstate": interstate,
        "lead_state": lead,
        "source": source,
        "verified": verified,
    }


def mission_table(
    un_ops: pd.DataFrame, ipi_month: pd.DataFrame | None = None, pko_month: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every operation with the countries it served, one row per operation and country.

    ``un_ops`` is :func:`~endstate.data.un_operations.read_un_operations`'s
    frame, ``ipi_month`` :func:`~endstate.data.ipi.read_ipi_mission_month`'s
    (for types; without it the hand-coded fallback types are used) and
    ``pko_month`` :func:`~endstate.data.peace_operations.read_peace_operations_month`'s
    (for non-UN operations; left out when ``None``).

    Columns: ``mission``, ``org`` (``un``, ``regional``, ``lead_state``),
    ``iso3``, ``start``, ``end`` (NaT: still running when the source ends),
    ``mission_type`` (see :func:`classify_mission`, :data:`ENFORCEMENT`),
    ``troops_peak``, ``police_peak``, ``observers_peak``, ``interstate``
    (mandate about a dispute between states), ``lead_state``, ``source``,
    ``verified`` (False for the non-UN file).
    """
    rows = _un_rows(un_ops, ipi_month)
    if pko_month is not None:
        rows += _non_un_rows(pko_month)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df = df.astype({"start": "datetime64[us]", "end": "datetime64[us]", "interstate": "bool", "verified": "bool"})
    for c in ("troops_peak", "police_peak", "observers_peak"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    return df.sort_values(["iso3", "start", "mission"], ignore_index=True)
