"""The mission spec: the engagement chain as pydantic models.

Core objects: :class:`MissionSpec` (the whole file) and its sections
:class:`Mission`, :class:`Theatre`, :class:`Understanding` (the baseline assessment),
:class:`Force` (capacity), :class:`Resources`, :class:`Tasks`, :class:`Goal`,
:class:`ExitPlan`, :class:`Politics` and named :class:`Strategy` alternatives.
Field-level rules live on the fields; rules across sections live in
:func:`MissionSpec._cross_checks`, which reports every problem it finds at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import to_jsonable_python

from endstate.types import (
    INDICATORS,
    TRANSFORMATION_INDICATORS,
    AllocationPolicy,
    Capability,
    CommandStructure,
    Comparator,
    ExitStrategyKind,
    GoalKind,
    Scope,
    Task,
    TriggerAction,
    WarOutcome,
)

from .bounds import (
    DATE_REASON,
    FIRST_DATE,
    LAST_DATE,
    MAX_COST_PER_PERSON_MONTH,
    MAX_INDICATOR,
    MAX_PERSONNEL,
    MAX_POPULATION,
    MAX_SPENDING,
    MAX_STRATEGIES,
    MIN_POPULATION,
    MIN_REGION_PEOPLE,
)
from .uncertain import ArmsInflow, Deaths, Fighters, UncertainUnit, WarYears


def _number_only(v: Any) -> Any:
    # pydantic would read true/false as 1/0 and "5400" as 5400; in a spec both are slips (text where a
    # number belongs is what YAML 1.2 makes of 1:30:00 or yes/no).
    if isinstance(v, bool):
        raise ValueError("expected a number, not true/false")
    if isinstance(v, str):
        raise ValueError(f"expected a number, not text ({v[:40]!r}); write digits only, e.g. 5400 or 1.5e4")
    if isinstance(v, int) and abs(v) > 10**18:
        raise ValueError("the number is too large to be a plausible value here")
    return v


def _bool_only(v: Any) -> Any:
    # YAML 1.2 reads yes/no/on/off as text; pydantic would then turn "yes" or 1 into true.
    if not isinstance(v, bool):
        raise ValueError(f"expected true or false (got {v!r}); yes/no/on/off are text in YAML 1.2")
    return v


def _repeated(ids: list[str]) -> set[str]:
    """The ids that occur more than once (one pass: a spec may list thousands)."""
    return {i for i, n in Counter(ids).items() if n > 1}


def _not_number(v: Any) -> Any:
    # pydantic would read a number as seconds since 1970; in a spec it is a slip for a date.
    if isinstance(v, (int, float)):
        raise ValueError("expected a date written as YYYY-MM-DD")
    return v


def _date_range(d: dt.date) -> dt.date:
    if not FIRST_DATE <= d <= LAST_DATE:
        raise ValueError(f"{d.isoformat()} is out of range: {DATE_REASON}")
    return d


def at_most(hi: float, reason: str) -> AfterValidator:
    """A check that a plain number is at most ``hi``, its message giving ``reason``."""

    def check(v: float | None) -> float | None:
        if v is not None and v > hi:
            raise ValueError(f"must be at most {hi:,.12g} (got {v:,.12g}): {reason}")
        return v

    return AfterValidator(check)


def at_least(lo: float, reason: str) -> AfterValidator:
    """A check that a plain number is at least ``lo``, its message giving ``reason``."""

    def check(v: float) -> float:
        if v < lo:
            raise ValueError(f"must be at least {lo:,.12g} (got {v:,.12g}): {reason}")
        return v

    return AfterValidator(check)


Num = BeforeValidator(_number_only)
Flag = Annotated[bool, BeforeValidator(_bool_only)]
Date = Annotated[dt.date, BeforeValidator(_not_number), AfterValidator(_date_range)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
Unit = Annotated[float, Field(ge=0.0, le=1.0), Num]
NonNeg = Annotated[float, Field(ge=0.0), Num]
Count = Annotated[int, Num]
Personnel = Annotated[float, Field(ge=0.0), Num, at_most(MAX_PERSONNEL, "more than the largest multinational deployment")]
Money = Annotated[float, Field(ge=0.0), Num, at_most(MAX_SPENDING, "more US$ than the whole world spends on its militaries in a year")]
People = Annotated[float, Field(ge=0.0), Num, at_most(MAX_POPULATION, "more people than any country has")]
ALL = "all"
BASELINE = "baseline"


class _Model(BaseModel):
    # No NaN or infinity: a simulation cannot use them and JSON cannot carry them.
    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False, validate_assignment=True)


class Source(_Model):
    """A citation backing the spec's facts."""

    id: Id
    citation: str = Field(min_length=1)
    url: str | None = None


