"""A mission spec compiled into the static arrays the monthly step reads.

Core object: :class:`Scenario`.  Regions index the last axis of every regional
array; contributors are ``c``; tasks follow :data:`endstate.types.TASKS` (``k``).
Nothing here is random: uncertain spec values are drawn per run in
:mod:`endstate.model.sampling`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from endstate.spec.models import ALL, MissionSpec
from endstate.types import INDICATORS, TASKS, TRANSFORMATION_INDICATORS

from . import ddr, peacekeeping

TASK_INDEX = {t: i for i, t in enumerate(TASKS)}
INDICATOR_INDEX = {name: i for i, name in enumerate(INDICATORS)}
COMPARATOR_INDEX = {"<": 0, "<=": 1, ">": 2, ">=": 3}
K = len(TASKS)


@dataclass(frozen=True)
class Scenario:
    """Static, run-independent arrays of one mission spec."""

    spec: MissionSpec
    R: int
    C: int
    population: float
    pop: np.ndarray  # (R,) inhabitants per region
    share: np.ndarray  # (R,)
    border_exposure: np.ndarray  # (R,)
    enclave: np.ndarray  # (R,) 1.0 for minority enclaves
    urban: np.ndarray  # (R,)
    assign: np.ndarray  # (C, K, R) personnel assigned
    quality: np.ndarray  # (C, K) 1 where capable, else the incapable share
    riot_capable: np.ndarray  # (C,) 1.0 if the contributor has riot control
    headcount: np.ndarray  # (C,) personnel assigned per contributor
    component: np.ndarray  # (C, 3) share of each contributor's personnel that is troops, police, observers
    cost_pm: np.ndarray  # (C,) US$ per person-month
    tol0: np.ndarray  # (C,)
    tol_floor: np.ndarray  # (C,)
    sensitivity: np.ndarray  # (C,)
    explained: np.ndarray  # (C,) 1.0 if purpose explained
    interest: np.ndarray  # (C,) 1.0 if interest stated
    caveat_share: float  # share of personnel under any caveat
    lead: int  # contributor index of the lead state, -1 for committee
    lead_state: bool
    reallocate: bool
    spoiler_weight: np.ndarray  # (S, R) how each spoiler's strength is spread
    spoiler_targeting: np.ndarray  # (S,) how much each group targets foreign forces (the theatre's value unless it has its own)
    spoiler_fighters: np.ndarray  # (S, R) each group's central strength in each region: the mix of fighters a region holds
    goal_indicator: np.ndarray  # (G,) index into INDICATORS
    goal_comparator: np.ndarray  # (G,)
    goal_threshold: np.ndarray  # (G,)
    goal_sustain: np.ndarray  # (G,)
    goal_region: np.ndarray  # (G,) region index or -1 for the country
    phase_mask: np.ndarray  # (P, K, R) bool: what phase p hands over
    phase_goals: np.ndarray  # (P, G) bool: which goals must hold
    phase_not_before: np.ndarray  # (P,) first month phase p may be handed over (0: as soon as its goals hold)
    push: np.ndarray  # (3,) 1.0 where a transformation indicator is a goal
    n_transformation_goals: int
    election_months: np.ndarray  # (E,)
    end_month: int  # deadline month, or a large number
    horizon: int  # last month the mission may be present
    post_exit_months: int
    drawdown_months: int
    follow_on_personnel: float
    follow_on_months: int
    trig_deadline: tuple[bool, int]
    trig_budget: tuple[bool, int]
    trig_tolerance: tuple[bool, int]
    trig_consent: tuple[bool, int, float]
    trigger_orderly: dict[str, bool]  # exit reason -> its trigger's action is an orderly drawdown
    targeting: float  # how much armed groups target foreign forces, 0-1
    sched_month: np.ndarray  # (C, M) each contributor's dated strength, a factor of its assigned personnel, month by month
    sched_phase: tuple[np.ndarray, np.ndarray, np.ndarray]  # (Q,) each: contributor, phase index, strength factor once handed over
    sched_points: tuple[np.ndarray, np.ndarray, np.ndarray]  # (D,) each: month, contributor, personnel of every dated step
    expenditure_ceiling: float
    budget_per_month: float
    constabulary_target: float  # personnel
    training_start: int  # month international trainers start work
    regional_autonomy: bool
    war_outcome: str
    calendar_month0: int  # calendar month (0 = January) of the mission start: years for the relapse definitions
    ddr: ddr.Programme = ddr.NONE  # the mission's DDR programme (caseload 0: none)

    @property
    def has_schedule(self) -> bool:
        """Whether any contributor's deployment changes over time."""
        return bool(self.sched_points[0].size or self.sched_phase[0].size)

    @property
    def n_months(self) -> int:
        """Months simulated at most: the mission horizon plus the post-exit horizon."""
        return self.horizon + self.post_exit_months


