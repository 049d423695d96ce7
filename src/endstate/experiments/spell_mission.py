"""A historical peace spell as a mission spec, so the model can be run on history.

Core objects: :func:`spell_inputs` (one row of a peace-spell file, section 6 of
the domain brief, split into a :class:`SpellShape` and a :class:`SpellStatic`),
:func:`spell_spec` (the row as a validated :class:`MissionSpec`) and
:func:`typical_peak_personnel` (the derivation of the force sizes below from
the IPI and UN mission data).

A spell file says how the war ended, how big and long it was, whether it was an
identity war, which kind of operation (if any) was there and when.  Everything
else a spec needs is a documented default.  The mapping, field by field:

- **start**: the spec starts at ``peace_start``; month ``t`` of a run is month
  ``t`` of the spell, so the relapse hazard's time since the ceasefire is right.
- **understanding**: ``war_outcome``, ``war_deaths``, ``war_duration_years``
  (at least one month: UCDP gives 0 for episodes that ended the year they
  began), ``ethnic_war`` (-> ``identity_war``) and ``prior_relapses`` (the
  file's column, or the country's earlier spells in the file that relapsed
  before this one began: :func:`endstate.data.spells.prior_relapses`) are
  taken as they are.  The
  armed hold-outs (one spoiler group) are sized from the deaths by a stated
  heuristic, :func:`holdout_fighters`: ``10 * sqrt(deaths)``, rounded to half
  a decade: about 300 after a war of 1,400 deaths, 3,000 after 100,000 and
  10,000 after a million.  Hold-outs grow with the war, but far less than in
  proportion (most of the dead are civilians, most fighters demobilise), and a
  spell is a peace: the source coded the war as over, so the hold-outs must be
  too few to fight one.  With the model's violence parameters 10,000 fighters
  kill about 500 a year, below the 1,000 battle deaths of a war.  (A factor of
  30, which matches the 500-3,000 militia of East Timor in 1999 better, put the
  start of most Doyle & Sambanis spells at war-level violence; the calibration
  fit was also worse with it: see ``docs/calibration.md``.)
  Identity wars start with more inter-group
  tension (0.4-0.6 against 0.2-0.4).  Domestic forces, justice, legitimacy,
  need and pay are the same weak post-war baseline for every spell
  (:data:`BASELINE`).
- **theatre**: one region; the spell file carries no population, so every
  country has :data:`DEFAULT_POPULATION` (10 million, about the median
  population of countries with a civil war since 1946).  Force and spoilers
  are set per 1,000 inhabitants, so the choice mostly scales out.
- **force**: :data:`PERSONNEL_PER_1000` per mission type: the median peak
  uniformed personnel of operations of that type (IPI mission-month data and
  the UN and non-UN operations list, :func:`typical_peak_personnel`) over the
  default population, split into troops and police by :data:`POLICE_SHARE`,
  and given the tasks of :data:`TASK_SHARES`.  The enforcement figure (3.7 per
  1,000) sits between Dobbins et al.'s (RAND 2003) Haiti (3.5) and Somalia (5);
  their Bosnia and Kosovo ratios (18.6, 20) are small countries.  A
  ``lead_state`` organisation commands as a lead state (60% of the personnel
  its own); ``un`` and ``regional`` ones by committee (three equal
  contingents: the main contributors; IPI missions have about 28 contributors
  at their peak, but most bring token numbers).
- **presence**: the mission is present from ``peace_start`` to
  ``mission_end`` (an ``end_date`` exit), or to the end of the simulated
  horizon when ``mission_end`` is empty (still there, or not known).  This is
  the simplification: *a mission that arrived after the ceasefire is modelled
  as present from the ceasefire* (UCDP spells: half the missions were there
  before the peace, the latest arrived four years after it), and one that was
  there before it starts with the peace.  Using an empty ``mission_end`` as
  "present throughout" rather than "present until ``end_date``" keeps the
  outcome (a relapse date) out of the inputs.
- **no mission**: a spec needs a contributor, so a token lead state with no
  personnel and no assignments leaves after one month.
- **exit**: an ``end_date`` exit at the end of the presence window (above).
  A second mapping, ``exit_rule="end_state"``, lets the model decide when the
  mission leaves instead, on generic transition benchmarks
  (:data:`BENCHMARK_GOALS`, :func:`benchmark_exit`); calibration uses it to set
  the model's mission durations beside the UN's (:mod:`endstate.calibrate.durations`).
  In that mapping a multidimensional operation holds the first post-war vote
  :data:`ELECTION_MONTHS` after the peace, and one that starts before 2000
  (:func:`calendar_era`) also leaves on the era's electoral calendar,
  :data:`MANDATE_AFTER_ELECTION_MONTHS` after the vote (a ``hybrid`` exit whose
  date is recorded as ``deadline``; :data:`ELECTION_CALENDARS`).
- **horizon**: the mission horizon is the observation: ``end_date - peace_start``
  by default (at most the spec's limit of 600 months), or the horizon a caller
  asks for; after an exit the country is simulated on at least that long.

Two spells with the same :class:`SpellShape` have the same simulated dynamics
(the static part of the relapse hazard, :class:`SpellStatic`, enters nothing
else before a relapse), which is how the backtest lets them share runs.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from endstate.spec import MissionSpec, validate_data
from endstate.types import MissionType

DEFAULT_POPULATION = 10_000_000.0
"""Inhabitants of every spell's country (not in the spell file): about the median population of countries with a
civil war since 1946 (UCDP/PRIO locations; World Bank population series)."""

PEAK_PERSONNEL: dict[str, float] = {
    "political": 43.0,
    "observer": 143.0,
    "traditional": 2289.0,
    "multidimensional": 6378.0,
    "enforcement": 37000.0,
}
"""Median peak uniformed personnel (troops, police and observers) of the operations of each type, from
:func:`typical_peak_personnel` over the UN list + IPI mission-month data and the (unverified) non-UN peace
operations file: 11 political, 39 observer, 31 traditional, 44 multidimensional and 7 enforcement operations."""

PERSONNEL_PER_1000: dict[str, float] = {k: round(v / DEFAULT_POPULATION * 1000.0, 4) for k, v in PEAK_PERSONNEL.items()}
"""International uniformed personnel per 1,000 inhabitants by mission type: :data:`PEAK_PERSONNEL` over
:data:`DEFAULT_POPULATION`."""

POLICE_SHARE: dict[str, float] = {"political": 0.26, "observer": 0.0, "traditional": 0.0, "multidimensional": 0.15, "enforcement": 0.0}
"""Median share of police in the peak personnel of operations of each type (same data as :data:`PEAK_PERSONNEL`)."""

TASK_SHARES: dict[str, dict[str, dict[str, float]]] = {
    # component (troops, police, or an observer mission's observers) -> task -> share of that component
    "political": {"troops": {"justice_support": 1.0}, "police": {"justice_support": 0.5, "constabulary_training": 0.5}},
    "observer": {"observers": {"presence_patrol": 1.0}, "police": {}},
    "traditional": {"troops": {"presence_patrol": 0.6, "border_control": 0.3, "key_site_guard": 0.1}, "police": {}},
    "multidimensional": {
        "troops": {"presence_patrol": 0.6, "convoy_protection": 0.15, "key_site_guard": 0.15, "infrastructure": 0.1},
        "police": {"public_order": 0.5, "constabulary_training": 0.35, "justice_support": 0.15},
    },
    "enforcement": {
        "troops": {"presence_patrol": 0.5, "public_order": 0.2, "border_control": 0.15, "convoy_protection": 0.1, "key_site_guard": 0.05},
        "police": {},
    },
}
"""What each kind of operation does (reasoning from the mandates): political missions advise; observers patrol
unarmed (no capabilities, so at the model's reduced quality for untrained tasks); traditional forces hold ceasefire
lines and buffer zones; multidimensional ones patrol, escort and guard while their police keep order, train the
new police and support the courts; enforcement forces patrol, keep public order and watch the borders."""

CAPABILITIES: dict[str, list[str]] = {
    "political": ["justice_support", "constabulary_training"],
    "observer": [],
    "traditional": ["presence_patrol", "border_control", "key_site_guard"],
    "multidimensional": [
        "presence_patrol", "convoy_protection", "key_site_guard", "infrastructure", "public_order", "riot_control",
        "constabulary_training", "justice_support",
    ],
    "enforcement": ["presence_patrol", "public_order", "riot_control", "border_control", "convoy_protection", "key_site_guard"],
}

HOLDOUT_FACTOR = 10.0
"""Hold-out fighters per square root of war deaths (see :func:`holdout_fighters` and the module docstring)."""

COST_PER_PERSON_MONTH = 6000.0
"""US$: the UN peacekeeping budget (about US$6.5 bn a year in the 2010s) over roughly 90,000 uniformed personnel."""

LEAD_SHARE = 0.6
"""Share of a lead-state operation's personnel that the lead state provides (INTERFET: Australia about 5,500 of 11,000)."""

BASELINE: dict[str, Any] = {
    "arms_inflow": {"low": 5, "high": 50},
    "police": {"per_1000": 1.0, "quality": {"low": 0.2, "high": 0.4}},
    "army": {"per_1000": 2.0, "quality": {"low": 0.2, "high": 0.4}},
    "justice": {"places_per_1000": 0.2, "cases_per_month_per_million": 2.0},
    "legitimacy": {"low": 0.35, "high": 0.65},
    "humanitarian_need": {"low": 0.1, "high": 0.4},
    "domestic_pay_regularity": {"low": 0.4, "high": 0.8},
    "outside_support": {"low": 0.1, "high": 0.4},
}
"""The post-war baseline every spell shares (reasoning: a weak police and army of about 3 per 1,000, a few
hundred detention places per million, middling legitimacy, some outside support for the hold-outs)."""


@dataclass(frozen=True)
class SpellShape:
    """What drives a spell's simulated dynamics; spells with equal shapes share runs."""

    mission_type: MissionType
    mission_org: str
    present_months: int  # months the mission is there from peace_start; > horizon: throughout
    fighters: float  # armed hold-outs at the start (median)
    identity: bool
    horizon: int


@dataclass(frozen=True)
class SpellStatic:
    """The spell's values that only the static part of the relapse hazard reads."""

    war_outcome: str
    war_deaths: float
    war_years: float
    identity: bool
    prior_relapses: int = 0  # earlier failed peaces in the country (the spell file's, see endstate.data.spells.prior_relapses)


def months_between(start: dt.date, date: dt.date) -> int:
    """Whole months from ``start`` to ``date``, as :meth:`MissionSpec.month_of` counts them."""
    return (date.year - start.year) * 12 + (date.month - start.month) - (1 if date.day < start.day else 0)


def add_months(start: dt.date, months: int) -> dt.date:
    """The first date that is ``months`` whole months after ``start``."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, start.day) if start.day <= last else dt.date(year, month, last) + dt.timedelta(days=1)


def holdout_fighters(war_deaths: float) -> float:
    """Armed hold-outs after a war: ``10 * sqrt(deaths)`` (deaths at least 25), rounded to half a decade (10**(k/2))."""
    return float(10 ** (round(2 * math.log10(HOLDOUT_FACTOR * math.sqrt(max(war_deaths, 25.0)))) / 2))


def _date(x: Any) -> dt.date:
    return pd.Timestamp(x).date()


def observed_months(row: Any) -> int:
    """Months from ``peace_start`` to ``end_date``."""
    return months_between(_date(row["peace_start"]), _date(row["end_date"]))


def spell_inputs(row: Any, horizon: int | None = None) -> tuple[SpellShape, SpellStatic]:
    """Split a spell row (a mapping with the section-6 columns, defaults filled) into shape and static part."""
    start = _date(row["peace_start"])
    h = horizon if horizon is not None else max(observed_months(row), 1)
    h = min(max(h, 1), 600)
    mtype = str(row["mission_type"])
    end = row["mission_end"]
    if mtype == "none":
        present = 1
    elif end is None or pd.isna(end):
        present = h + 1
    else:
        present = min(max(months_between(start, _date(end)), 1), h + 1)
    identity = bool(int(row["ethnic_war"]) == 1)
    deaths = float(row["war_deaths"])
    shape = SpellShape(mtype, str(row["mission_org"]), present, holdout_fighters(deaths), identity, h)  # type: ignore[arg-type]
    prior = row.get("prior_relapses", 0)
    prior = 0 if prior is None or pd.isna(prior) else int(prior)
    static = SpellStatic(str(row["war_outcome"]), deaths, max(float(row["war_duration_years"]), 1.0 / 12.0), identity, prior)
    return shape, static


def _contributors(shape: SpellShape, population: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The force section and the task assignments for a shape."""
    common = {"casualty_sensitivity": 0.5, "cost_per_person_month": COST_PER_PERSON_MONTH, "tolerance": 0.8, "tolerance_floor": 0.2}
    if shape.mission_type == "none":
        token = {"id": "none", "name": "no operation", **common}
        return {"command": "lead_state", "lead": "none", "contributors": [token]}, []
    total = PERSONNEL_PER_1000[shape.mission_type] * population / 1000.0
    police = total * POLICE_SHARE[shape.mission_type]
    lead = shape.mission_org == "lead_state"
    shares = [LEAD_SHARE, (1 - LEAD_SHARE) / 2, (1 - LEAD_SHARE) / 2] if lead else [1 / 3, 1 / 3, 1 / 3]
    ids = ["lead", "partner_1", "partner_2"] if lead else ["contingent_1", "contingent_2", "contingent_3"]
    contributors, assignments = [], []
    for cid, s in zip(ids, shares, strict=True):
        uniformed = "observers" if shape.mission_type == "observer" else "troops"  # observer missions send unarmed observers
        comp = {uniformed: (total - police) * s, "police": police * s}
        contributors.append(
            {
                "id": cid,
                "name": cid.replace("_", " "),
                **comp,
                "capabilities": CAPABILITIES[shape.mission_type],
                **common,
                "interest_stated": lead and cid == "lead",
            }
        )
        for part, n in comp.items():
            for task, share in TASK_SHARES[shape.mission_type][part].items():
                if n * share > 0:
                    assignments.append({"contributor": cid, "task": task, "region": "country", "personnel": n * share})
    force = {"command": "lead_state" if lead else "committee", "lead": "lead" if lead else None, "contributors": contributors}
    return force, assignments


BENCHMARK_GOALS: list[dict[str, Any]] = [
    {"id": "below_conflict_threshold", "kind": "security", "indicator": "battle_deaths", "comparator": "<", "threshold": 2.0,
     "sustain_months": 12},
    {"id": "police_capable", "kind": "security", "indicator": "domestic_force_quality", "comparator": ">=", "threshold": 0.5,
     "sustain_months": 6},
]
"""Generic transition benchmarks for the ``end_state`` variant of a spell (:func:`benchmark_exit`): a year under
UCDP's armed-conflict threshold (25 battle deaths a year, about 2 a month), and domestic forces at the host
academy's own standard (the model's ``graduate_quality``, 0.5: the level at which, in mechanism 6, the force keeps
its skills without mentors), held six months.  Reasoning: the two conditions
on which the Security Council's drawdown benchmarks for UNMIL and UNMISS, and UNAMSIL's exit, turned (a stable
security situation; national police and army able to take over)."""

POST_WAR_ARMY_PER_1000 = 0.0
"""The army the host can count on at the peace, per 1,000, in the ``end_state`` mapping: none.  At the agreements the
old army was disbanded, broken up or still to be merged from the factions, and the new one was recruited and trained
from scratch over the mission's life: Liberia (the 2003 Accra agreement restructured the AFL; it was demobilised and a
new army of 2,000 recruited from 2006), Sierra Leone (the army broke up in the 1997 coup; the RSLAF rebuilt under
British training from 2000), Haiti (army disbanded 1995), East Timor (no army or police in 1999: F-FDTL from 2001,
PNTL trained by UNTAET), El Salvador (army halved, a new national police from 1992; Call & Stanley 2003 on police
rebuilt after civil wars), South Sudan and the DRC (armies merged from militias).  The old police
(:data:`BASELINE`, 1 per 1,000) remains; the force grows toward the target (3 per 1,000) by recruitment and
training (mechanism 6), so the host's capability, and the sovereignty cost that grows with it, rise over the
mission's life.  The ``end_date`` mapping (backtest, relapse calibration) keeps the baseline army: its calibration
was fitted with it."""

HOST_CONSENT_FLOOR = 0.25
"""The generic host's consent floor (:func:`benchmark_exit`): the consent level at which the case library's hosts
asked their missions to leave, read on the model's scale by
:func:`endstate.calibrate.durations.consent_at_requests` (200 runs, seed 0, these parameters: Chad in January 2010
0.37, Eritrea in December 2007 0.22, Mali in June 2023 0.25), their median.  It replaced a floor of 0.2 that had no
source; first derived as 0.22 (Mali then 0.16), re-derived once Mali's 2015 signatories were given their own, lower
targeting of foreign forces (issue 10's cases branch)."""

BENCHMARK_DRAWDOWN_MONTHS = 12
"""Months from benchmarks met to the last troops out (UNAMSIL 2004-05 and UNMIL 2012-16 drew down over one to four years)."""

ELECTION_CALENDARS: tuple[tuple[str, str, str, str], ...] = (
    # operation; peace agreement (Haiti: the elected government's restoration); first vote its calendar named; mandate end
    ("UNTAG (Namibia)", "1988-12-22", "1989-11-07", "1990-03-21"),  # New York Accords; Constituent Assembly; independence
    ("ONUSAL (El Salvador)", "1992-01-16", "1994-03-20", "1995-04-30"),  # Chapultepec; general elections
    ("UNTAC (Cambodia)", "1991-10-23", "1993-05-23", "1993-09-24"),  # Paris Agreements; Constituent Assembly; new government
    ("ONUMOZ (Mozambique)", "1992-10-04", "1994-10-27", "1994-12-09"),  # Rome General Peace Agreement; general elections
    ("UNMIH (Haiti)", "1994-10-15", "1995-06-25", "1996-06-30"),  # Aristide's return; legislative elections
    ("UNTAES (Eastern Slavonia)", "1995-11-12", "1997-04-13", "1998-01-15"),  # Erdut Agreement; local elections in the region
    ("MINURCA (Central African Republic)", "1997-01-25", "1998-11-22", "2000-02-15"),  # Bangui Accords; legislative elections
)
"""The electoral calendars of the pre-2000 UN operations whose mandates ended on one: the agreement, the first
post-war vote that its calendar named, and the end of the mandate (the agreements' texts; the Security Council
resolutions ending the mandates; the UN's past-operations pages).  UNAVEM II (Bicesse 1991, vote September 1992)
is left out: war resumed after the vote and the mission stayed."""


def calendar_months(calendars: tuple[tuple[str, str, str, str], ...] = ELECTION_CALENDARS) -> tuple[int, int]:
    """Median whole months from agreement to first vote, and from that vote to the mandate's end, over ``calendars``."""
    d = [tuple(dt.date.fromisoformat(x) for x in c[1:]) for c in calendars]
    to_vote = sorted(months_between(a, v) for a, v, _ in d)
    to_end = sorted(months_between(v, e) for _, v, e in d)
    return int(np.median(to_vote)), int(np.median(to_end))


ELECTION_MONTHS, MANDATE_AFTER_ELECTION_MONTHS = calendar_months()
"""Months from the peace to the first post-war vote (19) and from the vote to the mandate's end (9): the medians of
:data:`ELECTION_CALENDARS`."""

CALENDAR_ERA_END = 2000
"""Operations modelled as starting before this year leave on the electoral calendar (``elections then exit``), from
it on benchmarks: the Brahimi report (A/55/305, August 2000) criticised exits tied to a first election, and the
Council moved to benchmarked, conditions-based drawdowns (UNAMSIL from 2004; UNMIL, resolution 1712 (2006); the
Capstone doctrine 2008).  Paris, *At War's End* (2004), and Marten's *Enforcing the Peace* (2004) on Cambodia and Haiti
1994 describe the earlier pattern."""


def calendar_era(start: dt.date) -> bool:
    """Whether a mission that starts on ``start`` leaves on the electoral calendar (before :data:`CALENDAR_ERA_END`)."""
    return start.year < CALENDAR_ERA_END


def benchmark_exit(tasks: list[str], mandate_end: dt.date | None = None) -> dict[str, Any]:
    """An ``end_state`` exit on :data:`BENCHMARK_GOALS`: one handover of every task once both goals hold, a
    :data:`BENCHMARK_DRAWDOWN_MONTHS` drawdown, contributors free to leave and the host free to withdraw consent,
    no expenditure ceiling (UN budgets are renewed each year).

    With ``mandate_end`` (the calendar era, :func:`calendar_era`) the plan is ``hybrid``: the mandate also ends on
    that date, recorded as ``deadline`` (as the case library records UNTAC's exit), unless the benchmarks were met
    first; without it there is no deadline."""
    plan: dict[str, Any] = {
        "strategy": "end_state",
        "handover": [{"name": "benchmarks met", "tasks": tasks, "when": [g["id"] for g in BENCHMARK_GOALS]}] if tasks else [],
        "drawdown": {"months_per_phase": BENCHMARK_DRAWDOWN_MONTHS},
        "triggers": {
            "contributor_tolerance": {"action": "withdraw", "within_months": 6},
            "host_consent": {"floor": HOST_CONSENT_FLOOR, "action": "withdraw", "within_months": 6},
        },
        "post_exit_years": 0,
    }
    if mandate_end is not None:
        # the UN list dates an operation's end at its mandate's end, so the withdrawal is counted as done by then
        plan.update(strategy="hybrid", end_date=mandate_end)
        plan["triggers"]["deadline"] = {"action": "withdraw", "within_months": 0}
    return plan


def spell_spec(
    row: Any, horizon: int | None = None, population: float = DEFAULT_POPULATION, exit_rule: str = "end_date"
) -> MissionSpec:
    """The mission spec of one spell (see the module docstring for every choice).

    ``exit_rule="end_date"`` (the backtest's) keeps the mission for its
    historical presence window; ``"end_state"`` lets the model decide when it
    leaves, on the generic benchmarks of :func:`benchmark_exit`, within
    ``horizon`` months.
    """
    shape, static = spell_inputs(row, horizon)
    return shape_spec(shape, static, _date(row["peace_start"]), str(row["country"]), str(row["case_id"]), population, exit_rule)


def shape_spec(
    shape: SpellShape, static: SpellStatic, start: dt.date, country: str, case_id: str, population: float = DEFAULT_POPULATION,
    exit_rule: str = "end_date",
) -> MissionSpec:
    """Build and validate the spec of a spell from its shape and static part (``exit_rule``: see :func:`spell_spec`)."""
    if exit_rule not in ("end_date", "end_state"):
        raise ValueError(f"exit_rule must be 'end_date' or 'end_state', not {exit_rule!r}")
    b = BASELINE
    per_1000 = population / 1000.0
    force, assignments = _contributors(shape, population)
    personnel = sum(a["personnel"] for a in assignments)
    tension = {"low": 0.4, "high": 0.6} if shape.identity else {"low": 0.2, "high": 0.4}
    data: dict[str, Any] = {
        "schema_version": 1,
        "mission": {
            "name": f"{country} peace spell {case_id}",
            "host_country": country,
            "start_date": start,
            "description": f"Peace spell {case_id} mapped by endstate.experiments.spell_mission ({shape.mission_type} operation).",
        },
        "theatre": {
            "population": population,
            "regions": [{"id": "country", "name": country, "population_share": 1.0, "tension": tension, "border_exposure": 0.5}],
        },
        "understanding": {
            "war_outcome": static.war_outcome,
            "war_deaths": static.war_deaths,
            "war_duration_years": static.war_years,
            "identity_war": static.identity,
            "prior_relapses": static.prior_relapses,
            "spoilers": [
                {
                    "name": "armed hold-outs",
                    "strength": {"dist": "lognormal", "median": shape.fighters, "sigma": 0.5},
                    "regions": ["all"],
                    "outside_support": b["outside_support"],
                }
            ],
            "arms_inflow": b["arms_inflow"],
            "police": {"size": b["police"]["per_1000"] * per_1000, "quality": b["police"]["quality"]},
            "army": {"size": b["army"]["per_1000"] * per_1000, "quality": b["army"]["quality"]},
            "justice": {
                "detention_places": b["justice"]["places_per_1000"] * per_1000,
                "cases_per_month": b["justice"]["cases_per_month_per_million"] * population / 1e6,
            },
            "legitimacy": b["legitimacy"],
            "humanitarian_need": b["humanitarian_need"],
            "domestic_pay_regularity": b["domestic_pay_regularity"],
        },
        "force": force,
        "resources": {"budget_per_year": round(personnel * 12 * 1000.0, 2), "horizon_months": shape.horizon},
        "tasks": {"allocation": "reallocate_to_hotspots" if shape.mission_org == "lead_state" else "static", "assignments": assignments},
        "exit": {
            "strategy": "end_date",
            "end_date": add_months(start, shape.present_months),
            "triggers": {"deadline": {"action": "withdraw", "within_months": 0}},
            "post_exit_years": min(math.ceil(shape.horizon / 12), 30),
        },
    }
    if exit_rule == "end_state":
        data["goals"] = BENCHMARK_GOALS
        mandate_end = None
        if shape.mission_type == "multidimensional":  # the operations that organise or verify the first post-war vote
            vote = add_months(start, ELECTION_MONTHS)
            data["politics"] = {"elections": [vote]}
            mandate_end = add_months(vote, MANDATE_AFTER_ELECTION_MONTHS) if calendar_era(start) else None
        data["exit"] = benchmark_exit(sorted({a["task"] for a in assignments}), mandate_end)
        data["understanding"]["army"]["size"] = POST_WAR_ARMY_PER_1000 * per_1000
    return validate_data(data, f"spell {case_id}")



def typical_peak_personnel(missions: pd.DataFrame) -> pd.DataFrame:
    """Median peak uniformed personnel and police share per mission type.

    ``missions`` is :func:`endstate.data.mission_table`'s frame; each operation
    counts once (its first row), operations with no personnel figures are left
    out.  Columns: ``operations``, ``peak_personnel``, ``police_share``.
    """
    m = missions.drop_duplicates("mission")
    nums = m[["troops_peak", "police_peak", "observers_peak"]].fillna(0.0)
    m = m.assign(total=nums.sum(axis=1), police=nums["police_peak"])
    m = m[m["total"] > 0]
    g = m.assign(share=m["police"] / m["total"]).groupby("mission_type")
    return pd.DataFrame({"operations": g.size(), "peak_personnel": g["total"].median(), "police_share": g["share"].median()})
