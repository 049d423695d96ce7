"""The month of mechanisms 1-16 compiled with Numba: one fused loop over runs.

Core objects: :class:`Theatre` (the scenario's constants the month reads),
:class:`Groups` (every mechanism's parameter group), :func:`theatre`,
:func:`groups` and :func:`month_kernel`, which steps runs of a batch in place.

Why: the vectorised NumPy step it replaced made several hundred whole-array
passes over runs x regions a month, with temporaries and both sides of every
branch; here each run's month is one pass over its own numbers, and no run
reads another's, so results do not depend on how runs are chunked.

The kernel only orders the calls: each mechanism is a compiled function of one
run's (and one region's) numbers in the module named after it (violence,
peacekeeping, coverage, ...), with its parameters as a NamedTuple group
(:func:`endstate.model.relapse.hazard` is compiled for one run here and for
whole arrays where the backtest calls it).  The presence tables
(:mod:`endstate.model.presence`), the election effect and the resumed war's
intensity are computed around the kernel in :func:`endstate.model.step.step`.
No fastmath: floating-point results are those of IEEE arithmetic in the written
order.  The plain-Python reference (:mod:`endstate.engine.reference`) guards it,
run by run, on the same random numbers (``tests/engine/test_reference.py``).
"""

from __future__ import annotations

from collections import namedtuple
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np

from . import (
    borders,
    casualties_cost,
    coherence,
    consent,
    coverage,
    ddr,
    domestic_force,
    grievance,
    humanitarian,
    justice,
    legitimacy,
    peacekeeping,
    public_order,
    relapse,
    spoilers,
    tolerance,
    transformation,
    violence,
)
from .compiled import jit
from .presence import F, PresenceTables
from .scenario import Scenario, fighter_party_share
from .state import ACTIVE, DONE, WITHDRAWING

CONFLICT_DEATHS = 25.0
"""Battle deaths in a calendar year that make an armed conflict (UCDP/PRIO Armed Conflict Dataset codebook)."""
WAR_DEATHS = 1000.0
"""Battle deaths in a calendar year that make a war (Correlates of War; Doyle & Sambanis 2000; UCDP's 'war' intensity)."""

# the fields of endstate.model.state.State the kernel reads or writes, by dtype
FLOAT_STATE = ("legitimacy", "legitimacy0", "consent", "force", "force_quality", "pipeline", "detained", "places", "processing", "returned",
                "war_rate", "static_hazard", "arms_base", "need", "pay", "transformation", "tension", "tension0", "grievance", "spoilers", "arms",
                "support", "arrest_share", "tolerance", "deaths_memory", "cost_memory", "fatalities", "cost", "battle_deaths", "civilian_deaths",
                "peak_personnel", "year_battle", "ddr_taken", "ddr_reintegrating")  # fmt: skip
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
    thousands: np.ndarray  # (R,) inhabitants / 1000 (each division by it was written ``/ (pop / 1000.0)``: the same number); read by coverage, humanitarian, tolerance
    hundred_thousands: np.ndarray  # (R,) inhabitants / 100,000, read by public_order.expected_riots (was ``pop / 1e5`` there each run-month)
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
    party_region: np.ndarray  # (R,) share of each region's fighters whose fighting is aimed at the force (scenario.fighter_party_share)
    calendar_month0: int
    ddr: ddr.Programme


def theatre(sc: Scenario, pv: SimpleNamespace, pt: PresenceTables) -> Theatre:
    C, Gp, R = pt.headcount.shape
    f = np.ascontiguousarray
    return Theatre(
        pop=f(sc.pop, dtype=float), thousands=f(sc.pop / 1000.0, dtype=float), hundred_thousands=f(sc.pop / 1e5, dtype=float),
        share=f(sc.share, dtype=float), border_exposure=f(sc.border_exposure, dtype=float),
        border_split=f(sc.border_exposure / max(sc.border_exposure.sum(), 1e-9), dtype=float),
        urban=f(sc.urban, dtype=float), enclave=f(sc.enclave, dtype=float),
        spoiler_cap=np.array([spoilers.strength_cap(float(x), spoilers.SpoilerParams.of(pv)) for x in sc.pop]), push=f(sc.push, dtype=float),
        cost_pm=f(sc.cost_pm, dtype=float), tol0=f(sc.tol0, dtype=float), sensitivity=f(sc.sensitivity, dtype=float),
        explained=f(sc.explained, dtype=float), interest=f(sc.interest, dtype=float),
        headcount_table=f(pt.headcount.reshape(C, Gp * R), dtype=float),
        lead_state=bool(sc.lead_state), lead=int(sc.lead), reallocate=bool(sc.reallocate), autonomy=bool(sc.regional_autonomy),
        caveat_share=float(sc.caveat_share), n_goals=int(sc.n_transformation_goals),
        courts=float(sc.spec.understanding.justice.cases_per_month), training_start=int(sc.training_start),
        constabulary_target=float(sc.constabulary_target), budget_per_month=float(sc.budget_per_month),
        population=float(sc.population), targeting=float(sc.targeting),
        party_region=f(fighter_party_share(sc, peacekeeping.PeacekeepingParams.of(pv)), dtype=float), calendar_month0=int(sc.calendar_month0),
        ddr=ddr.Programme(float(sc.ddr.caseload), float(sc.ddr.capacity), int(sc.ddr.start), float(sc.ddr.participation)),
    )