def fighter_party_share(sc: Scenario, p: peacekeeping.PeacekeepingParams) -> np.ndarray:
    """(R,) the share of each region's fighters whose fighting is aimed at a foreign force (mechanism 2).

    Each group's party share is mechanism 2a's :func:`~endstate.model.peacekeeping.party_share` of its own targeting;
    a region's is their mean weighted by the groups' central strengths there (the theatre's where it holds no group).
    """
    theatre = peacekeeping.party_share(float(sc.targeting), p)
    if not sc.spoiler_fighters.size:
        return np.full(sc.R, theatre)
    groups = np.array([peacekeeping.party_share(float(t), p) for t in sc.spoiler_targeting])
    held = sc.spoiler_fighters.sum(axis=0)
    mixed = (groups[:, None] * sc.spoiler_fighters).sum(axis=0)
    return np.where(held > 0, mixed / np.maximum(held, 1e-300), theatre)


def _components(troops: float, police: float, observers: float) -> tuple[float, float, float]:
    """Shares of a contributor's personnel by component; one that declares none counts as troops."""
    total = troops + police + observers
    return (troops / total, police / total, observers / total) if total > 0 else (1.0, 0.0, 0.0)


def compile_spec(spec: MissionSpec, horizon_override: int | None = None) -> Scenario:
    regions = spec.region_ids
    ridx = {r: i for i, r in enumerate(regions)}
    R = len(regions)
    share = np.array([r.population_share for r in spec.theatre.regions])
    pop = share * spec.theatre.population
    cons = spec.force.contributors
    C = len(cons)
    cidx = {c.id: i for i, c in enumerate(cons)}

    assign = np.zeros((C, K, R))
    for a in spec.tasks.assignments:
        c, k = cidx[a.contributor], TASK_INDEX[a.task]
        if a.region == ALL:
            assign[c, k] += a.personnel * share
        else:
            assign[c, k, ridx[a.region]] += a.personnel
    quality = np.full((C, K), 1.0)
    for i, con in enumerate(cons):
        for t in TASKS:
            if t not in con.capabilities:
                quality[i, TASK_INDEX[t]] = -1.0  # filled with the parameter at step time
    caveated = sum(assign[i].sum() for i, con in enumerate(cons) if con.caveats.tasks or con.caveats.regions)
    total = assign.sum()

    spoiler_weight = np.zeros((len(spec.understanding.spoilers), R))
    for s, sp in enumerate(spec.understanding.spoilers):
        idx = list(range(R)) if ALL in sp.regions else [ridx[r] for r in sp.regions]
        spoiler_weight[s, idx] = share[idx] / share[idx].sum()

    und = spec.understanding
    goals = spec.goals
    gindex = {g.id: i for i, g in enumerate(goals)}
    phases = spec.exit.handover
    phase_mask = np.zeros((len(phases), K, R), dtype=bool)
    phase_goals = np.zeros((len(phases), len(goals)), dtype=bool)
    for p, ph in enumerate(phases):
        ks = [TASK_INDEX[t] for t in ph.tasks]
        rs = list(range(R)) if ALL in ph.regions else [ridx[r] for r in ph.regions]
        for k in ks:
            phase_mask[p, k, rs] = True
        for gid in ph.when:
            phase_goals[p, gindex[gid]] = True

    ex = spec.exit
    tr = ex.triggers
    deadline_on = ex.end_date is not None and (ex.strategy in ("end_date", "hybrid") or tr.deadline is not None)
    end_month = spec.month_of(ex.end_date) if deadline_on and ex.end_date is not None else 10**6
    horizon = horizon_override or spec.resources.horizon_months
    sched_month, sched_phase, sched_points = _schedules(spec, assign, horizon + 12 * ex.post_exit_years)
    return Scenario(
        spec=spec,
        R=R,
        C=C,
        population=spec.theatre.population,
        pop=pop,
        share=share,
        border_exposure=np.array([r.border_exposure for r in spec.theatre.regions]),
        enclave=np.array([1.0 if r.minority_enclave else 0.0 for r in spec.theatre.regions]),
        urban=np.array([r.urban_share for r in spec.theatre.regions]),
        assign=assign,
        quality=quality,
        riot_capable=np.array([1.0 if "riot_control" in c.capabilities else 0.0 for c in cons]),
        headcount=assign.sum(axis=(1, 2)),
        component=np.array([_components(c.troops, c.police, c.observers) for c in cons]).reshape(C, 3),
        cost_pm=np.array([c.cost_per_person_month for c in cons]),
        tol0=np.array([c.tolerance for c in cons]),
        tol_floor=np.array([c.tolerance_floor for c in cons]),
        sensitivity=np.array([c.casualty_sensitivity for c in cons]),
        explained=np.array([1.0 if c.purpose_explained else 0.0 for c in cons]),
        interest=np.array([1.0 if c.interest_stated else 0.0 for c in cons]),
        caveat_share=float(caveated / total) if total > 0 else 0.0,
        lead=cidx[spec.force.lead] if spec.force.command == "lead_state" and spec.force.lead else -1,
        lead_state=spec.force.command == "lead_state",
        reallocate=spec.tasks.allocation == "reallocate_to_hotspots" and spec.force.command == "lead_state",
        spoiler_weight=spoiler_weight,
        spoiler_targeting=np.array([
            und.targeting_of_foreign_forces if sp.targeting_of_foreign_forces is None else sp.targeting_of_foreign_forces
            for sp in und.spoilers
        ], dtype=float),
        spoiler_fighters=np.array([sp.strength.central() for sp in und.spoilers], dtype=float)[:, None] * spoiler_weight
        if und.spoilers else np.zeros((0, R)),
        goal_indicator=np.array([INDICATOR_INDEX[g.indicator] for g in goals], dtype=np.int64),
        goal_comparator=np.array([COMPARATOR_INDEX[g.comparator] for g in goals], dtype=np.int64),
        goal_threshold=np.array([g.threshold for g in goals], dtype=float),
        goal_sustain=np.array([g.sustain_months for g in goals], dtype=np.int64),
        goal_region=np.array([ridx[g.region] if g.region is not None else -1 for g in goals], dtype=np.int64),
        phase_mask=phase_mask,
        phase_goals=phase_goals,
        phase_not_before=np.array([max(spec.month_of(ph.not_before), 0) if ph.not_before else 0 for ph in phases], dtype=np.int64),
        push=np.array([1.0 if any(g.indicator == t for g in goals) else 0.0 for t in TRANSFORMATION_INDICATORS]),
        n_transformation_goals=spec.transformation_goal_count,
        election_months=np.array([spec.month_of(d) for d in spec.politics.elections], dtype=np.int64),
        end_month=end_month,
        horizon=horizon,
        post_exit_months=12 * ex.post_exit_years,
        drawdown_months=ex.drawdown.months_per_phase,
        follow_on_personnel=ex.follow_on.personnel,
        follow_on_months=ex.follow_on.months,
        trig_deadline=(deadline_on, tr.deadline.within_months if tr.deadline else 0),
        trig_budget=(tr.expenditure_ceiling is not None, tr.expenditure_ceiling.within_months if tr.expenditure_ceiling else 0),
        trig_tolerance=(True, tr.contributor_tolerance.within_months if tr.contributor_tolerance else 3),
        trig_consent=(
            tr.host_consent is not None,
            tr.host_consent.within_months if tr.host_consent else 0,
            float(tr.host_consent.floor) if tr.host_consent and tr.host_consent.floor is not None else 0.0,
        ),
        trigger_orderly={
            reason: trig is not None and trig.action == "orderly_drawdown"
            for reason, trig in (
                ("deadline", tr.deadline),
                ("budget", tr.expenditure_ceiling),
                ("contributor_tolerance", tr.contributor_tolerance),
                ("host_consent", tr.host_consent),
            )
        },
        targeting=spec.understanding.targeting_of_foreign_forces,
        sched_month=sched_month,
        sched_phase=sched_phase,
        sched_points=sched_points,
        expenditure_ceiling=float(spec.resources.expenditure_ceiling) if spec.resources.expenditure_ceiling else float("inf"),
        budget_per_month=spec.resources.budget_per_year / 12.0,
        constabulary_target=spec.tasks.constabulary_target_per_1000 * spec.theatre.population / 1000.0,
        training_start=spec.month_of(spec.tasks.constabulary_training_start) if spec.tasks.constabulary_training_start else 0,
        regional_autonomy=spec.politics.regional_autonomy,
        war_outcome=spec.understanding.war_outcome,
        calendar_month0=spec.mission.start_date.month - 1,
        ddr=_programme(spec),
    )


