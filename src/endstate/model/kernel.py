"""The month of mechanisms 1-16 compiled with Numba: one fused loop over runs.

Core objects: :class:`Theatre` (the scenario's constants the month reads),
:data:`Values` (every parameter as a float, by its name in
:mod:`endstate.model.params`), :func:`theatre`, :func:`values_tuple` and
:func:`month_kernel`, which steps every run of a batch in place.

Why: the vectorised step made several hundred whole-array NumPy passes over
runs x regions a month, with temporaries and both sides of every branch; here
each run's month is one pass over its own numbers (threads may step disjoint
ranges of runs; no run reads another's, so results do not depend on the
split).

What it computes is, line for line and in the same order, the month of
:func:`endstate.model.step.step_numpy` (each block names the mechanism
module whose formula it evaluates); the presence tables
(:mod:`endstate.model.presence`), the election effect and the resumed war's
intensity are computed around it in :func:`endstate.model.step.step`.  No
fastmath: floating-point results are those of IEEE arithmetic in the written
order.  It agrees with the NumPy step and with the plain-Python reference to
rounding (``tests/model/test_kernel.py``, ``tests/engine/test_reference.py``).
"""

from __future__ import annotations

from collections import namedtuple
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from .params import DEFAULTS
from .presence import F, PresenceTables
from .scenario import Scenario
from .state import ACTIVE, DONE, WITHDRAWING

CONFLICT_DEATHS = 25.0
"""Battle deaths in a calendar year that make an armed conflict (UCDP/PRIO Armed Conflict Dataset codebook)."""
WAR_DEATHS = 1000.0
"""Battle deaths in a calendar year that make a war (Correlates of War; Doyle & Sambanis 2000; UCDP's 'war' intensity)."""

Values = namedtuple("Values", DEFAULTS.names())  # type: ignore[misc]
"""Every model parameter as a float, by name: a tuple Numba passes to compiled code (a SimpleNamespace it cannot)."""

# the fields of endstate.model.state.State the kernel reads or writes, by dtype
FLOAT_STATE = ("legitimacy", "legitimacy0", "consent", "force", "force_quality", "pipeline", "detained", "places", "processing", "returned",
                "war_rate", "static_hazard", "arms_base", "need", "pay", "transformation", "tension", "tension0", "grievance", "spoilers", "arms",
                "support", "arrest_share", "tolerance", "deaths_memory", "cost_memory", "fatalities", "cost", "battle_deaths", "civilian_deaths",
                "peak_personnel", "year_battle")  # fmt: skip
INT_STATE = ("relapse_month", "peace_start", "status", "conflict_month", "war_month")
BOOL_STATE = ("at_war", "relapse_in_mission")


KernelState = namedtuple("KernelState", FLOAT_STATE + INT_STATE + BOOL_STATE)  # type: ignore[misc]
"""The state's arrays as a tuple Numba passes to compiled code (a dataclass it cannot); written in place."""

KernelMonth = namedtuple(  # type: ignore[misc]
    "KernelMonth",
    ("battle", "civilian", "coverage", "inflow", "riots", "access", "one_sided", "expected_battle", "expected_civilian",  # (N, R)
     "headcount", "loyalty", "mission_battle", "mission_civilian", "deterrence",  # (N,)
     "relapsed_now", "war_ended_now"),  # (N,) bool
)  # fmt: skip
"""The month's numbers the kernel fills, each run's row by its own thread (see :class:`endstate.model.step.Month`)."""

# the personnel functions of presence.by_function, as compile-time constants
_SEC, _MOB, _BOR, _ESC, _RIOT = F["security"], F["mobile"], F["border"], F["escorts"], F["riot"]
_TRAIN, _ADV, _ENG, _HC = F["trainers"], F["advisers"], F["engineers"], F["headcount"]
_TROOPS, _POLICE, _OBS = F["troops"], F["police"], F["observers"]