class Groups(NamedTuple):
    """The parameter groups of the mechanisms the kernel calls in their own modules."""

    coherence: coherence.CoherenceParams
    coverage: coverage.CoverageParams
    borders: borders.BordersParams
    peacekeeping: peacekeeping.PeacekeepingParams
    violence: violence.ViolenceParams
    public_order: public_order.PublicOrderParams
    justice: justice.JusticeParams
    spoilers: spoilers.SpoilerParams
    domestic: domestic_force.DomesticForceParams
    humanitarian: humanitarian.HumanitarianParams
    grievance: grievance.GrievanceParams
    legitimacy: legitimacy.LegitimacyParams
    transformation: transformation.TransformationParams
    relapse: relapse.RelapseParams
    casualties: casualties_cost.CostParams
    tolerance: tolerance.ToleranceParams
    consent: consent.ConsentParams
    ddr: ddr.DDRParams


def groups(pv: SimpleNamespace) -> Groups:
    return Groups(
        coherence.CoherenceParams.of(pv), coverage.CoverageParams.of(pv), borders.BordersParams.of(pv),
        peacekeeping.PeacekeepingParams.of(pv), violence.ViolenceParams.of(pv), public_order.PublicOrderParams.of(pv),
        justice.JusticeParams.of(pv), spoilers.SpoilerParams.of(pv), domestic_force.DomesticForceParams.of(pv),
        humanitarian.HumanitarianParams.of(pv), grievance.GrievanceParams.of(pv), legitimacy.LegitimacyParams.of(pv),
        transformation.TransformationParams.of(pv), relapse.RelapseParams.of(pv), casualties_cost.CostParams.of(pv),
        tolerance.ToleranceParams.of(pv), consent.ConsentParams.of(pv), ddr.DDRParams.of(pv),
    )  # fmt: skip


