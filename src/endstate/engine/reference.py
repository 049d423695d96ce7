"""The model's executable specification: one run, one month, in plain Python.

Core objects: :class:`RunState` (one run's state as Python numbers and lists,
field for field the engine's :class:`~endstate.model.state.State`),
:class:`RunDraws` (that run's random numbers for the month),
:func:`reference_step` (mechanisms 1-16, then the exit rules of mechanism 17)
and :func:`simulate_reference` (runs on the engine's own random numbers,
returning the engine's outcomes table).

Everything here is written with loops over regions, contributors, tasks and
phases, Python floats and :mod:`math`, in the order the compiled
:func:`endstate.model.step.step` and :meth:`endstate.exits.rules.ExitRules.apply`
apply them, so that the two can be compared run by run.  It is slow on purpose:
it is the version to read, and the test that guards the fast one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from statistics import NormalDist
from types import SimpleNamespace
from typing import Any

import pandas as pd

from endstate.engine.runner import WINDOW_YEARS, mask_unobserved_windows
from endstate.engine.seeding import BlockStreams
from endstate.model.params import Parameters, load_parameters
from endstate.model.sampling import draw_initial
from endstate.model.scenario import Scenario, compile_spec
from endstate.model.state import ACTIVE, AFTER_EXIT, DONE, WITHDRAWING, State, init_state, values
from endstate.model.step import Draws
from endstate.spec.models import MissionSpec
from endstate.types import EXIT_REASONS, INDICATORS, TASKS

REASON = {r: i for i, r in enumerate(EXIT_REASONS)}
COUNT_INDICATORS = ("battle_deaths", "civilian_deaths", "spoiler_strength", "arms_inflow", "riots")


@dataclass
class RunState:
    """One run's state: the fields of :class:`State`, as Python numbers and lists."""

    # country
    at_war: bool
    relapse_month: int  # the first relapse
    peace_start: int  # month the current peace began
    legitimacy: float
    legitimacy0: float
    consent: float
    force: float
    force_quality: float
    pipeline: list[float]  # recruits in training, one slot per month of the course
    detained: float
    places: float
    processing: float
    returned: float
    war_rate: float
    war_log_intensity: float
    war_quantile: float
    static_hazard: float
    arms_base: float
    need: float
    pay: float
    transformation: list[float]  # electoral democracy, institutional integration, minority returns
    # per region
    tension: list[float]
    tension0: list[float]
    grievance: list[float]
    spoilers: list[float]
    arms: list[float]
    support: list[float]
    arrest_share: list[float]
    ddr_reintegrating: list[float]
    # per contributor
    present: list[float]
    tolerance: list[float]
    deaths_memory: list[float]
    cost_memory: list[float]
    fatalities: list[float]
    # exit machinery
    status: int
    reason: int
    trigger_month: int
    within: int
    orderly: bool  # the withdrawal under way hands the remaining phases over in order
    orderly_from: int  # the first phase that drawdown hands over
    exit_month: int
    goal_count: list[int]
    goal_met_month: list[int]
    next_phase: int
    phase_start: list[int]
    # accumulators
    battle_deaths: float
    civilian_deaths: float
    cost: float
    peak_personnel: float
    force_at_exit: float
    relapse_in_mission: bool
    year_battle: float
    conflict_month: int
    war_month: int
    numerical_error: bool
    ddr_taken: float


def run_state(st: State, i: int) -> RunState:
    """Run ``i`` of a vectorised state, as a :class:`RunState`."""
    return RunState(**{f.name: getattr(st, f.name)[i].tolist() for f in fields(State)})


@dataclass
class RunDraws:
    """One run's random numbers for one month (the rows of :class:`Draws`)."""

    z: list[float]  # normals: violence shock per region, spoiler shock per region, legitimacy, consent
    u: list[float]  # uniforms: battle rounding per region, civilian rounding per region, relapse or war's end
    uc: list[float]  # uniforms: fatality rounding per contributor


@dataclass
class RunMonth:
    """What happened in one run this month (a row of :class:`endstate.model.step.Month`)."""

    battle: list[float]
    civilian: list[float]
    coverage: list[float]
    inflow: list[float]
    riots: list[float]
    access: list[float]
    headcount: float
    loyalty: float
    relapsed_now: bool
    war_ended_now: bool
    battle_factor: float
    civilian_factor: float
    deterrence: float