class Theatre(NamedTuple):
    """The scenario's constants read by the month (see :class:`endstate.model.scenario.Scenario`)."""

    pop: np.ndarray  # (R,) inhabitants
    thousands: np.ndarray  # (R,) inhabitants / 1000 (each division by it was written ``/ (pop / 1000.0)``: the same number)
    hundred_thousands: np.ndarray  # (R,) inhabitants / 100,000
    share: np.ndarray  # (R,) population shares
    border_exposure: np.ndarray  # (R,)
    border_split: np.ndarray  # (R,) exposure over its total: where the domestic force's border share stands
    urban: np.ndarray  # (R,)
    enclave: np.ndarray  # (R,)
    spoiler_cap: np.ndarray  # (R,) most fighters a region can hold
    push: np.ndarray  # (3,) transformation goals
    cost_pm: np.ndarray  # (C,)
    tol0: np.ndarray  # (C,)
    sensitivity: np.ndarray  # (C,)
    explained: np.ndarray  # (C,)
    interest: np.ndarray  # (C,)
    headcount_table: np.ndarray  # (C, Gp * R) personnel of each contributor by handover group and region
    lead_state: bool
    lead: int
    reallocate: bool
    autonomy: bool
    caveat_share: float
    n_goals: int
    courts: float
    training_start: int
    constabulary_target: float
    budget_per_month: float
    population: float
    targeting: float
    calendar_month0: int


def theatre(sc: Scenario, pv: SimpleNamespace, pt: PresenceTables) -> Theatre:
    C, Gp, R = pt.headcount.shape
    f = np.ascontiguousarray
    return Theatre(
        pop=f(sc.pop, dtype=float), thousands=f(sc.pop / 1000.0, dtype=float), hundred_thousands=f(sc.pop / 1e5, dtype=float),
        share=f(sc.share, dtype=float), border_exposure=f(sc.border_exposure, dtype=float),
        border_split=f(sc.border_exposure / max(sc.border_exposure.sum(), 1e-9), dtype=float),
        urban=f(sc.urban, dtype=float), enclave=f(sc.enclave, dtype=float),
        spoiler_cap=f(pv.spoiler_cap_per_1000 * sc.pop / 1000.0, dtype=float), push=f(sc.push, dtype=float),
        cost_pm=f(sc.cost_pm, dtype=float), tol0=f(sc.tol0, dtype=float), sensitivity=f(sc.sensitivity, dtype=float),
        explained=f(sc.explained, dtype=float), interest=f(sc.interest, dtype=float),
        headcount_table=f(pt.headcount.reshape(C, Gp * R), dtype=float),
        lead_state=bool(sc.lead_state), lead=int(sc.lead), reallocate=bool(sc.reallocate), autonomy=bool(sc.regional_autonomy),
        caveat_share=float(sc.caveat_share), n_goals=int(sc.n_transformation_goals),
        courts=float(sc.spec.understanding.justice.cases_per_month), training_start=int(sc.training_start),
        constabulary_target=float(sc.constabulary_target), budget_per_month=float(sc.budget_per_month),
        population=float(sc.population), targeting=float(sc.targeting), calendar_month0=int(sc.calendar_month0),
    )


def values_tuple(pv: SimpleNamespace) -> Any:
    """The parameters as a :data:`Values` tuple (floats)."""
    names: tuple[str, ...] = Values._fields
    return Values(*(float(getattr(pv, n)) for n in names))


@njit(cache=True, inline="always", error_model="numpy")
def _clip(x: float, lo: float, hi: float) -> float:
    """``np.clip`` for one number (a NaN stays NaN, as there, so the engine's guard still sees it)."""
    return np.minimum(np.maximum(x, lo), hi)