@jit(nogil=True, error_model="numpy")
def month_kernel(s: Any, th: Any, g: Any, z: Any, u: Any, uc: Any, feat: Any, weight: Any, factors: Any, hc_c: Any,
                 scale: Any, month: int, election: float, out: Any, lo: int, hi: int, skip_done: bool) -> None:  # fmt: skip
    """Step runs ``[lo, hi)`` of the batch one month: state ``s`` in place, the month's numbers into ``out``.

    ``feat`` (F, N, R), ``weight`` (N, C), ``factors`` (N, Gp), ``hc_c`` (N, C)
    and ``scale`` (N,) are this month's presence (:mod:`endstate.model.presence`);
    ``election`` the election log hazard ratio.  With ``skip_done`` runs whose observation
    has ended are not stepped (their month's numbers are zero): nothing they
    report changes after that (every count and cost is multiplied by whether
    the run is observed), so a caller that no longer looks at their state
    may skip them.  It holds no lock (``nogil``): threads may step
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
    st_ddr_taken = s.ddr_taken
    st_ddr_reintegrating = s.ddr_reintegrating
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
    R = th_pop.shape[0]
    C = weight.shape[1]
    Gp = factors.shape[1]
    # one run's per-region intermediates, overwritten by the next run (a few cache lines that stay in L1, not (N, R) arrays)
    scratch = np.empty((7 + Gp, R))
    armed, shock, uncontained, vidx_r, arrested_r = scratch[0], scratch[1], scratch[2], scratch[3], scratch[4]
    hot_score = scratch[5]  # coverage.hotspot_score by region, summed then read (one evaluation each)
    battle_1000 = scratch[6]  # battle deaths per 1,000 inhabitants by region, divided once for every handover group
    danger = scratch[7:]
    for n in range(lo, hi):
        status = st_status[n]
        if skip_done and status == DONE:
            for r in range(R):
                m_battle[n, r] = m_civilian[n, r] = m_coverage[n, r] = m_inflow[n, r] = m_riots[n, r] = m_access[n, r] = 0.0
                m_one_sided[n, r] = m_expected_battle[n, r] = m_expected_civilian[n, r] = 0.0
            m_headcount[n] = m_loyalty[n] = m_mission_battle[n] = m_mission_civilian[n] = m_deterrence[n] = 0.0
            m_relapsed_now[n] = m_war_ended_now[n] = False
            continue
        alive = 1.0 if status < DONE else 0.0
        in_mission = status == ACTIVE or status == WITHDRAWING

        # 14. command coherence
        n_present = 0
        for c in range(C):
            if weight[n, c] > 0:
                n_present += 1
        coh = coherence.coherence(th.lead_state, n_present, th.caveat_share, th.n_goals, g.coherence)

        # 1. security coverage (domestic loyalty from last month's legitimacy), and 5. borders and weapons
        loyal = domestic_force.loyalty(st_pay[n], st_legitimacy[n], g.domestic)
        hot_total = 0.0
        moved_total = 0.0
        if th.reallocate:
            for r in range(R):
                hot_score[r] = coverage.hotspot_score(st_tension[n, r], st_spoilers[n, r], th_pop[r], th_thousands[r])  # read again below, not recomputed
                hot_total += hot_score[r]
                moved_total += g.coverage.reallocation_share * feat[_MOB, n, r]
            hot_total = np.maximum(hot_total, 1e-12)
        domestic = st_force[n] * st_force_quality[n] * loyal
        dom_border = g.borders.domestic_share * st_force[n] * st_force_quality[n] * loyal
        for r in range(R):
            hot = hot_score[r] / hot_total if th.reallocate else 0.0
            dens = coverage.security_density(
                feat[_SEC, n, r], feat[_MOB, n, r], coh, domestic, th_thousands[r], th_share[r], th.reallocate, moved_total, hot, g.coverage
            )
            cov = coverage.saturating(dens, g.coverage.scale_per_1000)
            m_coverage[n, r] = cov
            bcov = borders.border_coverage(feat[_BOR, n, r] * coh + dom_border * th_border_split[r], th_border_exposure[r], g.borders)
            inflow = borders.arms_inflow(st_arms_base[n], th_border_exposure[r], st_support[n, r], bcov, g.borders)
            m_inflow[n, r] = inflow
            st_arms[n, r] = borders.arms_stock(st_arms[n, r], inflow, cov, g.borders)

        # 2a. what the mission's troops, police and observers do
        troops = 0.0
        police = 0.0
        observers = 0.0
        fighters = 0.0
        for r in range(R):
            troops += feat[_TROOPS, n, r]
            police += feat[_POLICE, n, r]
            observers += feat[_OBS, n, r]
            fighters += st_spoilers[n, r]
        pk = peacekeeping.effect(troops, police, observers, coh, fighters, g.peacekeeping, th.targeting)
        m_mission_battle[n], m_mission_civilian[n], m_deterrence[n] = pk.battle, pk.civilian, pk.deterrence

        # 2. violence, with 10. public order (riots kill where riot-capable personnel are thin against them), and 7. arrests
        policies = float(th.n_goals) if in_mission else 0.0
        vidx = 0.0
        cov_c = 0.0
        arrested = 0.0
        battle_sum = 0.0
        civ_sum = 0.0
        at_war = st_at_war[n]
        party = peacekeeping.party_share(th.targeting, g.peacekeeping) if in_mission else 0.0
        present = 1.0 if in_mission else 0.0  # the fighting aimed at the force, where its fighters are
        for r in range(R):
            cov = m_coverage[n, r]
            armed[r] = violence.armed_share(st_arms[n, r], st_spoilers[n, r])
            exp_b, exp_c = violence.expected_deaths(
                st_spoilers[n, r], armed[r], cov, st_tension[n, r], st_processing[n], at_war, st_war_rate[n], th_share[r], pk,
                present * th.party_region[r], g.violence,
            )
            shock[r] = violence.lognormal_shock(z[n, r], g.violence.shock_sigma)
            riots = public_order.expected_riots(th_hundred_thousands[r], th_urban[r], st_tension[n, r], policies, g.public_order) * shock[r]
            m_riots[n, r] = riots
            uncontained[r], riot_deaths = public_order.meet_riots(
                riots, feat[_RIOT, n, r], st_force[n], st_force_quality[n], th_share[r], g.public_order
            )
            armed_share_of_civ = exp_c / np.maximum(exp_c + riot_deaths, 1e-300)  # the rest died at riots
            exp_c = exp_c + riot_deaths
            battle = violence.stochastic_round(exp_b * shock[r], u[n, r]) * alive
            civ = violence.stochastic_round(exp_c * shock[r], u[n, R + r]) * alive
            m_battle[n, r], m_civilian[n, r] = battle, civ
            m_one_sided[n, r] = civ * armed_share_of_civ  # civilians killed by armed actors (what UCDP's one-sided data count)
            m_expected_battle[n, r], m_expected_civilian[n, r] = exp_b * alive, exp_c * alive
            battle_sum += battle
            civ_sum += civ
            vidx_r[r] = violence.violence_index((battle + civ) / th_pop[r] * 1e5, g.violence.index_scale)
            vidx += vidx_r[r] * th_share[r]
            cov_c += cov * th_share[r]
            arrested_r[r] = spoilers.arrests(st_spoilers[n, r], cov, g.spoilers)
            arrested += arrested_r[r]

        # 7. justice chain
        advisers = 0.0
        engineers = 0.0
        for r in range(R):
            advisers += feat[_ADV, n, r]
            engineers += feat[_ENG, n, r]
        st_detained[n], st_places[n], released, st_processing[n] = justice.step(
            st_detained[n], st_places[n], arrested, th.courts, advisers, engineers, st_processing[n], g.justice
        )

        # 4. spoilers (last month's releases return now; a force that is a party recruits the insurgency it fights)
        backlash = g.spoilers.party_recruitment * party
        disarmed = st_ddr_taken[n] / np.maximum(th.ddr.caseload, 1e-9) if th.ddr.caseload > 0 else 0.0
        organised = spoilers.organisation(disarmed, th.ddr.participation)  # what a DDR programme left of the groups
        for r in range(R):
            returned = st_returned[n] * st_arrest_share[n, r]
            sshock = violence.lognormal_shock(z[n, R + r], g.spoilers.shock_sigma)
            st_spoilers[n, r] = spoilers.update(
                st_spoilers[n, r], st_grievance[n, r], armed[r], st_support[n, r], m_inflow[n, r], returned, m_coverage[n, r],
                arrested_r[r], st_tension[n, r], th.autonomy, sshock, th_spoiler_cap[r], backlash, organised, g.spoilers,
            )  # fmt: skip
            st_arrest_share[n, r] = arrested_r[r] / np.maximum(arrested, 1e-9) if arrested > 1e-9 else th_share[r]
        # 4b. the DDR programme takes in fighters where the force makes it safe to; failed reintegrations rejoin
        if th.ddr.caseload > 0:
            took = ddr.intake(th.ddr, st_ddr_taken[n], pk.deterrence, in_mission and not at_war and month >= th.ddr.start)
            gone = ddr.share_out(th.ddr, st_ddr_taken[n], took)
            for r in range(R):
                st_spoilers[n, r], st_arms[n, r], st_ddr_reintegrating[n, r] = ddr.disarm(
                    st_spoilers[n, r], st_arms[n, r], st_ddr_reintegrating[n, r], gone, organised, g.ddr
                )
            st_ddr_taken[n] += took
        st_returned[n] = g.spoilers.release_return * released

        # 6. domestic security force
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
        attr = domestic_force.attrition(vidx, st_pay[n], g.domestic)
        recruits = domestic_force.intake(trainers, force, in_pipeline, th.constabulary_target, st_legitimacy[n], vidx, attr * force, g.domestic)
        st_pipeline[n, slot] = recruits * alive
        kept = force * (1.0 - attr)
        mentor = domestic_force.mentoring(trainers, force)
        st_force_quality[n] = domestic_force.quality(st_force_quality[n], kept, graduates, mentor, g.domestic)
        st_force[n] = kept + graduates

        # 8. humanitarian access, and grievance / tension
        acc_c = 0.0
        fighters_c = 0.0
        pushing = 0.0
        if in_mission:
            for j in range(th_push.shape[0]):
                pushing += th_push[j]
        for r in range(R):
            fighters_1000 = st_spoilers[n, r] / th_thousands[r]
            escorts_1000 = (feat[_ESC, n, r] + g.humanitarian.patrol_escort_share * feat[_SEC, n, r]) / th_thousands[r]
            acc = humanitarian.access(fighters_1000, escorts_1000, g.humanitarian)
            m_access[n, r] = acc
            acc_c += acc * th_share[r]
            fighters_c += fighters_1000 * th_share[r]
            st_grievance[n, r] = grievance.grievance(st_grievance[n, r], st_need[n], acc, st_processing[n], vidx_r[r], g.grievance)
            st_tension[n, r] = grievance.tension(
                st_tension[n, r], st_tension0[n, r], m_coverage[n, r], pushing, th_enclave[r], uncontained[r], g.grievance
            )

        # 11. casualties and cost; 12. contributor tolerance
        headcount = 0.0
        for r in range(R):
            headcount += feat[_HC, n, r]
        programme = th.budget_per_month if in_mission else 0.0
        funded = legitimacy.funded_services(programme * scale[n], th.population, g.legitimacy)
        trainees = 0.0
        for j in range(T):
            trainees += st_pipeline[n, j]
        personnel_cost = 0.0
        hc_total = 0.0
        for r in range(R):
            battle_1000[r] = m_battle[n, r] / th_thousands[r]
        for gr in range(Gp):  # the battle deaths per 1,000 inhabitants where each handover group's personnel serve
            for r in range(R):
                danger[gr, r] = factors[n, gr] * battle_1000[r]
        for c in range(C):
            exposed = 0.0  # the contributor's personnel times the fighting where they serve (presence.headcount_by_contributor)
            for gr in range(Gp):
                for r in range(R):
                    exposed += danger[gr, r] * th_headcount_table[c, gr * R + r]
            exposed = exposed * weight[n, c]
            hostile = tolerance.hostile_fatalities(exposed, th.targeting, g.tolerance)
            exp_f = casualties_cost.expected_fatalities(hc_c[n, c], hostile, g.casualties)
            fatal = violence.stochastic_round(exp_f, uc[n, c]) * alive
            killed = fatal * (hostile / np.maximum(exp_f, 1e-300) if exp_f > 0 else 0.0)  # the hostile share of the deaths
            st_fatalities[n, c] += fatal
            personnel_cost += hc_c[n, c] * th_cost_pm[c]
            hc_total += hc_c[n, c]
            spent_bn = hc_c[n, c] * th_cost_pm[c] / 1e9 * alive
            st_deaths_memory[n, c] = tolerance.remember(st_deaths_memory[n, c], killed, g.tolerance)
            st_cost_memory[n, c] = tolerance.remember(st_cost_memory[n, c], spent_bn, g.tolerance)
            st_tolerance[n, c] = tolerance.level(
                th_tol0[c], st_deaths_memory[n, c], st_cost_memory[n, c], th_sensitivity[c], th_explained[c], th_interest[c], g.tolerance
            )
        st_cost[n] += casualties_cost.monthly_cost(personnel_cost, trainees, programme, g.casualties) * alive

        # 9. legitimacy
        creature = 0.0
        if th.lead_state and th.lead >= 0:
            creature = hc_c[n, th.lead] / np.maximum(hc_total, 1e-9)
        st_legitimacy[n] = legitimacy.update(
            st_legitimacy[n], st_legitimacy0[n], cov_c, acc_c, vidx, creature, policies, funded, z[n, 2 * R], g.legitimacy
        )

        # 13. host consent
        threat = consent.threat(vidx, fighters_c)
        intrusion = consent.intrusion(in_mission, th.n_goals)
        capability = consent.capability(st_force[n], th.constabulary_target)
        sovereignty = consent.sovereignty_cost(float(month + 1) if in_mission else 0.0, intrusion, capability, g.consent)
        st_consent[n] = consent.update(st_consent[n], threat, intrusion, capability, z[n, 2 * R + 1], sovereignty, g.consent)

        # 15. transformation
        for j in range(st_transformation.shape[1]):
            st_transformation[n, j] = transformation.update(st_transformation[n, j], th_push[j], in_mission, 1.0 - vidx, g.transformation)

        # 3. relapse, with 16. the election effect; or a resumed war's end
        h = relapse.hazard(
            st_static_hazard[n], month - st_peace_start[n], fighters_c, cov_c, pk.deterrence, vidx, st_legitimacy[n], election, g.relapse
        )
        u_war = u[n, 2 * R]
        live = alive > 0
        war_ended = live and at_war and u_war < peacekeeping.termination_rate(pk.deterrence, g.peacekeeping)
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