class Mission(_Model):
    name: str = Field(min_length=1)
    host_country: str = Field(min_length=1)
    iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    start_date: Date
    description: str = ""
    sources: list[Source] = Field(default_factory=list)


class Region(_Model):
    """A sub-national area: the model's spatial unit."""

    id: Id
    name: str = Field(min_length=1)
    population_share: Annotated[float, Num] = Field(gt=0.0, le=1.0)
    tension: UncertainUnit = Field(description="inter-group tension at the start, 0-1")
    border_exposure: Unit = Field(description="share of the country's porous border the region holds, 0-1")
    minority_enclave: Flag = False
    urban_share: Unit = 0.3
    admin1: list[str] = Field(
        default_factory=list, description="first-level administrative units (as event data such as ACLED and UCDP GED name them) that make up the region; used by monitoring"
    )


class Theatre(_Model):
    population: Annotated[float, Num, at_least(MIN_POPULATION, "the smallest UN member states have about 10,000 inhabitants"),
                          at_most(MAX_POPULATION, "more people than any country has")] = Field(description="inhabitants")
    regions: list[Region] = Field(min_length=1)
    geometry: str | None = Field(
        default=None,
        description="GeoJSON file (path relative to the spec) with one feature per region, its property 'id' a region id; reports draw a map from it",
    )

    @field_validator("regions")
    @classmethod
    def _shares(cls, regions: list[Region]) -> list[Region]:
        total = sum(r.population_share for r in regions)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"region population shares sum to {total:.4g}, not 1")
        ids = [r.id for r in regions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"region ids repeat: {', '.join(sorted(_repeated(ids)))}")
        return regions


class Spoiler(_Model):
    """An armed faction that may fight on (mechanism 4)."""

    name: str = Field(min_length=1)
    strength: Fighters = Field(description="armed fighters at the start")
    regions: list[Id] = Field(min_length=1, description="where it operates, or ['all']")
    outside_support: UncertainUnit = Field(default=0.0, description="0 none to 1 a neighbour arms and shelters it")
    targeting_of_foreign_forces: Unit | None = Field(
        default=None,
        description="how much this group makes the foreign forces its target, 0-1, where the groups differ (Aidid's SNA in "
        "Somalia, not the other clan militias); default the theatre's understanding.targeting_of_foreign_forces",
    )


class DomesticForce(_Model):
    size: People = Field(description="personnel already serving")
    quality: UncertainUnit = 0.3


class Justice(_Model):
    detention_places: People = 0.0
    cases_per_month: People = 0.0


class Understanding(_Model):
    """The baseline assessment and its uncertainty."""

    war_outcome: WarOutcome
    war_deaths: Deaths
    war_duration_years: WarYears
    identity_war: Flag
    prior_relapses: Count = Field(
        default=0, ge=0, le=1000,
        description="earlier peaces in this country that failed (wars that resumed after an end), since 1946; 0 for a country "
        "with no earlier failed peace (the default: a planner who does not know says so); raises the relapse hazard (the conflict trap)",
    )
    spoilers: list[Spoiler] = Field(default_factory=list)
    arms_inflow: ArmsInflow = Field(description="weapons per month crossing the borders with no border control")
    police: DomesticForce
    army: DomesticForce
    justice: Justice = Field(default_factory=Justice)
    legitimacy: UncertainUnit = Field(description="government authority and legitimacy, 0-1")
    humanitarian_need: UncertainUnit = Field(description="share of the population needing aid, 0-1")
    domestic_pay_regularity: UncertainUnit = Field(default=0.7, description="how reliably the domestic force is paid, 0-1")
    targeting_of_foreign_forces: Unit = Field(
        default=0.3,
        description="how much the armed groups make foreign forces their target, 0 (they avoid them: East Timor's militias) "
        "to 1 (expelling them is the aim: Iraq 2004-07, Afghanistan, Mali, Somalia from June 1993); 0.3 for the usual UN theatre",
    )