@njit(cache=True, nogil=True, error_model="numpy")
def month_kernel(s: Any, th: Any, p: Any, z: Any, u: Any, uc: Any, feat: Any, weight: Any, factors: Any, hc_c: Any,
                 scale: Any, month: int, election: float, out: Any, scratch: Any, lo: int, hi: int) -> None:  # fmt: skip
    """Step runs ``[lo, hi)`` of the batch one month: state ``s`` in place, the month's numbers into ``out``.

    ``feat`` (F, N, R), ``weight`` (N, C), ``factors`` (N, Gp), ``hc_c`` (N, C)
    and ``scale`` (N,) are this month's presence (:mod:`endstate.model.presence`);
    ``election`` the election log hazard ratio; ``scratch`` (5 + Gp, N, R) room
    for per-region intermediates.  It holds no lock (``nogil``): threads may step
    disjoint ranges of runs at once, and as no run reads another's numbers the
    result is the same for any split.
    """
    # the arrays are taken out of their tuples once: read through a tuple inside the loop, each access would count a reference
    st_arms = s.arms
    st_arms_base = s.arms_base
    st_arrest_share = s.arrest_share
    st_at_war = s.at_war
    st_battle_deaths = s.battle_deaths
    st_civilian_deaths = s.civilian_deaths
    st_conflict_month = s.conflict_month
    st_consent = s.consent
    st_cost = s.cost
    st_cost_memory = s.cost_memory
    st_deaths_memory = s.deaths_memory
    st_detained = s.detained
    st_fatalities = s.fatalities
    st_force = s.force
    st_force_quality = s.force_quality
    st_grievance = s.grievance
    st_legitimacy = s.legitimacy
    st_legitimacy0 = s.legitimacy0
    st_need = s.need
    st_pay = s.pay
    st_peace_start = s.peace_start
    st_peak_personnel = s.peak_personnel
    st_pipeline = s.pipeline
    st_places = s.places
    st_processing = s.processing
    st_relapse_in_mission = s.relapse_in_mission
    st_relapse_month = s.relapse_month
    st_returned = s.returned
    st_spoilers = s.spoilers
    st_static_hazard = s.static_hazard
    st_status = s.status
    st_support = s.support
    st_tension = s.tension
    st_tension0 = s.tension0
    st_tolerance = s.tolerance
    st_transformation = s.transformation
    st_war_month = s.war_month
    st_war_rate = s.war_rate
    st_year_battle = s.year_battle
    th_border_exposure = th.border_exposure
    th_border_split = th.border_split
    th_cost_pm = th.cost_pm
    th_enclave = th.enclave
    th_explained = th.explained
    th_headcount_table = th.headcount_table
    th_interest = th.interest
    th_pop = th.pop
    th_thousands = th.thousands
    th_hundred_thousands = th.hundred_thousands
    th_push = th.push
    th_sensitivity = th.sensitivity
    th_share = th.share
    th_spoiler_cap = th.spoiler_cap
    th_tol0 = th.tol0
    th_urban = th.urban
    m_access = out.access
    m_battle = out.battle
    m_civilian = out.civilian
    m_coverage = out.coverage
    m_deterrence = out.deterrence
    m_expected_battle = out.expected_battle
    m_expected_civilian = out.expected_civilian
    m_headcount = out.headcount
    m_inflow = out.inflow
    m_loyalty = out.loyalty
    m_mission_battle = out.mission_battle
    m_mission_civilian = out.mission_civilian
    m_one_sided = out.one_sided
    m_relapsed_now = out.relapsed_now
    m_riots = out.riots
    m_war_ended_now = out.war_ended_now
    armed, shock, uncontained, vidx_r, arrested_r, danger = scratch[0], scratch[1], scratch[2], scratch[3], scratch[4], scratch[5:]
    R = th_pop.shape[0]
    C = weight.shape[1]
    Gp = factors.shape[1]
    for n in range(lo, hi):
        status = st_status[n]
        alive = 1.0 if status < DONE else 0.0
        in_mission = status == ACTIVE or status == WITHDRAWING

        # 14. command coherence (coherence.coherence)
        n_present = 0
        for c in range(C):
            if weight[n, c] > 0:
                n_present += 1
        base = p.coherence_lead_state if th.lead_state else p.coherence_committee
        coh = _clip(
            base - p.coherence_per_contributor * max(n_present - 1, 0) - p.coherence_caveats * th.caveat_share
            - p.coherence_abstract_goals * th.n_goals, p.coherence_floor, 1.0,
        )  # fmt: skip

        # 1. security coverage (domestic_force.loyalty; coverage.hotspot_weights, security_density, saturating)
        loyal = p.loyalty_base + p.loyalty_pay * st_pay[n] + p.loyalty_legitimacy * st_legitimacy[n]
        hot_total = 0.0
        moved_total = 0.0
        if th.reallocate:
            for r in range(R):
                hot_total += th_pop[r] * (st_tension[n, r] + st_spoilers[n, r] / th_thousands[r])
                moved_total += p.reallocation_share * feat[_MOB, n, r]
            hot_total = np.maximum(hot_total, 1e-12)
        dom = st_force[n] * st_force_quality[n] * loyal
        dom_border = p.domestic_border_share * st_force[n] * st_force_quality[n] * loyal
        for r in range(R):
            intl = feat[_SEC, n, r]
            if th.reallocate:
                moved = p.reallocation_share * feat[_MOB, n, r]
                hot = th_pop[r] * (st_tension[n, r] + st_spoilers[n, r] / th_thousands[r]) / hot_total
                intl = intl - moved + moved_total * hot
            dens = (intl * coh + dom * th_share[r]) / th_thousands[r]
            cov = 1.0 - np.exp(-np.maximum(dens, 0.0) / p.coverage_scale_per_1000)
            m_coverage[n, r] = cov
            # 5. borders and weapons (borders.border_coverage, arms_inflow, arms_stock)
            border = feat[_BOR, n, r] * coh + dom_border * th_border_split[r]
            need = p.border_personnel_scale * max(th_border_exposure[r], 1e-9)
            bcov = 1.0 - np.exp(-np.maximum(border, 0.0) / need)
            inflow = st_arms_base[n] * th_border_exposure[r] * (0.5 + st_support[n, r]) * (1.0 - p.border_control_effect * bcov)
            m_inflow[n, r] = inflow
            st_arms[n, r] = np.maximum(st_arms[n, r] * (1.0 - p.arms_decay - p.arms_seizure_rate * cov) + inflow, 0.0)

        # 2a. what the mission's troops, police and observers do (peacekeeping.effect)
        troops = 0.0
        police = 0.0
        observers = 0.0
        fighters = 0.0
        for r in range(R):
            troops += feat[_TROOPS, n, r]
            police += feat[_POLICE, n, r]
            observers += feat[_OBS, n, r]
            fighters += st_spoilers[n, r]
        k = coh / p.pk_reference_coherence / np.maximum(fighters / p.pk_reference_fighters, 1.0)
        t, po, ob = troops * k, police * k, observers * k
        fb = np.exp(-p.pk_battle_per_1000_troops * t / 1000.0)
        fc = np.exp(-p.pk_civilian_per_1000_troops * t / 1000.0 - p.pk_civilian_per_100_police * po / 100.0 + p.pk_civilian_per_100_observers * ob / 100.0)
        dose = t + p.pk_deterrence_police_weight * po + p.pk_deterrence_observer_weight * ob
        deterrence = 1.0 - np.exp(-dose / p.pk_deterrence_scale)
        m_mission_battle[n], m_mission_civilian[n], m_deterrence[n] = fb, fc, deterrence

        # 2. violence (violence.armed_share, expected_deaths, lognormal_shock, stochastic_round, violence_index)
        # with 10. public order (public_order.expected_riots, meet_riots) and 7. arrests (spoilers.arrests)
        policies = float(th.n_goals) if in_mission else 0.0
        riot_domestic = p.domestic_riot_share * st_force[n] * st_force_quality[n]
        sigma = p.violence_shock_sigma
        vidx = 0.0
        cov_c = 0.0
        arrested = 0.0
        battle_sum = 0.0
        civ_sum = 0.0
        at_war = st_at_war[n]
        for r in range(R):
            cov = m_coverage[n, r]
            armed[n, r] = st_arms[n, r] / (st_arms[n, r] + st_spoilers[n, r] + 1.0)
            active = st_spoilers[n, r] * (0.5 + armed[n, r]) * (1.0 - p.coverage_violence_effect * cov)
            exp_b = p.battle_deaths_per_fighter * active * fb
            exp_c = p.civilian_deaths_per_fighter * active * (1.0 + st_tension[n, r]) * (1.0 - p.justice_violence_effect * st_processing[n]) * fc
            if at_war:
                rate = st_war_rate[n] * th_share[r]
                exp_b = rate * fb
                exp_c = p.civilian_per_battle_death_at_war * rate * fc
            shock[n, r] = np.exp(sigma * z[n, r] - 0.5 * sigma * sigma)
            riots = (
                p.riot_rate_per_100k * th_hundred_thousands[r] * (0.5 + th_urban[r]) * st_tension[n, r] * (1.0 + p.riot_policy_shock * policies)
            ) * shock[n, r]
            m_riots[n, r] = riots
            capacity = feat[_RIOT, n, r] + riot_domestic * th_share[r]
            contained = 1.0 - np.exp(-capacity / (np.maximum(riots, 1e-9) * p.riot_capacity_scale))
            uncontained[n, r] = riots * (1.0 - contained)
            riot_deaths = p.deaths_per_uncontained_riot * uncontained[n, r]
            armed_share_of_civ = exp_c / np.maximum(exp_c + riot_deaths, 1e-300)
            exp_c = exp_c + riot_deaths
            battle = np.floor(exp_b * shock[n, r] + u[n, r]) * alive
            civ = np.floor(exp_c * shock[n, r] + u[n, R + r]) * alive
            m_battle[n, r], m_civilian[n, r] = battle, civ
            m_one_sided[n, r] = civ * armed_share_of_civ
            m_expected_battle[n, r], m_expected_civilian[n, r] = exp_b * alive, exp_c * alive
            battle_sum += battle
            civ_sum += civ
            per100k = (battle + civ) / th_pop[r] * 1e5
            vidx_r[n, r] = 1.0 - np.exp(-per100k / p.violence_index_scale)
            vidx += vidx_r[n, r] * th_share[r]
            cov_c += cov * th_share[r]
            arrested_r[n, r] = p.spoiler_arrest_rate * cov * st_spoilers[n, r]
            arrested += arrested_r[n, r]

        # 7. justice chain (justice.step)
        advisers = 0.0
        engineers = 0.0
        for r in range(R):
            advisers += feat[_ADV, n, r]
            engineers += feat[_ENG, n, r]
        courts = th.courts
        free = np.maximum(st_places[n] - st_detained[n], 0.0)
        admitted = np.minimum(arrested, free)
        released = arrested - admitted
        tried = np.minimum(st_detained[n] + admitted, courts + np.minimum(p.trials_per_adviser_month * advisers, p.adviser_court_multiple * courts))
        st_detained[n] = st_detained[n] + admitted - tried
        st_places[n] = st_places[n] + p.places_per_engineer_month * engineers
        done_share = np.minimum(tried / np.maximum(arrested, 1e-9), 1.0) if arrested > 1e-9 else st_processing[n]
        st_processing[n] = st_processing[n] + p.justice_smoothing * (done_share - st_processing[n])

        # 4. spoilers, last month's releases returning now (spoilers.update)
        ssig = p.spoiler_shock_sigma
        for r in range(R):
            sp = st_spoilers[n, r]
            returned = st_returned[n] * st_arrest_share[n, r]
            sshock = np.exp(ssig * z[n, R + r] - 0.5 * ssig * ssig)
            gain = p.spoiler_recruitment * sp * st_grievance[n, r] * armed[n, r] * (1.0 + st_support[n, r]) * sshock + p.fighters_per_weapon_inflow * m_inflow[n, r] + returned
            loss = p.spoiler_pressure_loss * m_coverage[n, r] * sp + arrested_r[n, r]
            if th.autonomy:
                loss = loss + p.spoiler_inclusion_loss * st_tension[n, r] * sp
            st_spoilers[n, r] = _clip(sp + gain - loss, 0.0, th_spoiler_cap[r])
            st_arrest_share[n, r] = arrested_r[n, r] / np.maximum(arrested, 1e-9) if arrested > 1e-9 else th_share[r]
        st_returned[n] = p.release_return_share * released

        # 6. domestic security force (domestic_force.attrition, intake, mentoring, quality)
        trainers = 0.0
        for r in range(R):
            trainers += feat[_TRAIN, n, r]
        trainers = trainers * (1.0 if month >= th.training_start else 0.0)
        T = st_pipeline.shape[1]
        slot = month % T
        graduates = st_pipeline[n, slot]
        in_pipeline = 0.0
        for j in range(T):
            in_pipeline += st_pipeline[n, j]
        force = st_force[n]
        attr = p.attrition_base + p.attrition_violence * vidx + p.attrition_pay * (1.0 - st_pay[n])
        capacity = trainers * p.trainees_per_trainer_month + p.domestic_self_training * force
        gap = np.maximum(th.constabulary_target - force - in_pipeline, 0.0)
        willing = (0.5 + st_legitimacy[n]) * (1.2 - 0.4 * vidx)
        recruits = np.minimum(capacity, (p.recruitment_rate * gap + attr * force) * willing)
        st_pipeline[n, slot] = recruits * alive
        kept = force * (1.0 - attr)
        mentor = 1.0 - np.exp(-trainers / (0.05 * force + 50.0))
        q = st_force_quality[n]
        q = q + p.mentoring_gain * mentor * (1.0 - q) - p.quality_decay * (1.0 - mentor) * q
        total = kept + graduates
        st_force_quality[n] = (q * kept + p.graduate_quality * graduates) / np.maximum(total, 1e-9) if total > 0 else q
        st_force[n] = kept + graduates

        # 8. humanitarian access (humanitarian.access), grievance and tension (grievance.grievance, tension)
        acc_c = 0.0
        fighters_c = 0.0
        pushing = 0.0
        if in_mission:
            for j in range(th_push.shape[0]):
                pushing += th_push[j]
        for r in range(R):
            fighters_1000 = st_spoilers[n, r] / th_thousands[r]
            escorts_1000 = (feat[_ESC, n, r] + p.patrol_escort_share * feat[_SEC, n, r]) / th_thousands[r]
            hcov = 1.0 - np.exp(-np.maximum(escorts_1000, 0.0) / p.convoy_scale_per_1000)
            acc = 1.0 - np.minimum(1.0, p.raid_rate * fighters_1000 / 5.0 * (1.0 - hcov))
            m_access[n, r] = acc
            acc_c += acc * th_share[r]
            fighters_c += fighters_1000 * th_share[r]
            g = st_grievance[n, r]
            target = 0.1 + 0.4 * st_need[n] * (1.0 - acc) + 0.3 * (1.0 - st_processing[n]) + 0.3 * vidx_r[n, r]
            st_grievance[n, r] = _clip(g + p.grievance_rate * (target - g), 0.0, 1.0)
            tn = st_tension[n, r]
            target = st_tension0[n, r] * (1.0 - 0.3 * m_coverage[n, r]) + p.transformation_tension * pushing * th_enclave[r]
            st_tension[n, r] = _clip(tn + p.tension_rate * (target - tn) + p.riot_tension * uncontained[n, r], 0.0, 1.0)

        # 11. casualties and cost (presence.headcount_by_contributor, tolerance.hostile_fatalities,
        # casualties_cost.monthly_cost); 12. contributor tolerance (tolerance.remember, level)
        headcount = 0.0
        for r in range(R):
            headcount += feat[_HC, n, r]
        programme = th.budget_per_month if in_mission else 0.0
        funded = 1.0 - np.exp(-np.maximum(programme * scale[n], 0.0) * 12.0 / th.population / p.programme_scale_per_capita)
        trainees = 0.0
        for j in range(T):
            trainees += st_pipeline[n, j]
        personnel_cost = 0.0
        hc_total = 0.0
        for g in range(Gp):  # the battle deaths per 1,000 inhabitants where each handover group's personnel serve
            for r in range(R):
                danger[g, n, r] = factors[n, g] * (m_battle[n, r] / th_thousands[r])
        for c in range(C):
            exposed = 0.0
            for g in range(Gp):
                for r in range(R):
                    exposed += danger[g, n, r] * th_headcount_table[c, g * R + r]
            exposed = exposed * weight[n, c]
            hostile = p.hostile_deaths_per_battle_death * th.targeting * exposed
            exp_f = p.accident_fatality_rate * hc_c[n, c] + hostile
            fatal = np.floor(exp_f + uc[n, c]) * alive
            killed = fatal * (hostile / np.maximum(exp_f, 1e-300) if exp_f > 0 else 0.0)
            st_fatalities[n, c] += fatal
            personnel_cost += hc_c[n, c] * th_cost_pm[c]
            hc_total += hc_c[n, c]
            spent_bn = hc_c[n, c] * th_cost_pm[c] / 1e9 * alive
            st_deaths_memory[n, c] = st_deaths_memory[n, c] * (1.0 - p.tolerance_forgetting) + killed
            st_cost_memory[n, c] = st_cost_memory[n, c] * (1.0 - p.tolerance_forgetting) + spent_bn
            mult = (1.0 if th_explained[c] > 0 else p.unexplained_multiplier) * (1.0 if th_interest[c] > 0 else p.weak_interest_multiplier)
            loss = mult * (
                p.tolerance_per_tenfold_deaths * th_sensitivity[c] * np.log10(1.0 + st_deaths_memory[n, c] / p.tolerance_deaths_absorbed)
                + p.tolerance_per_tenfold_cost * np.log10(1.0 + st_cost_memory[n, c])
            )
            st_tolerance[n, c] = _clip(th_tol0[c] - loss, 0.0, 1.0)
        st_cost[n] += (personnel_cost + p.training_cost_per_trainee * trainees + programme) * alive

        # 9. legitimacy (legitimacy.update)
        creature = 0.0
        if th.lead_state and th.lead >= 0:
            creature = hc_c[n, th.lead] / np.maximum(hc_total, 1e-9)
        leg = st_legitimacy[n]
        target = (
            st_legitimacy0[n] + p.legitimacy_security * (cov_c - 0.5) + p.legitimacy_services * (acc_c - 0.5) + p.programme_legitimacy * funded
            - p.legitimacy_violence * vidx - p.legitimacy_creature * creature - p.legitimacy_override * policies
        )  # fmt: skip
        st_legitimacy[n] = _clip(leg + p.legitimacy_rate * (target - leg) + p.legitimacy_sigma * z[n, 2 * R], 0.0, 1.0)

        # 13. host consent (consent.sovereignty_cost, update)
        threat = _clip(vidx + np.log1p(fighters_c) / 3.0, 0.0, 1.0)
        intrusion = th.n_goals + 0.5 if in_mission else 0.0
        capability = _clip(st_force[n] / max(th.constabulary_target, 1.0), 0.0, 1.5)
        months_present = month + 1 if in_mission else 0
        tenure = months_present / (months_present + p.consent_sovereignty_months)
        sovereignty = p.consent_sovereignty * tenure * (1.0 - np.exp(-intrusion)) * capability
        target = p.consent_initial + p.consent_threat * threat - p.consent_intrusion * intrusion - p.consent_capability * capability - sovereignty
        cs = st_consent[n]
        st_consent[n] = _clip(cs + p.consent_rate * (target - cs) + p.consent_sigma * z[n, 2 * R + 1], 0.0, 1.0)

        # 15. transformation (transformation.update)
        security = 1.0 - vidx
        for j in range(st_transformation.shape[1]):
            push = np.maximum(th_push[j], p.transformation_drift) if in_mission else p.transformation_drift
            x = st_transformation[n, j]
            st_transformation[n, j] = _clip(x + p.transformation_rate * push * (0.3 + 0.7 * security) * (1.0 - x), 0.0, 1.0)

        # 3. relapse with 16. the election effect (relapse.hazard; peacekeeping.termination_rate)
        log_h = (
            st_static_hazard[n]
            - p.relapse_time_decay * np.log1p((month - st_peace_start[n]) / 12.0)
            + p.relapse_spoilers * np.log1p(fighters_c)
            - p.relapse_coverage * cov_c
            - p.pk_relapse_effect * deterrence
            + p.relapse_violence * vidx
            - p.relapse_legitimacy * (st_legitimacy[n] - 0.5)
            + election
        )
        h = np.minimum(np.exp(log_h), 1.0)
        u_war = u[n, 2 * R]
        live = alive > 0
        war_ended = live and at_war and u_war < np.minimum(p.war_termination_rate * np.exp(p.pk_termination_effect * deterrence), 1.0)
        relapsed = live and not at_war and u_war < h
        m_relapsed_now[n], m_war_ended_now[n] = relapsed, war_ended
        st_at_war[n] = (at_war or relapsed) and not war_ended
        if war_ended:
            st_peace_start[n] = month + 1
        if relapsed and st_relapse_month[n] < 0:
            st_relapse_month[n] = month
        if relapsed and in_mission:
            st_relapse_in_mission[n] = True

        # relapse as the data define it: a calendar year with 25 (UCDP) or 1,000 (COW, Doyle & Sambanis) battle deaths
        if (th.calendar_month0 + month) % 12 == 0:
            st_year_battle[n] = 0.0
        st_year_battle[n] += battle_sum
        if st_conflict_month[n] < 0 and st_year_battle[n] >= CONFLICT_DEATHS:
            st_conflict_month[n] = month
        if st_war_month[n] < 0 and st_year_battle[n] >= WAR_DEATHS:
            st_war_month[n] = month

        st_battle_deaths[n] += battle_sum
        st_civilian_deaths[n] += civ_sum
        st_peak_personnel[n] = np.maximum(st_peak_personnel[n], headcount * (1.0 if in_mission else 0.0))
        m_headcount[n], m_loyalty[n] = headcount, loyal