def clip(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


def saturating(x: float, scale: float) -> float:
    """Diminishing returns: 0 at 0, 0.63 at ``scale``, approaching 1."""
    return 1.0 - math.exp(-max(x, 0.0) / scale)


def lognormal_shock(z: float, sigma: float) -> float:
    """Mean-one multiplicative shock."""
    return math.exp(sigma * z - 0.5 * sigma * sigma)


def stochastic_round(x: float, u: float) -> float:
    """Round up with probability equal to the fractional part (unbiased)."""
    y = x + u
    return float(math.floor(y)) if math.isfinite(y) else y


def weighted(xs: list[float], share: list[float]) -> float:
    """Population-weighted country value of regional values."""
    return sum(x * w for x, w in zip(xs, share, strict=True))


# ---------------------------------------------------------------------------
# Where the mission's personnel are (presence)


def mission_scale(s: RunState, month: int) -> float:
    """1 while the mission is fully present, falling to 0 over a withdrawal, 0 after exit."""
    if s.status == ACTIVE:
        return 1.0
    if s.status == WITHDRAWING:
        if s.within == 0:
            return 0.0
        if s.orderly:
            return 1.0  # an orderly drawdown shrinks phase by phase instead
        return clip(1.0 - (month - s.trigger_month) / max(s.within, 1), 0.0, 1.0)
    return 0.0


def cell_factor(s: RunState, phase: int, month: int, drawdown: int) -> float:
    """How much of a (task, region) cell is still in place: it shrinks over ``drawdown`` months once handed over."""
    if phase < 0 or s.phase_start[phase] < 0:
        return 1.0
    if drawdown <= 0:
        return 0.0
    return clip(1.0 - (month - s.phase_start[phase]) / drawdown, 0.0, 1.0)


def schedule_factor(sc: Scenario, s: RunState, c: int, month: int) -> float:
    """Contributor ``c``'s scheduled strength: its dated level, capped by every phase step once that phase is handed over."""
    if not sc.has_schedule:
        return 1.0
    base = float(sc.sched_month[c, min(month, sc.sched_month.shape[1] - 1)])
    level = base
    for cc, p, after in zip(*(a.tolist() for a in sc.sched_phase), strict=True):
        if cc == c:
            level = min(level, after + (base - after) * cell_factor(s, p, month, sc.drawdown_months))
    return level


FUNCTIONS = ("security", "mobile", "border", "escorts", "riot", "trainers", "advisers", "engineers", "headcount", "troops", "police", "observers")
SINGLE_TASK_FUNCTIONS = {
    "border_control": "border",
    "convoy_protection": "escorts",
    "constabulary_training": "trainers",
    "justice_support": "advisers",
    "infrastructure": "engineers",
}


@dataclass
class Deployment:
    """Personnel by function and region, and each contributor's personnel by region."""

    security: list[float]  # weighted by task and quality
    mobile: list[float]  # the patrol and public-order part of ``security``
    border: list[float]
    escorts: list[float]
    riot: list[float]  # public-order personnel; those without riot control count a share
    trainers: list[float]
    advisers: list[float]
    engineers: list[float]
    headcount: list[float]
    troops: list[float]  # headcount split by each contributor's troops, police and observers
    police: list[float]
    observers: list[float]
    by_contributor: list[list[float]]  # [c][r] personnel left after handover, before presence and withdrawal


def task_weights(pv: SimpleNamespace) -> dict[str, float]:
    """1. How much one person on each task adds to security."""
    weights = dict.fromkeys(TASKS, pv.weight_other_tasks)
    weights.update(
        presence_patrol=pv.weight_presence_patrol,
        public_order=pv.weight_public_order,
        key_site_guard=pv.weight_key_site_guard,
        border_control=pv.weight_border_control,
        convoy_protection=pv.weight_convoy_protection,
        infrastructure=0.0,
    )
    return weights


def deployment(sc: Scenario, pv: SimpleNamespace, s: RunState, month: int, scale: float) -> Deployment:
    """Personnel by function: each (contributor, task, region) cell times presence, withdrawal and handover."""
    R = sc.R
    weights = task_weights(pv)
    assign, quality, mask = sc.assign.tolist(), sc.quality.tolist(), sc.phase_mask.tolist()
    d = Deployment(**{name: [0.0] * R for name in FUNCTIONS}, by_contributor=[[0.0] * R for _ in range(sc.C)])
    for c in range(sc.C):
        weight = s.present[c] * scale * schedule_factor(sc, s, c, month)
        riot_weight = 1.0 if sc.riot_capable[c] > 0 else pv.untrained_riot_share
        for k, task in enumerate(TASKS):
            q = quality[c][k] if quality[c][k] >= 0 else pv.incapable_task_quality
            for r in range(R):
                assigned = assign[c][k][r]
                if assigned == 0.0:
                    continue  # an empty cell adds nothing
                phase = next((p for p in range(len(mask)) if mask[p][k][r]), -1)  # the first phase handing it over
                factor = cell_factor(s, phase, month, sc.drawdown_months)
                d.by_contributor[c][r] += assigned * factor
                n = assigned * weight * factor
                effective = n * q
                d.security[r] += effective * weights[task]
                if task in ("presence_patrol", "public_order"):
                    d.mobile[r] += effective * weights[task]
                if task in SINGLE_TASK_FUNCTIONS:
                    getattr(d, SINGLE_TASK_FUNCTIONS[task])[r] += effective
                if task == "public_order":
                    d.riot[r] += n * riot_weight
                d.headcount[r] += n
                d.troops[r] += n * float(sc.component[c, 0])
                d.police[r] += n * float(sc.component[c, 1])
                d.observers[r] += n * float(sc.component[c, 2])
    # a follow-on force stays for a while after exit, spread by population (not the contributors' own personnel)
    follow = s.status == AFTER_EXIT and s.exit_month >= 0 and month < s.exit_month + sc.follow_on_months
    if follow and sc.follow_on_personnel > 0:
        for r in range(R):
            d.security[r] += sc.follow_on_personnel * float(sc.share[r])
            d.headcount[r] += sc.follow_on_personnel * float(sc.share[r])
            d.troops[r] += sc.follow_on_personnel * float(sc.share[r])
    return d


# ---------------------------------------------------------------------------
# Mechanisms 1-16, in the order the month applies them


def coherence(sc: Scenario, pv: SimpleNamespace, n_present: int) -> float:
    """14. Command coherence: lead state or committee, less friction per contributor, caveat and goal."""
    base = pv.coherence_lead_state if sc.lead_state else pv.coherence_committee
    return clip(
        base - pv.coherence_per_contributor * max(n_present - 1, 0) - pv.coherence_caveats * sc.caveat_share
        - pv.coherence_abstract_goals * sc.n_transformation_goals,
        pv.coherence_floor, 1.0,
    )


def loyalty(pv: SimpleNamespace, s: RunState) -> float:
    """6. Loyalty of the domestic force, from pay and last month's legitimacy."""
    return pv.loyalty_base + pv.loyalty_pay * s.pay + pv.loyalty_legitimacy * s.legitimacy


def security_coverage(sc: Scenario, pv: SimpleNamespace, s: RunState, d: Deployment, coh: float, loyal: float) -> list[float]:
    """1. Coverage per region from effective personnel per 1,000; a lead state moves mobile troops to hotspots."""
    R = sc.R
    pop = [float(x) for x in sc.pop]
    intl = list(d.security)
    if sc.reallocate:
        score = [pop[r] * (s.tension[r] + s.spoilers[r] / (pop[r] / 1000.0)) for r in range(R)]
        total = max(sum(score), 1e-12)
        moved = [pv.reallocation_share * d.mobile[r] for r in range(R)]
        pool = sum(moved)
        intl = [intl[r] - moved[r] + pool * (score[r] / total) for r in range(R)]
    domestic = s.force * s.force_quality * loyal
    return [saturating((intl[r] * coh + domestic * float(sc.share[r])) / (pop[r] / 1000.0), pv.coverage_scale_per_1000) for r in range(R)]


def borders(sc: Scenario, pv: SimpleNamespace, s: RunState, d: Deployment, coh: float, loyal: float, cov: list[float]) -> list[float]:
    """5. Weapons crossing each region's border, cut by border control; the stock decays, is seized and grows."""
    exposure = [float(x) for x in sc.border_exposure]
    total_exposure = max(sum(exposure), 1e-9)
    domestic = pv.domestic_border_share * s.force * s.force_quality * loyal
    inflow = []
    for r in range(sc.R):
        guards = d.border[r] * coh + domestic * (exposure[r] / total_exposure)
        border_cov = 1.0 - math.exp(-max(guards, 0.0) / (pv.border_personnel_scale * max(exposure[r], 1e-9)))
        inflow.append(s.arms_base * exposure[r] * (0.5 + s.support[r]) * (1.0 - pv.border_control_effect * border_cov))
        s.arms[r] = max(s.arms[r] * (1.0 - pv.arms_decay - pv.arms_seizure_rate * cov[r]) + inflow[r], 0.0)
    return inflow


def armed_share(s: RunState, r: int) -> float:
    """2. Share of fighters with weapons."""
    return s.arms[r] / (s.arms[r] + s.spoilers[r] + 1.0)


def mission_effect(pv: SimpleNamespace, d: Deployment, coh: float, fighters: float, targeting: float) -> tuple[float, float, float]:
    """2a. (factor on battle deaths, factor on civilian deaths, deterrence) of the troops, police and observers present;
    the share of the fighting aimed at the force beyond the usual UN theatre's is not cut."""
    k = coh / pv.pk_reference_coherence / max(fighters / pv.pk_reference_fighters, 1.0)
    troops, police, observers = sum(d.troops) * k, sum(d.police) * k, sum(d.observers) * k
    party = max(targeting - pv.pk_reference_targeting, 0.0) / (1.0 - pv.pk_reference_targeting)
    battle = party + (1.0 - party) * math.exp(-pv.pk_battle_per_1000_troops * troops / 1000.0)
    civilian = math.exp(
        -pv.pk_civilian_per_1000_troops * troops / 1000.0 - pv.pk_civilian_per_100_police * police / 100.0
        + pv.pk_civilian_per_100_observers * observers / 100.0
    )
    dose = troops + pv.pk_deterrence_police_weight * police + pv.pk_deterrence_observer_weight * observers
    return battle, civilian, (1.0 - party) * (1.0 - math.exp(-dose / pv.pk_deterrence_scale))


def region_party_share(sc: Scenario, pv: SimpleNamespace, r: int) -> float:
    """The share of region ``r``'s fighters whose fighting is aimed at the force: each group's ``max(t - t_ref, 0) /
    (1 - t_ref)`` of its own targeting, weighted by the group's central strength there (the theatre's where none is)."""
    ref = pv.pk_reference_targeting
    held = 0.0
    mixed = 0.0
    for g in range(sc.spoiler_fighters.shape[0]):
        fighters = float(sc.spoiler_fighters[g, r])
        held += fighters
        mixed += max(float(sc.spoiler_targeting[g]) - ref, 0.0) / (1.0 - ref) * fighters
    return mixed / held if held > 0 else max(float(sc.targeting) - ref, 0.0) / (1.0 - ref)


def expected_deaths(
    sc: Scenario, pv: SimpleNamespace, s: RunState, r: int, armed: float, cov: float, fb: float, fc: float
) -> tuple[float, float]:
    """2. Expected (battle, civilian) deaths: unchecked armed spoilers in peace, the resumed conflict's rate at war,
    each times the mission's factors ``fb`` and ``fc``; in peace, the share of fighters aimed at a force that is a
    party fights it at ``party_battle_per_fighter``."""
    active = s.spoilers[r] * (0.5 + armed) * (1.0 - pv.coverage_violence_effect * cov)
    present = 1.0 if s.status in (ACTIVE, WITHDRAWING) else 0.0
    party = present * region_party_share(sc, pv, r)  # fighters whose fight is aimed at the force
    if s.at_war:
        rate = s.war_rate * float(sc.share[r])
        return rate * fb + party * pv.party_battle_per_fighter * active, pv.civilian_per_battle_death_at_war * rate * fc
    battle = pv.battle_deaths_per_fighter * active * fb + party * pv.party_battle_per_fighter * active  # a party force is fought, uncut
    civilian = pv.civilian_deaths_per_fighter * active * (1.0 + s.tension[r]) * (1.0 - pv.justice_violence_effect * s.processing) * fc
    return battle, civilian


def resumed_war_rate(pv: SimpleNamespace, s: RunState) -> float:
    """2. Battle deaths a month of a resumed conflict at the run's quantile of its lognormal (UCDP recurrent conflicts)."""
    q = clip(s.war_quantile, 1e-12, 1.0 - 1e-12)
    return math.exp(s.war_log_intensity + pv.war_intensity_sigma * NormalDist().inv_cdf(q)) / 12.0


def riots(sc: Scenario, pv: SimpleNamespace, s: RunState, r: int, policies: float, shock: float, riot_capacity: float) -> tuple[float, float]:
    """10. (riots, uncontained riots) in region ``r``: tension and new policies bring riots; trained units contain them."""
    expected = pv.riot_rate_per_100k * (float(sc.pop[r]) / 1e5) * (0.5 + float(sc.urban[r])) * s.tension[r] * (1.0 + pv.riot_policy_shock * policies)
    n = expected * shock
    contained = 1.0 - math.exp(-riot_capacity / (max(n, 1e-9) * pv.riot_capacity_scale))
    return n, n * (1.0 - contained)


def violence_index(deaths_per_100k: float, scale: float) -> float:
    """2. 0 with no killing, 0.63 at ``scale`` deaths per 100,000 a month, towards 1."""
    return 1.0 - math.exp(-deaths_per_100k / scale)


def justice(sc: Scenario, pv: SimpleNamespace, s: RunState, arrested: float, advisers: float, engineers: float) -> float:
    """7. Arrests fill free detention places, the rest are released; courts try, engineers build; processing is trials over arrests. Returns released."""
    free = max(s.places - s.detained, 0.0)
    admitted = min(arrested, free)
    released = arrested - admitted
    courts = sc.spec.understanding.justice.cases_per_month
    tried = min(s.detained + admitted, courts + min(pv.trials_per_adviser_month * advisers, pv.adviser_court_multiple * courts))  # advisers help courts, not replace them
    s.detained = s.detained + admitted - tried
    s.places = s.places + pv.places_per_engineer_month * engineers
    share = min(tried / max(arrested, 1e-9), 1.0) if arrested > 1e-9 else s.processing  # court throughput against arrests
    s.processing = s.processing + pv.justice_smoothing * (share - s.processing)
    return released


def spoilers(
    sc: Scenario, pv: SimpleNamespace, s: RunState, armed: list[float], inflow: list[float], cov: list[float], arrested: list[float], z: list[float]
) -> None:
    """4. Spoiler strength: recruitment, fighters crossing with weapons, returns, pressure, arrests, inclusion; capped."""
    R = sc.R
    party = max(sc.targeting - pv.pk_reference_targeting, 0.0) / (1.0 - pv.pk_reference_targeting)
    backlash = pv.party_recruitment * party if s.status in (ACTIVE, WITHDRAWING) else 0.0
    organised = organisation(sc, s)
    for r in range(R):
        shock = lognormal_shock(z[R + r], pv.spoiler_shock_sigma)
        S = s.spoilers[r]
        returned = s.returned * s.arrest_share[r]  # last month's releases rejoin where the arrests were made
        loss = pv.spoiler_pressure_loss * cov[r] * S + arrested[r]
        gain = pv.spoiler_recruitment * S * s.grievance[r] * armed[r] * (1.0 + s.support[r]) * shock + organised * (pv.fighters_per_weapon_inflow * inflow[r] + returned)
        gain = gain + backlash * loss  # a foreign force that is a party recruits the insurgency it fights
        if sc.regional_autonomy:
            loss = loss + pv.spoiler_inclusion_loss * s.tension[r] * S
        s.spoilers[r] = clip(S + gain - loss, 0.0, pv.spoiler_cap_per_1000 * float(sc.pop[r]) / 1000.0)


def organisation(sc: Scenario, s: RunState) -> float:
    """4. The share of the armed groups' organisation a DDR programme has left: its signatories' disbanded share goes."""
    disarmed = s.ddr_taken / max(sc.ddr.caseload, 1e-9) if sc.ddr.caseload > 0 else 0.0
    return 1.0 - sc.ddr.participation * min(max(disarmed, 0.0), 1.0)


def ddr(sc: Scenario, pv: SimpleNamespace, s: RunState, security: float, open_now: bool) -> None:
    """4b. The DDR programme takes in up to its capacity times the force's deterrence; the signatories' spoilers leave
    in the caseload's proportion, with their share of the weapons; a failure share of those reintegrating returns each month."""
    p = sc.ddr
    organised = organisation(sc, s)
    left = max(p.caseload - s.ddr_taken, 0.0)
    took = min(p.capacity * security, left) if open_now else 0.0
    share = min(took / max(left, 1e-9), 1.0) if took > 0 else 0.0
    for r in range(sc.R):
        out = p.participation * share * s.spoilers[r]
        s.arms[r] = s.arms[r] * (1.0 - p.participation * share)  # they hand in their share of the weapons
        leaving = s.ddr_reintegrating[r] / pv.ddr_reintegration_months
        s.spoilers[r] = s.spoilers[r] - out + pv.ddr_reintegration_failure * leaving * organised
        s.ddr_reintegrating[r] = s.ddr_reintegrating[r] + out - leaving
    s.ddr_taken += took


def domestic_force(sc: Scenario, pv: SimpleNamespace, s: RunState, trainers: float, violence: float, month: int, alive: bool) -> float:
    """6. Recruits enter the training pipeline, graduates join, the force loses some; quality moves. Returns recruits."""
    slot = month % len(s.pipeline)
    graduates = s.pipeline[slot]
    attrition = pv.attrition_base + pv.attrition_violence * violence + pv.attrition_pay * (1.0 - s.pay)
    capacity = trainers * pv.trainees_per_trainer_month + pv.domestic_self_training * s.force
    gap = max(sc.constabulary_target - s.force - sum(s.pipeline), 0.0)
    willing = (0.5 + s.legitimacy) * (1.2 - 0.4 * violence)
    recruits = min(capacity, (pv.recruitment_rate * gap + attrition * s.force) * willing)
    s.pipeline[slot] = recruits if alive else 0.0
    kept = s.force * (1.0 - attrition)
    mentor = 1.0 - math.exp(-trainers / (0.05 * s.force + 50.0))
    q = s.force_quality + pv.mentoring_gain * mentor * (1.0 - s.force_quality) - pv.quality_decay * (1.0 - mentor) * max(s.force_quality - pv.graduate_quality, 0.0)
    total = kept + graduates
    s.force_quality = (q * kept + pv.graduate_quality * graduates) / max(total, 1e-9) if total > 0 else q
    s.force = kept + graduates
    return recruits


def aid_access(pv: SimpleNamespace, fighters_1000: float, escorts_1000: float) -> float:
    """8. Share of aid delivered: convoys are raided where fighters are, unless escorted."""
    convoy_cov = 1.0 - math.exp(-max(escorts_1000, 0.0) / pv.convoy_scale_per_1000)
    return 1.0 - min(1.0, pv.raid_rate * fighters_1000 / 5.0 * (1.0 - convoy_cov))


def grievance_and_tension(
    sc: Scenario, pv: SimpleNamespace, s: RunState, access: list[float], vidx_r: list[float], cov: list[float], pushing: float, uncontained: list[float]
) -> None:
    """Grievance follows unmet need, impunity and killing; tension its start level, coverage, pushed goals and riots."""
    for r in range(sc.R):
        target = 0.1 + 0.4 * s.need * (1.0 - access[r]) + 0.3 * (1.0 - s.processing) + 0.3 * vidx_r[r]
        s.grievance[r] = clip(s.grievance[r] + pv.grievance_rate * (target - s.grievance[r]), 0.0, 1.0)
        target = s.tension0[r] * (1.0 - 0.3 * cov[r]) + pv.transformation_tension * pushing * float(sc.enclave[r])
        s.tension[r] = clip(s.tension[r] + pv.tension_rate * (target - s.tension[r]) + pv.riot_tension * uncontained[r], 0.0, 1.0)


def tolerance(sc: Scenario, pv: SimpleNamespace, s: RunState, c: int, fatal: float, spent_bn: float) -> None:
    """12. A contributor's tolerance: its initial level less a step per tenfold of remembered deaths and spending."""
    s.deaths_memory[c] = s.deaths_memory[c] * (1.0 - pv.tolerance_forgetting) + fatal
    s.cost_memory[c] = s.cost_memory[c] * (1.0 - pv.tolerance_forgetting) + spent_bn
    mult = (1.0 if sc.explained[c] > 0 else pv.unexplained_multiplier) * (1.0 if sc.interest[c] > 0 else pv.weak_interest_multiplier)
    loss = mult * (
        pv.tolerance_per_tenfold_deaths * float(sc.sensitivity[c]) * math.log10(1.0 + s.deaths_memory[c] / pv.tolerance_deaths_absorbed)
        + pv.tolerance_per_tenfold_cost * math.log10(1.0 + s.cost_memory[c])
    )
    s.tolerance[c] = clip(float(sc.tol0[c]) - loss, 0.0, 1.0)


def legitimacy(
    pv: SimpleNamespace, s: RunState, cov_c: float, acc_c: float, violence: float, creature: float, policies: float, funded: float, z: float
) -> None:
    """9. Legitimacy moves toward its start level plus security and services (aid delivered, what the programme budget
    buys), less killing, dependence and overrides."""
    target = (
        s.legitimacy0 + pv.legitimacy_security * (cov_c - 0.5) + pv.legitimacy_services * (acc_c - 0.5) + pv.programme_legitimacy * funded
        - pv.legitimacy_violence * violence - pv.legitimacy_creature * creature - pv.legitimacy_override * policies
    )
    s.legitimacy = clip(s.legitimacy + pv.legitimacy_rate * (target - s.legitimacy) + pv.legitimacy_sigma * z, 0.0, 1.0)


def consent(sc: Scenario, pv: SimpleNamespace, s: RunState, violence: float, fighters_c: float, in_mission: bool, z: float, month: int) -> None:
    """13. Host consent rises with the threat it faces, falls with intrusion, with its own force's capability and with the sovereignty cost."""
    threat = clip(violence + math.log1p(fighters_c) / 3.0, 0.0, 1.0)
    intrusion = sc.n_transformation_goals + 0.5 if in_mission else 0.0
    capability = clip(s.force / max(sc.constabulary_target, 1.0), 0.0, 1.5)
    months = month + 1 if in_mission else 0
    tenure = months / (months + pv.consent_sovereignty_months)
    sovereignty = pv.consent_sovereignty * tenure * (1.0 - math.exp(-intrusion)) * capability  # a long, intrusive presence costs a capable host
    target = pv.consent_initial + pv.consent_threat * threat - pv.consent_intrusion * intrusion - pv.consent_capability * capability - sovereignty
    s.consent = clip(s.consent + pv.consent_rate * (target - s.consent) + pv.consent_sigma * z, 0.0, 1.0)


def transformation(sc: Scenario, pv: SimpleNamespace, s: RunState, violence: float, in_mission: bool) -> None:
    """15. Transformation indicators climb, pushed while the mission is present and they are goals, faster in security."""
    for j in range(len(s.transformation)):
        push = max(float(sc.push[j]), pv.transformation_drift) if in_mission else pv.transformation_drift
        x = s.transformation[j]
        s.transformation[j] = clip(x + pv.transformation_rate * push * (0.3 + 0.7 * (1.0 - violence)) * (1.0 - x), 0.0, 1.0)


def election_log_ratio(sc: Scenario, pv: SimpleNamespace, month: int) -> float:
    """16. log of the election hazard ratio in the window after an early election, else 0."""
    for e in sc.election_months.tolist():
        if e <= month < e + pv.election_window_months and e < 12 * pv.election_early_years:
            return math.log(pv.election_hazard_ratio)
    return 0.0


def relapse_hazard(
    sc: Scenario, pv: SimpleNamespace, s: RunState, at_peace: int, fighters_c: float, cov_c: float, deterrence: float, violence: float,
    month: int,
) -> float:
    """3. Monthly hazard of armed conflict resuming, ``at_peace`` months into the current peace (elections by calendar ``month``)."""
    log_h = (
        s.static_hazard - pv.relapse_time_decay * math.log1p(at_peace / 12.0) + pv.relapse_spoilers * math.log1p(fighters_c)
        - pv.relapse_coverage * cov_c - pv.pk_relapse_effect * deterrence + pv.relapse_violence * violence
        - pv.relapse_legitimacy * (s.legitimacy - 0.5)
        + election_log_ratio(sc, pv, month)
    )
    return math.exp(min(log_h, 0.0))  # min(exp(log_h), 1) without overflow


def mechanisms(sc: Scenario, pv: SimpleNamespace, s: RunState, draws: RunDraws, month: int) -> RunMonth:
    """Mechanisms 1-16 for one run and month, updating ``s`` in place."""
    R, C = sc.R, sc.C
    pop = [float(x) for x in sc.pop]
    share = [float(x) for x in sc.share]
    alive = s.status < DONE
    in_mission = s.status in (ACTIVE, WITHDRAWING)
    scale = mission_scale(s, month)
    d = deployment(sc, pv, s, month, scale)
    coh = coherence(sc, pv, sum(1 for c in range(C) if s.present[c] * scale * schedule_factor(sc, s, c, month) > 0))

    loyal = loyalty(pv, s)
    cov = security_coverage(sc, pv, s, d, coh, loyal)
    inflow = borders(sc, pv, s, d, coh, loyal, cov)

    # 2a, 2 and 10: the mission's effect, violence, and deaths at riots too many for the riot-capable personnel
    fb, fc, deterrence = mission_effect(pv, d, coh, sum(s.spoilers), sc.targeting)
    policies = float(sc.n_transformation_goals) if in_mission else 0.0
    armed, riot_n, uncontained, battle, civilian, vidx_r = [], [], [], [], [], []
    for r in range(R):
        armed.append(armed_share(s, r))
        exp_b, exp_c = expected_deaths(sc, pv, s, r, armed[r], cov[r], fb, fc)
        shock = lognormal_shock(draws.z[r], pv.violence_shock_sigma)
        n, lost = riots(sc, pv, s, r, policies, shock, d.riot[r] + (pv.domestic_riot_share * s.force * s.force_quality) * share[r])
        riot_n.append(n)
        uncontained.append(lost)
        exp_c = exp_c + pv.deaths_per_uncontained_riot * lost
        battle.append(stochastic_round(exp_b * shock, draws.u[r]) if alive else 0.0)
        civilian.append(stochastic_round(exp_c * shock, draws.u[R + r]) if alive else 0.0)
        vidx_r.append(violence_index((battle[r] + civilian[r]) / pop[r] * 1e5, pv.violence_index_scale))
    violence = weighted(vidx_r, share)
    cov_c = weighted(cov, share)

    arrested = [pv.spoiler_arrest_rate * cov[r] * s.spoilers[r] for r in range(R)]
    total_arrested = sum(arrested)
    released = justice(sc, pv, s, total_arrested, sum(d.advisers), sum(d.engineers))

    spoilers(sc, pv, s, armed, inflow, cov, arrested, draws.z)
    if sc.ddr.caseload > 0:
        ddr(sc, pv, s, deterrence, in_mission and not s.at_war and month >= sc.ddr.start)
    s.returned = pv.release_return_share * released
    s.arrest_share = [a / max(total_arrested, 1e-9) for a in arrested] if total_arrested > 1e-9 else list(share)

    trainers = sum(d.trainers) * (1.0 if month >= sc.training_start else 0.0)
    domestic_force(sc, pv, s, trainers, violence, month, alive)

    fighters_1000 = [s.spoilers[r] / (pop[r] / 1000.0) for r in range(R)]
    access = [aid_access(pv, fighters_1000[r], (d.escorts[r] + pv.patrol_escort_share * d.security[r]) / (pop[r] / 1000.0)) for r in range(R)]
    acc_c = weighted(access, share)
    pushing = float(sum(sc.push.tolist())) if in_mission else 0.0
    grievance_and_tension(sc, pv, s, access, vidx_r, cov, pushing, uncontained)

    # 11. casualties and cost (contributors' own personnel; follow-on forces are not theirs)
    headcount = sum(d.headcount)
    battle_1000 = [battle[r] / (pop[r] / 1000.0) for r in range(R)]  # hostile risk follows the fighting where personnel serve
    hc_c, fatal, killed = [], [], []
    for c in range(C):
        weight = s.present[c] * scale * schedule_factor(sc, s, c, month)
        hc_c.append(sum(d.by_contributor[c]) * weight)
        exposed = sum(d.by_contributor[c][r] * battle_1000[r] for r in range(R)) * weight
        hostile = pv.hostile_deaths_per_battle_death * sc.targeting * exposed
        expected = pv.accident_fatality_rate * hc_c[c] + hostile
        fatal.append(stochastic_round(expected, draws.uc[c]) if alive else 0.0)
        killed.append(fatal[c] * (hostile / max(expected, 1e-300) if expected > 0 else 0.0))  # publics count the hostile share
        s.fatalities[c] += fatal[c]
    programme = sc.budget_per_month if in_mission else 0.0
    funded = 1.0 - math.exp(-programme * scale * 12.0 / sc.population / pv.programme_scale_per_capita)
    month_cost = sum(hc_c[c] * float(sc.cost_pm[c]) for c in range(C)) + pv.training_cost_per_trainee * sum(s.pipeline) + programme
    s.cost += month_cost if alive else 0.0
    for c in range(C if in_mission else 0):  # remembered only while the mission is present: the exit rules read them then only
        tolerance(sc, pv, s, c, killed[c], hc_c[c] * float(sc.cost_pm[c]) / 1e9 if alive else 0.0)

    creature = hc_c[sc.lead] / max(sum(hc_c), 1e-9) if sc.lead_state and sc.lead >= 0 else 0.0
    legitimacy(pv, s, cov_c, acc_c, violence, creature, policies, funded, draws.z[2 * R])
    fighters_c = weighted(fighters_1000, share)
    consent(sc, pv, s, violence, fighters_c, in_mission, draws.z[2 * R + 1], month)
    transformation(sc, pv, s, violence, in_mission)

    h = relapse_hazard(sc, pv, s, month - s.peace_start, fighters_c, cov_c, deterrence, violence, month)
    ending = min(pv.war_termination_rate * math.exp(pv.pk_termination_effect * deterrence), 1.0)  # a mission shortens the war
    war_ended_now = alive and s.at_war and draws.u[2 * R] < ending
    relapsed_now = alive and not s.at_war and draws.u[2 * R] < h
    if war_ended_now:  # the war burns out: peace again, its clock restarts
        s.at_war = False
        s.peace_start = month + 1
    if relapsed_now:
        s.at_war = True
        s.war_rate = resumed_war_rate(pv, s)
        if s.relapse_month < 0:
            s.relapse_month = month
        s.relapse_in_mission = s.relapse_in_mission or in_mission

    # relapse as the data define it: the first calendar year with 25 (UCDP) and with 1,000 (a war) battle deaths
    if (sc.calendar_month0 + month) % 12 == 0:
        s.year_battle = 0.0
    s.year_battle += sum(battle)
    if s.conflict_month < 0 and s.year_battle >= 25.0:
        s.conflict_month = month
    if s.war_month < 0 and s.year_battle >= 1000.0:
        s.war_month = month

    s.battle_deaths += sum(battle)
    s.civilian_deaths += sum(civilian)
    s.peak_personnel = max(s.peak_personnel, headcount if in_mission else 0.0)
    return RunMonth(battle, civilian, cov, inflow, riot_n, access, headcount, loyal, relapsed_now, war_ended_now, fb, fc, deterrence)


# ---------------------------------------------------------------------------
# Mechanism 17: exit rules


def indicator(name: str, sc: Scenario, s: RunState, m: RunMonth, region: int) -> float:
    """A goal's indicator: national quantities as they are; regional ones for the region, or summed (counts) or population-weighted."""
    R = sc.R
    regional: dict[str, list[float]] = {
        "battle_deaths": m.battle,
        "civilian_deaths": m.civilian,
        "violence_per_100k": [(m.battle[r] + m.civilian[r]) / float(sc.pop[r]) * 1e5 for r in range(R)],
        "spoiler_strength": s.spoilers,
        "arms_inflow": m.inflow,
        "tension": s.tension,
        "riots": m.riots,
        "security_coverage": m.coverage,
        "aid_access": m.access,
    }
    country = {
        "domestic_force_per_1000": s.force / sc.population * 1000.0,
        "domestic_force_quality": s.force_quality,
        "domestic_force_loyalty": m.loyalty,
        "justice_processing": s.processing,
        "legitimacy": s.legitimacy,
        "host_consent": s.consent,
        "electoral_democracy": s.transformation[0],
        "institutional_integration": s.transformation[1],
        "minority_returns": s.transformation[2],
        "disarmed_share": s.ddr_taken / max(sc.ddr.caseload, 1e-9),
    }
    if name in country:
        return country[name]
    vals = regional[name]
    if region >= 0:
        return vals[region]
    if name in COUNT_INDICATORS:
        return sum(vals)
    return weighted(vals, [float(x) for x in sc.share])


def holds(value: float, comparator: int, threshold: float) -> bool:
    return (value < threshold, value <= threshold, value > threshold, value >= threshold)[comparator]


def start_withdrawal(sc: Scenario, s: RunState, reason: str, within: int, month: int) -> None:
    s.reason = REASON[reason]
    s.trigger_month = month
    s.within = within
    s.status = WITHDRAWING
    if sc.trigger_orderly.get(reason, False) and within > 0 and s.next_phase < sc.phase_mask.shape[0]:
        s.orderly = True  # hand the remaining phases over in order, evenly over ``within`` months
        s.orderly_from = s.next_phase


def exit_rules(sc: Scenario, pv: SimpleNamespace, s: RunState, m: RunMonth, month: int) -> None:
    """17. Goals and sustain windows, phased handover, contributors leaving, triggers, exit and end of observation."""
    in_mission = s.status in (ACTIVE, WITHDRAWING)
    names = list(INDICATORS)

    # goals: count the consecutive months each has held
    for g in range(len(sc.goal_threshold)):
        value = indicator(names[sc.goal_indicator[g]], sc, s, m, int(sc.goal_region[g]))
        ok = in_mission and holds(value, int(sc.goal_comparator[g]), float(sc.goal_threshold[g]))
        s.goal_count[g] = s.goal_count[g] + 1 if ok else 0
        if s.goal_count[g] >= sc.goal_sustain[g] and s.goal_met_month[g] < 0:
            s.goal_met_month[g] = month
    met = [s.goal_count[g] >= sc.goal_sustain[g] for g in range(len(sc.goal_threshold))]

    # phased handover: the next phase, once all its goals are met; the last one starts the drawdown
    P = sc.phase_mask.shape[0]
    if (
        s.status == ACTIVE and s.next_phase < P and month >= sc.phase_not_before[s.next_phase]  # not before its date, if it has one
        and all(met[g] for g in range(len(met)) if sc.phase_goals[s.next_phase, g])
    ):  # fmt: skip
        s.phase_start[s.next_phase] = month
        s.next_phase += 1
        if s.next_phase == P:
            start_withdrawal(sc, s, "thresholds_met", sc.drawdown_months, month)

    # contributors leave when their tolerance falls under its floor
    for c in range(sc.C):
        if in_mission and s.present[c] > 0 and s.tolerance[c] < sc.tol_floor[c]:
            s.present[c] = 0.0
    if sc.lead >= 0:
        gone = s.present[sc.lead] == 0
    else:
        remaining = sum(s.present[c] * float(sc.headcount[c]) for c in range(sc.C)) / max(float(sc.headcount.sum()), 1e-9)
        gone = remaining < pv.committee_quorum

    # triggers, in order of precedence; the first to fire decides
    on, within, floor = sc.trig_consent
    if s.status == ACTIVE and on and s.consent < floor:
        start_withdrawal(sc, s, "host_consent", within, month)
    if s.status == ACTIVE and gone:
        start_withdrawal(sc, s, "contributor_tolerance", sc.trig_tolerance[1], month)
    if s.status == ACTIVE and s.at_war and sum(s.spoilers) > pv.collapse_overrun_ratio * m.headcount:
        start_withdrawal(sc, s, "collapse", 0, month)  # overrun: the mission can no longer operate
    if s.status == ACTIVE and sc.trig_budget[0] and s.cost >= sc.expenditure_ceiling:
        start_withdrawal(sc, s, "budget", sc.trig_budget[1], month)
    if s.status == ACTIVE and sc.trig_deadline[0] and month >= sc.end_month:
        start_withdrawal(sc, s, "deadline", sc.trig_deadline[1], month)

    # an orderly drawdown hands the remaining phases over in order, evenly spread over its months
    if s.status == WITHDRAWING and s.orderly:
        remaining = max(P - s.orderly_from, 1)
        while s.next_phase < P and (s.next_phase - s.orderly_from) * s.within <= (month - s.trigger_month) * remaining:
            s.phase_start[s.next_phase] = month
            s.next_phase += 1

    # withdrawals end; missions still present at the horizon are "running"; post-exit observation ends
    if s.status == WITHDRAWING and month + 1 >= s.trigger_month + s.within:
        s.exit_month = max(s.trigger_month + s.within, month)
        s.force_at_exit = s.force
        s.status = AFTER_EXIT
    if month + 1 >= sc.horizon and s.status == ACTIVE:
        s.reason = REASON["running"]
        s.force_at_exit = s.force
        s.status = DONE
    if s.status == AFTER_EXIT and month + 1 >= s.exit_month + sc.post_exit_months:
        s.status = DONE


def reference_step(sc: Scenario, pv: SimpleNamespace, s: RunState, draws: RunDraws, month: int) -> RunMonth:
    """One month of one run: mechanisms 1-16, then the exit rules; ``s`` is updated in place."""
    m = mechanisms(sc, pv, s, draws, month)
    exit_rules(sc, pv, s, m, month)
    return m


def guard(s: RunState) -> None:
    """Flag and stop a run that hit non-finite numbers, leaving them unrepaired (as the engine does after each month)."""
    numbers = [*s.spoilers, *s.arms, *s.tension, *s.grievance, *s.fatalities, s.force, s.legitimacy, s.consent, s.cost,
               s.force_quality, s.processing, s.battle_deaths, s.civilian_deaths, s.peak_personnel]  # fmt: skip
    if all(math.isfinite(x) for x in numbers):
        return
    s.numerical_error = True
    s.status = DONE


# ---------------------------------------------------------------------------
# Many runs on the engine's random numbers


def outcome(sc: Scenario, s: RunState, run: int, windows: dict[int, tuple[float, float, float]]) -> dict[str, Any]:
    """One row of the engine's outcomes table (see ``endstate.outcomes.columns.OUTCOME_COLUMNS``).

    ``windows``: years -> (battle deaths, civilian deaths, cost) at the end of that fixed window.
    """
    exited = s.exit_month >= 0
    rel = s.relapse_month
    row: dict[str, Any] = {
        "run": run,
        "exit_month": s.exit_month,
        "exit_reason": EXIT_REASONS[s.reason],
        "trigger_month": s.trigger_month if exited else -1,
        "relapsed": rel >= 0,
        "relapse_month": rel,
        "relapse_in_mission": s.relapse_in_mission,
    }
    for years in (2, 5, 10):
        row[f"relapse_{years}y"] = rel >= 0 and exited and rel < s.exit_month + 12 * years
    row.update(
        conflict_recurrence=s.conflict_month >= 0, conflict_recurrence_month=s.conflict_month,
        war_recurrence=s.war_month >= 0, war_recurrence_month=s.war_month,
    )
    started = [p for p, month in enumerate(s.phase_start) if month >= 0]
    handed = {k for p in started for k in range(len(TASKS)) if sc.phase_mask[p, k].any()}
    row.update(
        months_observed_after_exit=sc.post_exit_months if exited else 0,
        battle_deaths=s.battle_deaths,
        civilian_deaths=s.civilian_deaths,
        mission_fatalities=sum(s.fatalities),
        cost_usd=s.cost,
        peak_personnel=s.peak_personnel,
        domestic_force_at_exit=s.force_at_exit if math.isfinite(s.force_at_exit) else 0.0,
        phases_handed_over=len(started),
        tasks_handed_over=len(handed),
        numerical_error=s.numerical_error,
        months_observed=s.exit_month + sc.post_exit_months if exited else sc.horizon,
    )
    for years in WINDOW_YEARS:
        row[f"relapse_by_{years}y"] = 0 <= rel < 12 * years
        row[f"battle_deaths_{years}y"], row[f"civilian_deaths_{years}y"], row[f"cost_usd_{years}y"] = windows[years]
    if s.numerical_error:  # a flagged run reports no number it produced
        row.update(exit_month=-1, exit_reason=None, trigger_month=-1, relapsed=False, relapse_month=-1, relapse_in_mission=False,
                   relapse_2y=False, relapse_5y=False, relapse_10y=False, conflict_recurrence=False, conflict_recurrence_month=-1,
                   war_recurrence=False, war_recurrence_month=-1, months_observed_after_exit=0, phases_handed_over=0,
                   tasks_handed_over=0, battle_deaths=math.nan, civilian_deaths=math.nan, mission_fatalities=math.nan,
                   cost_usd=math.nan, peak_personnel=math.nan, domestic_force_at_exit=math.nan)  # fmt: skip
        for years in WINDOW_YEARS:
            row.update({f"relapse_by_{years}y": False, f"battle_deaths_{years}y": math.nan, f"civilian_deaths_{years}y": math.nan,
                        f"cost_usd_{years}y": math.nan})  # fmt: skip
    return row


def initial_states(sc: Scenario, pv: SimpleNamespace, streams: BlockStreams) -> list[RunState]:
    """Month-0 states of the streams' runs, from the same baseline draws the engine uses."""
    st = init_state(sc, draw_initial(sc, streams), pv)
    return [run_state(st, i) for i in range(streams.stop - streams.start)]


def month_draws(streams: BlockStreams, sc: Scenario) -> list[RunDraws]:
    """The next month's random numbers, one :class:`RunDraws` per run."""
    z, u, uc = streams.month(*Draws.widths(sc.R, sc.C))
    return [RunDraws(z[i].tolist(), u[i].tolist(), uc[i].tolist()) for i in range(z.shape[0])]


@dataclass
class ReferenceRun:
    """Outcomes of :func:`simulate_reference` and the months each run was simulated."""

    outcomes: pd.DataFrame
    months: list[int]


def simulate_reference(spec: MissionSpec, runs: int, seed: int, params: Parameters | None = None, horizon: int | None = None) -> ReferenceRun:
    """Runs ``[0, runs)`` of ``spec`` one by one in plain Python, on the engine's random numbers.

    Each run is stepped until its observation ends (status ``DONE``), at most
    as many months as the engine steps a batch.
    """
    sc = compile_spec(spec, horizon)
    pv = values(params or load_parameters())
    streams = BlockStreams(seed, 0, runs)
    states = initial_states(sc, pv, streams)
    months = [0] * runs
    windows: list[dict[int, tuple[float, float, float]]] = [{} for _ in states]
    for month in range(sc.horizon + 60 + sc.post_exit_months):
        if all(s.status == DONE for s in states):
            break
        for i, d in enumerate(month_draws(streams, sc)):
            s = states[i]
            if s.status == DONE:
                continue
            reference_step(sc, pv, s, d, month)
            guard(s)
            months[i] += 1
        if (month + 1) % 12 == 0 and (month + 1) // 12 in WINDOW_YEARS:
            for i, s in enumerate(states):
                windows[i][(month + 1) // 12] = (s.battle_deaths, s.civilian_deaths, s.cost)
    for i, s in enumerate(states):
        for years in WINDOW_YEARS:
            windows[i].setdefault(years, (s.battle_deaths, s.civilian_deaths, s.cost))
    table = pd.DataFrame([outcome(sc, s, i, windows[i]) for i, s in enumerate(states)])
    table["exit_reason"] = pd.Categorical(table["exit_reason"], categories=list(EXIT_REASONS))
    mask_unobserved_windows(table)
    return ReferenceRun(table, months)


__all__ = ["RunDraws", "RunMonth", "RunState", "ReferenceRun", "reference_step", "run_state", "simulate_reference"]