class Caveats(_Model):
    tasks: list[Task] = Field(default_factory=list)
    regions: list[Id] = Field(default_factory=list)


class ScheduleStep(_Model):
    """One point of a contributor's deployment over time: its strength from a date, or after a handover phase."""

    date: Date | None = Field(default=None, description="the strength on this date; between dated points it moves linearly")
    phase: str | None = Field(default=None, description="a handover phase name: once it is handed over, the strength falls to this level")
    personnel: NonNeg = Field(description="the contributor's personnel at this point (its tasks scale in proportion)")

    @model_validator(mode="after")
    def _one_key(self) -> ScheduleStep:
        if (self.date is None) == (self.phase is None):
            raise ValueError("a schedule step gives either 'date' or 'phase', not both or neither")
        return self


class Contributor(_Model):
    """A troop or police contributing country or organisation."""

    id: Id
    name: str = Field(min_length=1)
    troops: Personnel = 0.0
    police: Personnel = 0.0
    observers: Personnel = Field(default=0.0, description="unarmed military observers (they count as personnel but neither fight nor police)")
    capabilities: list[Capability] = Field(default_factory=list)
    caveats: Caveats = Field(default_factory=Caveats)
    casualty_sensitivity: Unit = 0.5
    cost_per_person_month: Annotated[
        float, Field(ge=0.0), Num, at_most(MAX_COST_PER_PERSON_MONTH, "above the costliest deployment recorded")
    ] = Field(description="US$ per person per month")
    tolerance: Unit = Field(default=0.8, description="initial public tolerance, 0-1")
    tolerance_floor: Unit = Field(default=0.2, description="below this the contributor leaves")
    purpose_explained: Flag = False
    interest_stated: Flag = False
    schedule: list[ScheduleStep] = Field(
        default_factory=list,
        description="deployment over time (ramp-up, surges, planned drawdowns by date or by handover phase); "
        "empty: the assigned personnel throughout",
    )

    @model_validator(mode="after")
    def _floor(self) -> Contributor:
        if self.tolerance_floor >= self.tolerance:
            raise ValueError(f"tolerance_floor ({self.tolerance_floor:g}) must be below the initial tolerance ({self.tolerance:g})")
        return self

    @property
    def personnel(self) -> float:
        return self.troops + self.police + self.observers


class Force(_Model):
    """Capacity: who commands and who contributes what."""

    command: CommandStructure
    lead: Id | None = Field(default=None, description="the contributor that leads (required for lead_state)")
    contributors: list[Contributor] = Field(min_length=1)

    @model_validator(mode="after")
    def _lead(self) -> Force:
        ids = [c.id for c in self.contributors]
        if len(set(ids)) != len(ids):
            raise ValueError(f"contributor ids repeat: {', '.join(sorted(_repeated(ids)))}")
        if self.command == "lead_state" and self.lead is None:
            raise ValueError("a lead_state command needs 'lead': the contributor that leads")
        if self.lead is not None and self.lead not in ids:
            raise ValueError(f"lead '{self.lead}' is not one of the contributors ({', '.join(ids)})")
        return self


class Resources(_Model):
    budget_per_year: Money = Field(description="US$ a year for training, construction and aid")
    expenditure_ceiling: Money | None = Field(default=None, description="cumulative US$ the contributors will spend")
    personnel_ceiling: Personnel | None = None
    horizon_months: Count = Field(default=120, ge=1, le=600)


class Assignment(_Model):
    contributor: Id
    task: Task
    region: Id = Field(description="a region id or 'all' (spread by population)")
    personnel: Annotated[float, Num, at_most(MAX_PERSONNEL, "more than the largest multinational deployment")] = Field(gt=0)


class DDR(_Model):
    """A disarmament, demobilisation and reintegration programme the mission runs (mechanism 4b, :mod:`endstate.model.ddr`)."""

    fighters: Annotated[float, Num] = Field(gt=0, description="combatants the programme plans to take in (its caseload)")
    per_month: Annotated[float, Num] = Field(gt=0, description="combatants its sites can take in a month at most")
    start: Date = Field(description="when its first disarmament site opens")
    participation: Unit = Field(
        default=1.0, description="share of the armed groups' fighters whose factions signed up to it, 0 (all refuse) to 1"
    )