def _programme(spec: MissionSpec) -> ddr.Programme:
    """The spec's DDR programme, its start as a month of the mission."""
    d = spec.tasks.ddr
    if d is None:
        return ddr.NONE
    return ddr.Programme(caseload=d.fighters, capacity=d.per_month, start=spec.month_of(d.start), participation=d.participation)


def _schedules(
    spec: MissionSpec, assign: np.ndarray, months: int
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Contributors' deployment over time as factors of their assigned personnel.

    Dated steps are interpolated linearly month by month (held flat before the
    first and after the last); phase steps are kept as (contributor, phase,
    factor) and applied per run once that phase is handed over.
    """
    C = assign.shape[0]
    assigned = assign.sum(axis=(1, 2))
    phase_index = {ph.name: p for p, ph in enumerate(spec.exit.handover)}
    curve = np.ones((C, max(months, 1)))
    pc: list[int] = []
    pp: list[int] = []
    pf: list[float] = []
    dm: list[int] = []
    dc: list[int] = []
    dp: list[float] = []
    t = np.arange(curve.shape[1], dtype=float)
    for c, con in enumerate(spec.force.contributors):
        dated = [(spec.month_of(st.date), st.personnel) for st in con.schedule if st.date is not None]
        if dated:
            curve[c] = np.interp(t, [m for m, _ in dated], [n / assigned[c] for _, n in dated])
            for m, n in dated:
                dm.append(m)
                dc.append(c)
                dp.append(n)
        for st in con.schedule:
            if st.phase is not None and st.phase in phase_index:  # idle in a plan without handover phases
                pc.append(c)
                pp.append(phase_index[st.phase])
                pf.append(st.personnel / assigned[c])
    return (
        curve,
        (np.array(pc, dtype=np.int64), np.array(pp, dtype=np.int64), np.array(pf, dtype=float)),
        (np.array(dm, dtype=np.int64), np.array(dc, dtype=np.int64), np.array(dp, dtype=float)),
    )