class Tasks(_Model):
    allocation: AllocationPolicy = "static"
    assignments: list[Assignment] = Field(default_factory=list)
    constabulary_target_per_1000: Annotated[float, Num] = Field(default=3.0, gt=0, le=50)
    constabulary_training_start: Date | None = Field(
        default=None, description="when international trainers start training the domestic force (default: the mission start)"
    )
    ddr: DDR | None = Field(default=None, description="the mission's DDR programme; none: no fighters leave the armed groups by disarmament")


class Goal(_Model):
    id: Id
    kind: GoalKind
    indicator: str
    comparator: Comparator
    threshold: Annotated[float, Num]
    sustain_months: Count = Field(default=3, ge=1, le=240)
    scope: Scope = "country"
    region: Id | None = None

    @field_validator("indicator")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in INDICATORS:
            near = difflib.get_close_matches(v, list(INDICATORS), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else f"; known: {', '.join(INDICATORS)}"
            raise ValueError(f"unknown indicator '{v}'{hint}")
        return v

    @model_validator(mode="after")
    def _threshold(self) -> Goal:
        unit = INDICATORS[self.indicator][0]
        lo, hi, why = (0.0, 1.0, f"'{self.indicator}' is a 0-1 indicator") if unit == "0-1" else (
            0.0, MAX_INDICATOR, f"'{self.indicator}' counts {unit}, never negative nor above {MAX_INDICATOR:g}")
        if not lo <= self.threshold <= hi:
            raise ValueError(f"threshold {self.threshold:g} is out of range: {why}")
        return self

    @model_validator(mode="after")
    def _scope(self) -> Goal:
        if self.scope == "region" and self.region is None:
            raise ValueError("a region-scoped goal needs 'region'")
        if self.scope == "country" and self.region is not None:
            raise ValueError("a country-scoped goal takes no 'region' (set scope: region)")
        return self


class Trigger(_Model):
    action: TriggerAction = "withdraw"
    within_months: Count = Field(default=3, ge=0, le=60)
    floor: Unit | None = Field(default=None, description="host consent floor (host_consent trigger only)")


class Triggers(_Model):
    deadline: Trigger | None = None
    expenditure_ceiling: Trigger | None = None
    contributor_tolerance: Trigger | None = None
    host_consent: Trigger | None = None


class HandoverPhase(_Model):
    name: str = Field(min_length=1)
    tasks: list[Task] = Field(min_length=1)
    regions: list[Id] = Field(default_factory=lambda: [ALL])
    when: list[Id] = Field(default_factory=list, description="goal ids that must all hold")
    not_before: Date | None = Field(
        default=None,
        description="the phase is not handed over before this date even when its goals hold: a transfer an agreement "
        "or a decision dated (Iraq's 2008 Security Agreement: the cities on 30 June 2009)",
    )


class Drawdown(_Model):
    months_per_phase: Count = Field(default=6, ge=0, le=60)


class FollowOn(_Model):
    personnel: Personnel = 0.0
    months: Count = Field(default=0, ge=0, le=240)


class ExitPlan(_Model):
    strategy: ExitStrategyKind
    end_date: Date | None = None
    handover: list[HandoverPhase] = Field(default_factory=list)
    drawdown: Drawdown = Field(default_factory=Drawdown)
    triggers: Triggers = Field(default_factory=Triggers)
    follow_on: FollowOn = Field(default_factory=FollowOn)
    post_exit_years: Count = Field(default=10, ge=0, le=30)


class Politics(_Model):
    elections: list[Date] = Field(default_factory=list)
    regional_autonomy: Flag = False


class Strategy(_Model):
    """A named alternative: a partial spec merged over the base one."""

    name: Id
    description: str = ""
    overrides: dict[str, Any]

    @field_validator("overrides")
    @classmethod
    def _jsonable(cls, v: dict[str, Any]) -> dict[str, Any]:
        # Held as JSON would carry it (dates as ISO text), so a dumped and reloaded spec equals the original.
        return to_jsonable_python(v)  # type: ignore[no-any-return]


class MissionSpec(_Model):
    schema_version: Annotated[Literal[1], Num]
    mission: Mission
    theatre: Theatre
    understanding: Understanding
    force: Force
    resources: Resources
    tasks: Tasks
    goals: list[Goal] = Field(default_factory=list)
    exit: ExitPlan
    politics: Politics = Field(default_factory=Politics)
    strategies: list[Strategy] = Field(default_factory=list)

    @field_validator("strategies", mode="before")
    @classmethod
    def _few_strategies(cls, v: Any) -> Any:
        if isinstance(v, list) and len(v) > MAX_STRATEGIES:
            raise ValueError(f"{len(v):,} strategies, over the limit of {MAX_STRATEGIES:,}: a spec compares a handful of "
                             "alternatives; sample thousands of variants with 'endstate explore' instead")
        return v

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> MissionSpec:
        # The file loader defers these so that it can place each problem on its
        # own line; built in code, a spec is checked here, all problems at once.
        if info.context and info.context.get("defer_cross_checks"):
            return self
        problems = cross_field_problems(self)
        if problems:
            raise ValueError("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems))
        return self

    # convenience accessors used by the model and reports
    @property
    def region_ids(self) -> list[str]:
        return [r.id for r in self.theatre.regions]

    @property
    def contributor_ids(self) -> list[str]:
        return [c.id for c in self.force.contributors]

    def month_of(self, date: dt.date) -> int:
        """Whole months from the mission start to ``date``."""
        s = self.mission.start_date
        return (date.year - s.year) * 12 + (date.month - s.month) - (1 if date.day < s.day else 0)

    @property
    def transformation_goal_count(self) -> int:
        return sum(1 for g in self.goals if g.kind == "transformation" or g.indicator in TRANSFORMATION_INDICATORS)


Loc = tuple[str | int, ...]


def cross_field_problems(spec: MissionSpec) -> list[tuple[Loc, str]]:
    """Every rule that spans sections, each problem with the path it concerns."""
    out: list[tuple[Loc, str]] = []
    regions = set(spec.region_ids)
    region_ok = regions | {ALL}

    for i, sp in enumerate(spec.understanding.spoilers):
        for j, r in enumerate(sp.regions):
            if r not in region_ok:
                out.append((("understanding", "spoilers", i, "regions", j), f"unknown region '{r}'"))

    people = spec.theatre.population
    u = spec.understanding
    for at, what, most in (
        (("understanding", "war_deaths"), "war_deaths", u.war_deaths.extremes()[1]),
        *((("understanding", "spoilers", i, "strength"), f"spoiler '{sp.name}' strength", sp.strength.extremes()[1])
          for i, sp in enumerate(u.spoilers)),
        (("understanding", "police", "size"), "police and army together", u.police.size + u.army.size),
        (("understanding", "justice", "detention_places"), "detention_places", u.justice.detention_places),
    ):
        if most > people:
            out.append((at, f"{what} ({most:,.12g}) exceeds the population ({people:,.12g}): there cannot be more than there are people"))
    for i, reg in enumerate(spec.theatre.regions):
        if people * reg.population_share < MIN_REGION_PEOPLE:
            out.append((("theatre", "regions", i, "population_share"),
                        f"region '{reg.id}' would have {people * reg.population_share:.3g} inhabitants; a region needs at least {MIN_REGION_PEOPLE:g}"))

    contributors = {c.id: c for c in spec.force.contributors}
    for i, c in enumerate(spec.force.contributors):
        for j, r in enumerate(c.caveats.regions):
            if r not in regions:
                out.append((("force", "contributors", i, "caveats", "regions", j), f"unknown region '{r}'"))

    assigned: dict[str, float] = {}
    performed: set[tuple[str, str]] = set()
    for i, a in enumerate(spec.tasks.assignments):
        loc: Loc = ("tasks", "assignments", i)
        by = contributors.get(a.contributor)
        if by is None:
            out.append((loc + ("contributor",), f"unknown contributor '{a.contributor}'"))
            continue
        if a.region not in region_ok:
            out.append((loc + ("region",), f"unknown region '{a.region}'"))
        if a.task in by.caveats.tasks:
            out.append((loc + ("task",), f"{by.id} refuses '{a.task}' (a caveat)"))
        if a.region in by.caveats.regions:
            out.append((loc + ("region",), f"{by.id} refuses to serve in '{a.region}' (a caveat)"))
        if a.region == ALL and by.caveats.regions:
            refused = ", ".join(f"'{r}'" for r in by.caveats.regions)
            out.append((loc + ("region",), f"{by.id} refuses to serve in {refused} (a caveat), so it cannot be spread over 'all' regions"))
        assigned[by.id] = assigned.get(by.id, 0.0) + a.personnel
        performed.add((a.task, a.region))
    phase_names = {ph.name for ph in spec.exit.handover}
    for i, c in enumerate(spec.force.contributors):
        dates = [st.date for st in c.schedule if st.date is not None]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            out.append((("force", "contributors", i, "schedule"), "dated schedule steps must be in order, one per date"))
        for j, step in enumerate(c.schedule):
            if step.date is not None and step.date < spec.mission.start_date:
                out.append((("force", "contributors", i, "schedule", j, "date"), "a schedule step cannot precede the mission start_date"))
            # a plan without handover phases (a calendar strategy) leaves phase steps idle; with phases, an unknown name is a slip
            if step.phase is not None and phase_names and step.phase not in phase_names:
                out.append((("force", "contributors", i, "schedule", j, "phase"), f"unknown handover phase '{step.phase}'"))
        if c.schedule and assigned.get(c.id, 0.0) <= 0.0:
            out.append((("force", "contributors", i, "schedule"), f"{c.id} has a schedule but no assignments to scale"))
    for i, c in enumerate(spec.force.contributors):
        if assigned.get(c.id, 0.0) > c.personnel + 1e-9:
            out.append(
                (("force", "contributors", i), f"{c.id} is assigned {assigned[c.id]:g} personnel but has {c.personnel:g}")
            )
    ceiling = spec.resources.personnel_ceiling
    if ceiling is not None and sum(assigned.values()) > ceiling + 1e-9:
        out.append((("resources", "personnel_ceiling"), f"assignments total {sum(assigned.values()):g}, above the ceiling {ceiling:g}"))

    goal_ids = [g.id for g in spec.goals]
    for d in _repeated(goal_ids):
        out.append((("goals",), f"goal id '{d}' is used twice"))
    for i, g in enumerate(spec.goals):
        if g.region is not None and g.region not in regions:
            out.append((("goals", i, "region"), f"unknown region '{g.region}'"))

    tasks_done = {t for t, _ in performed}
    for i, ph in enumerate(spec.exit.handover):
        for j, t in enumerate(ph.tasks):
            if t not in tasks_done:
                out.append((("exit", "handover", i, "tasks", j), f"no contributor performs '{t}', so it cannot be handed over"))
        for j, r in enumerate(ph.regions):
            if r not in region_ok:
                out.append((("exit", "handover", i, "regions", j), f"unknown region '{r}'"))
        for j, gid in enumerate(ph.when):
            if gid not in goal_ids:
                out.append((("exit", "handover", i, "when", j), f"unknown goal '{gid}'"))

    ex = spec.exit
    if ex.strategy in ("end_date", "hybrid") and ex.end_date is None:
        out.append((("exit", "end_date"), f"the '{ex.strategy}' strategy needs an end_date"))
    if ex.strategy in ("end_state", "hybrid") and not ex.handover:
        out.append((("exit", "handover"), f"the '{ex.strategy}' strategy needs handover phases tied to goals"))
    if ex.end_date is not None and ex.end_date <= spec.mission.start_date:
        out.append((("exit", "end_date"), "end_date must come after the mission start_date"))
    if ex.triggers.host_consent is not None and ex.triggers.host_consent.floor is None:
        out.append((("exit", "triggers", "host_consent", "floor"), "the host_consent trigger needs a floor"))
    if ex.triggers.expenditure_ceiling is not None and spec.resources.expenditure_ceiling is None:
        out.append((("resources", "expenditure_ceiling"), "the expenditure_ceiling trigger needs resources.expenditure_ceiling"))
    if ex.triggers.deadline is not None and ex.end_date is None:
        out.append((("exit", "triggers", "deadline"), "the deadline trigger needs exit.end_date"))
    start = spec.tasks.constabulary_training_start
    if start is not None and start < spec.mission.start_date:
        out.append((("tasks", "constabulary_training_start"), "training cannot start before the mission start_date"))
    for i, day in enumerate(spec.politics.elections):
        if day < spec.mission.start_date:
            out.append((("politics", "elections", i), "election dates must not precede the mission start_date"))
    strat_names = [s.name for s in spec.strategies]
    for d in _repeated(strat_names):
        out.append((("strategies",), f"strategy name '{d}' is used twice"))
    for i, n in enumerate(strat_names):
        if n == BASELINE:
            out.append((("strategies", i, "name"), f"'{BASELINE}' names the base spec itself; choose another strategy name"))
    return out
