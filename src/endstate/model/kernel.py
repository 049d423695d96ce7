"""The month of mechanisms 1-16 compiled with Numba: stage by stage over blocks of runs, vectorised.

Core objects: :class:`Theatre` (the scenario's constants the month reads),
:class:`Groups` (every mechanism's parameter group), :func:`theatre`,
:func:`groups` and :func:`month_kernel`, which steps runs of a batch in place.

How: the runs of a batch are stepped :data:`BLOCK` at a time.  Within a block
each mechanism is a loop over the block's runs, innermost (for each region,
for each run), so that LLVM applies one instruction to several runs at once
(8 with AVX-512, 4 with AVX2); a block's intermediates (coverage, shocks,
violence index, ...) are short arrays that stay in the cache from one stage to
the next.  That needs three things, each checked when it was built: the
state's, the month's and the random numbers' two-dimensional arrays stored
with the runs fastest (:class:`~endstate.model.state.State`), so that run
``n + 1``'s number lies next to run ``n``'s; run indices that are unsigned (a
signed one would be wrapped when negative, and LLVM could not see its
stride); and no call to the C library inside a loop (``exp`` and ``log`` are
written in arithmetic, :mod:`endstate.model.elementary`).  LLVM checks that
the arrays do not overlap before each loop (:data:`endstate.model.compiled.LLVM_OPTIONS`).

The kernel only orders the calls: each mechanism is a compiled function of one
run's (and one region's) numbers in the module named after it (violence,
peacekeeping, coverage, ...), with its parameters as a NamedTuple group,
inlined here (:func:`endstate.model.relapse.hazard` is compiled for one run
here and for whole arrays where the backtest calls it).  No run reads
another's, and each run's numbers go through the same IEEE operations in the
same order whichever vector lane or block it falls in, so results do not
depend on how runs are chunked or blocked.  The presence tables
(:mod:`endstate.model.presence`), the election effect and the resumed war's
intensity are computed around the kernel in :func:`endstate.model.step.step`.
No fastmath.  The plain-Python reference (:mod:`endstate.engine.reference`)
guards it, run by run, on the same random numbers (``tests/engine/test_reference.py``).
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


BLOCK = 1024
"""Runs the kernel steps together, stage by stage.  Each stage's loop over them is vectorised (8 runs an AVX-512
instruction) after LLVM has checked, once a loop, that its arrays do not overlap (hundreds of comparisons: see
``endstate.model.compiled.LLVM_OPTIONS``), so longer blocks are cheaper: measured on the default scenario, 64 runs
took about 1.5 times as long a run-month as 1,024, 512 about 1.1 times, 2,048 no less.  A block's intermediates
(about 60 numbers a run, 0.5 MB) stay in the L2 cache between stages."""

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

    ``feat`` (F, R, N: runs fastest), ``weight`` (N, C), ``factors`` (N, Gp), ``hc_c`` (N, C)
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
    T = st_pipeline.shape[1]
    n: Any  # a run's index in the batch (unsigned in the stages' loops)
    i: Any  # its place in its block
    B = min(BLOCK, max(hi - lo, 1))  # a small batch (a filter's few particles) allocates no more than it steps
    # the block's numbers, one entry a run (index i = n - b0) or one row a region: each stage below is a loop over the
    # block's runs, innermost, that LLVM vectorises (several runs a SIMD instruction); they stay in the cache between stages
    go = np.empty(B, dtype=np.bool_)  # stepped this month (False: observation ended and skip_done)
    in_mission = np.empty(B, dtype=np.bool_)
    at_war = np.empty(B, dtype=np.bool_)
    n_present = np.empty(B, dtype=np.int64)
    alive = np.empty(B)
    coh = np.empty(B)
    loyal = np.empty(B)
    hot_total = np.empty(B)
    moved_total = np.empty(B)
    domestic = np.empty(B)
    dom_border = np.empty(B)
    troops = np.empty(B)
    police = np.empty(B)
    observers = np.empty(B)
    fighters = np.empty(B)
    pk_battle = np.empty(B)
    pk_civilian = np.empty(B)
    pk_deterrence = np.empty(B)
    policies = np.empty(B)
    party = np.empty(B)
    present = np.empty(B)
    vidx = np.empty(B)
    cov_c = np.empty(B)
    arrested = np.empty(B)
    battle_sum = np.empty(B)
    civ_sum = np.empty(B)
    advisers = np.empty(B)
    engineers = np.empty(B)
    released = np.empty(B)
    backlash = np.empty(B)
    organised = np.empty(B)
    took = np.empty(B)
    gone = np.empty(B)
    trainers = np.empty(B)
    in_pipeline = np.empty(B)
    acc_c = np.empty(B)
    fighters_c = np.empty(B)
    pushing = np.empty(B)
    headcount = np.empty(B)
    programme = np.empty(B)
    funded = np.empty(B)
    trainees = np.empty(B)
    personnel_cost = np.empty(B)
    hc_total = np.empty(B)
    exposed = np.empty(B)
    armed = np.empty((R, B))
    shock = np.empty((R, B))
    uncontained = np.empty((R, B))
    vidx_r = np.empty((R, B))
    arrested_r = np.empty((R, B))
    hot_score = np.empty((R, B))
    battle_1000 = np.empty((R, B))
    cov_r = np.empty((R, B))
    danger = np.empty((Gp * R, B))  # battle deaths per 1,000 inhabitants where each handover group's personnel serve
    push_total = 0.0
    for j in range(th_push.shape[0]):
        push_total += th_push[j]
    lead_creature = th.lead_state and th.lead >= 0
    training = 1.0 if month >= th.training_start else 0.0
    slot = month % T
    year_starts = (th.calendar_month0 + month) % 12 == 0
    any_ddr = th.ddr.caseload > 0
    ddr_open = month >= th.ddr.start
    party_now = peacekeeping.party_share(th.targeting, g.peacekeeping)
    for b0 in range(lo, hi, B):
        b1 = min(b0 + B, hi)
        u0, u1 = np.uint64(b0), np.uint64(b1)  # unsigned run indices: no negative-index wrap, so LLVM sees each access's stride and vectorises
        stepped = 0
        for n in range(u0, u1):
            i = n - u0
            status = st_status[n]
            go[i] = not (skip_done and status == DONE)
            stepped += 1 if go[i] else 0
            alive[i] = 1.0 if status < DONE else 0.0
            in_mission[i] = status == ACTIVE or status == WITHDRAWING
            at_war[i] = st_at_war[n]
        if stepped == 0:
            _zero_month(out, b0, b1, R)
            continue

        # 14. command coherence
        for i in range(b1 - b0):
            n_present[i] = 0
        for c in range(C):
            for n in range(u0, u1):
                n_present[n - u0] += 1 if weight[n, c] > 0 else 0
        for n in range(u0, u1):
            i = n - u0
            coh[i] = coherence.coherence(th.lead_state, n_present[i], th.caveat_share, th.n_goals, g.coherence)

        # 1. security coverage (domestic loyalty from last month's legitimacy), and 5. borders and weapons
        for n in range(u0, u1):
            i = n - u0
            loyal[i] = domestic_force.loyalty(st_pay[n], st_legitimacy[n], g.domestic)
            hot_total[i] = 0.0
            moved_total[i] = 0.0
            domestic[i] = st_force[n] * st_force_quality[n] * loyal[i]
            dom_border[i] = g.borders.domestic_share * st_force[n] * st_force_quality[n] * loyal[i]
        if th.reallocate:
            for r in range(R):
                for n in range(u0, u1):
                    i = n - u0
                    hot_score[r, i] = coverage.hotspot_score(st_tension[n, r], st_spoilers[n, r], th_pop[r], th_thousands[r])
                    hot_total[i] += hot_score[r, i]
                    moved_total[i] += g.coverage.reallocation_share * feat[_MOB, r, n]
            for i in range(b1 - b0):
                hot_total[i] = np.maximum(hot_total[i], 1e-12)
        for r in range(R):
            for n in range(u0, u1):
                i = n - u0
                hot = hot_score[r, i] / hot_total[i] if th.reallocate else 0.0
                dens = coverage.security_density(
                    feat[_SEC, r, n], feat[_MOB, r, n], coh[i], domestic[i], th_thousands[r], th_share[r], th.reallocate, moved_total[i], hot,
                    g.coverage,
                )  # fmt: skip
                cov = coverage.saturating(dens, g.coverage.scale_per_1000)
                cov_r[r, i] = cov
                m_coverage[n, r] = cov
                bcov = borders.border_coverage(feat[_BOR, r, n] * coh[i] + dom_border[i] * th_border_split[r], th_border_exposure[r], g.borders)
                inflow = borders.arms_inflow(st_arms_base[n], th_border_exposure[r], st_support[n, r], bcov, g.borders)
                m_inflow[n, r] = inflow
                stock = borders.arms_stock(st_arms[n, r], inflow, cov, g.borders)
                if go[i]:
                    st_arms[n, r] = stock

        # 2a. what the mission's troops, police and observers do
        for i in range(b1 - b0):
            troops[i] = police[i] = observers[i] = fighters[i] = 0.0
        for r in range(R):
            for n in range(u0, u1):
                i = n - u0
                troops[i] += feat[_TROOPS, r, n]
                police[i] += feat[_POLICE, r, n]
                observers[i] += feat[_OBS, r, n]
                fighters[i] += st_spoilers[n, r]
        for n in range(u0, u1):
            i = n - u0
            pk = peacekeeping.effect(troops[i], police[i], observers[i], coh[i], fighters[i], g.peacekeeping, th.targeting)
            pk_battle[i], pk_civilian[i], pk_deterrence[i] = pk.battle, pk.civilian, pk.deterrence
            m_mission_battle[n], m_mission_civilian[n], m_deterrence[n] = pk.battle, pk.civilian, pk.deterrence

        # 2. violence, with 10. public order (riots kill where riot-capable personnel are thin against them), and 7. arrests
        for i in range(b1 - b0):
            policies[i] = float(th.n_goals) if in_mission[i] else 0.0
            party[i] = party_now if in_mission[i] else 0.0
            present[i] = 1.0 if in_mission[i] else 0.0  # the fighting aimed at the force, where its fighters are
            vidx[i] = cov_c[i] = arrested[i] = battle_sum[i] = civ_sum[i] = 0.0
        for r in range(R):
            for n in range(u0, u1):
                i = n - u0
                cov = cov_r[r, i]
                armed[r, i] = violence.armed_share(st_arms[n, r], st_spoilers[n, r])
                pk = peacekeeping.MissionEffect(pk_battle[i], pk_civilian[i], pk_deterrence[i])
                exp_b, exp_c = violence.expected_deaths(
                    st_spoilers[n, r], armed[r, i], cov, st_tension[n, r], st_processing[n], at_war[i], st_war_rate[n], th_share[r], pk,
                    present[i] * th.party_region[r], g.violence,
                )  # fmt: skip
                shock[r, i] = violence.lognormal_shock(z[n, r], g.violence.shock_sigma)
                riots = public_order.expected_riots(th_hundred_thousands[r], th_urban[r], st_tension[n, r], policies[i], g.public_order) * shock[r, i]
                m_riots[n, r] = riots
                uncontained[r, i], riot_deaths = public_order.meet_riots(
                    riots, feat[_RIOT, r, n], st_force[n], st_force_quality[n], th_share[r], g.public_order
                )
                armed_share_of_civ = exp_c / np.maximum(exp_c + riot_deaths, 1e-300)  # the rest died at riots
                exp_c = exp_c + riot_deaths
                battle = violence.stochastic_round(exp_b * shock[r, i], u[n, r]) * alive[i]
                civ = violence.stochastic_round(exp_c * shock[r, i], u[n, R + r]) * alive[i]
                m_battle[n, r], m_civilian[n, r] = battle, civ
                m_one_sided[n, r] = civ * armed_share_of_civ  # civilians killed by armed actors (what UCDP's one-sided data count)
                m_expected_battle[n, r], m_expected_civilian[n, r] = exp_b * alive[i], exp_c * alive[i]
                battle_sum[i] += battle
                civ_sum[i] += civ
                vidx_r[r, i] = violence.violence_index((battle + civ) / th_pop[r] * 1e5, g.violence.index_scale)
                vidx[i] += vidx_r[r, i] * th_share[r]
                cov_c[i] += cov * th_share[r]
                arrested_r[r, i] = spoilers.arrests(st_spoilers[n, r], cov, g.spoilers)
                arrested[i] += arrested_r[r, i]

        # 7. justice chain
        for i in range(b1 - b0):
            advisers[i] = engineers[i] = 0.0
        for r in range(R):
            for n in range(u0, u1):
                advisers[n - u0] += feat[_ADV, r, n]
                engineers[n - u0] += feat[_ENG, r, n]
        for n in range(u0, u1):
            i = n - u0
            detained, places, released[i], processing = justice.step(
                st_detained[n], st_places[n], arrested[i], th.courts, advisers[i], engineers[i], st_processing[n], g.justice
            )
            if go[i]:
                st_detained[n], st_places[n], st_processing[n] = detained, places, processing

        # 4. spoilers (last month's releases return now; a force that is a party recruits the insurgency it fights)
        for n in range(u0, u1):
            i = n - u0
            backlash[i] = g.spoilers.party_recruitment * party[i]
            disarmed = st_ddr_taken[n] / np.maximum(th.ddr.caseload, 1e-9) if any_ddr else 0.0
            organised[i] = spoilers.organisation(disarmed, th.ddr.participation)  # what a DDR programme left of the groups
        for r in range(R):
            for n in range(u0, u1):
                i = n - u0
                returned = st_returned[n] * st_arrest_share[n, r]
                sshock = violence.lognormal_shock(z[n, R + r], g.spoilers.shock_sigma)
                fighters_now = spoilers.update(
                    st_spoilers[n, r], st_grievance[n, r], armed[r, i], st_support[n, r], m_inflow[n, r], returned, cov_r[r, i],
                    arrested_r[r, i], st_tension[n, r], th.autonomy, sshock, th_spoiler_cap[r], backlash[i], organised[i], g.spoilers,
                )  # fmt: skip
                share = arrested_r[r, i] / np.maximum(arrested[i], 1e-9) if arrested[i] > 1e-9 else th_share[r]
                if go[i]:
                    st_spoilers[n, r] = fighters_now
                    st_arrest_share[n, r] = share
        # 4b. the DDR programme takes in fighters where the force makes it safe to; failed reintegrations rejoin
        if any_ddr:
            for n in range(u0, u1):
                i = n - u0
                took[i] = ddr.intake(th.ddr, st_ddr_taken[n], pk_deterrence[i], in_mission[i] and not at_war[i] and ddr_open)
                gone[i] = ddr.share_out(th.ddr, st_ddr_taken[n], took[i])
            for r in range(R):
                for n in range(u0, u1):
                    i = n - u0
                    sp, ar, re = ddr.disarm(st_spoilers[n, r], st_arms[n, r], st_ddr_reintegrating[n, r], gone[i], organised[i], g.ddr)
                    if go[i]:
                        st_spoilers[n, r], st_arms[n, r], st_ddr_reintegrating[n, r] = sp, ar, re
            for n in range(u0, u1):
                if go[n - u0]:
                    st_ddr_taken[n] += took[n - u0]
        for n in range(u0, u1):
            if go[n - u0]:
                st_returned[n] = g.spoilers.release_return * released[n - u0]

        # 6. domestic security force
        for i in range(b1 - b0):
            trainers[i] = in_pipeline[i] = 0.0
        for r in range(R):
            for n in range(u0, u1):
                trainers[n - u0] += feat[_TRAIN, r, n]
        for j in range(T):
            for n in range(u0, u1):
                in_pipeline[n - u0] += st_pipeline[n, j]
        for n in range(u0, u1):
            i = n - u0
            trainers[i] = trainers[i] * training
            graduates = st_pipeline[n, slot]
            force = st_force[n]
            attr = domestic_force.attrition(vidx[i], st_pay[n], g.domestic)
            recruits = domestic_force.intake(trainers[i], force, in_pipeline[i], th.constabulary_target, st_legitimacy[n], vidx[i], attr * force, g.domestic)
            kept = force * (1.0 - attr)
            mentor = domestic_force.mentoring(trainers[i], force)
            quality = domestic_force.quality(st_force_quality[n], kept, graduates, mentor, g.domestic)
            if go[i]:
                st_pipeline[n, slot] = recruits * alive[i]
                st_force_quality[n] = quality
                st_force[n] = kept + graduates

        # 8. humanitarian access, and grievance / tension
        for i in range(b1 - b0):
            acc_c[i] = fighters_c[i] = 0.0
            pushing[i] = push_total if in_mission[i] else 0.0
        for r in range(R):
            for n in range(u0, u1):
                i = n - u0
                fighters_1000 = st_spoilers[n, r] / th_thousands[r]
                escorts_1000 = (feat[_ESC, r, n] + g.humanitarian.patrol_escort_share * feat[_SEC, r, n]) / th_thousands[r]
                acc = humanitarian.access(fighters_1000, escorts_1000, g.humanitarian)
                m_access[n, r] = acc
                acc_c[i] += acc * th_share[r]
                fighters_c[i] += fighters_1000 * th_share[r]
                griev = grievance.grievance(st_grievance[n, r], st_need[n], acc, st_processing[n], vidx_r[r, i], g.grievance)
                tens = grievance.tension(st_tension[n, r], st_tension0[n, r], cov_r[r, i], pushing[i], th_enclave[r], uncontained[r, i], g.grievance)
                if go[i]:
                    st_grievance[n, r] = griev
                    st_tension[n, r] = tens

        # 11. casualties and cost; 12. contributor tolerance
        for i in range(b1 - b0):
            headcount[i] = trainees[i] = personnel_cost[i] = hc_total[i] = 0.0
        for r in range(R):
            for n in range(u0, u1):
                headcount[n - u0] += feat[_HC, r, n]
        for n in range(u0, u1):
            i = n - u0
            programme[i] = th.budget_per_month if in_mission[i] else 0.0
            funded[i] = legitimacy.funded_services(programme[i] * scale[n], th.population, g.legitimacy)
        for j in range(T):
            for n in range(u0, u1):
                trainees[n - u0] += st_pipeline[n, j]
        # a block whose runs have no mission present and no personnel (all after the exit, most months of a run's
        # life): nobody can be hurt (every expected fatality is exactly 0, so none is drawn) and no contributor's
        # memory or tolerance is kept (they are read only while the mission is present), so its contributors are skipped
        staffed = False
        for i in range(b1 - b0):
            staffed |= in_mission[i]
        for c in range(C):
            for n in range(u0, u1):
                staffed |= hc_c[n, c] != 0.0
                staffed |= weight[n, c] != 0.0
        if staffed:
            for r in range(R):
                for n in range(u0, u1):
                    battle_1000[r, n - b0] = m_battle[n, r] / th_thousands[r]
            for gr in range(Gp):
                for r in range(R):
                    for n in range(u0, u1):
                        danger[gr * R + r, n - b0] = factors[n, gr] * battle_1000[r, n - b0]
        for c in range(C if staffed else 0):
            for i in range(b1 - b0):
                exposed[i] = 0.0  # the contributor's personnel times the fighting where they serve (presence.headcount_by_contributor)
            for k in range(Gp * R):
                y = th_headcount_table[c, k]
                if y == 0.0:
                    continue  # no personnel of the contributor there: its term is +0 for finite fighting (a NaN shows elsewhere)
                for n in range(u0, u1):
                    exposed[n - u0] += danger[k, n - b0] * y
            for n in range(u0, u1):
                i = n - u0
                hostile = tolerance.hostile_fatalities(exposed[i] * weight[n, c], th.targeting, g.tolerance)
                exp_f = casualties_cost.expected_fatalities(hc_c[n, c], hostile, g.casualties)
                fatal = violence.stochastic_round(exp_f, uc[n, c]) * alive[i]
                killed = fatal * (hostile / np.maximum(exp_f, 1e-300) if exp_f > 0 else 0.0)  # the hostile share of the deaths
                personnel_cost[i] += hc_c[n, c] * th_cost_pm[c]
                hc_total[i] += hc_c[n, c]
                spent_bn = hc_c[n, c] * th_cost_pm[c] / 1e9 * alive[i]
                deaths_memory = tolerance.remember(st_deaths_memory[n, c], killed, g.tolerance)
                cost_memory = tolerance.remember(st_cost_memory[n, c], spent_bn, g.tolerance)
                level = tolerance.level(th_tol0[c], deaths_memory, cost_memory, th_sensitivity[c], th_explained[c], th_interest[c], g.tolerance)
                if go[i]:
                    st_fatalities[n, c] += fatal
                    if in_mission[i]:
                        st_deaths_memory[n, c], st_cost_memory[n, c], st_tolerance[n, c] = deaths_memory, cost_memory, level
        for n in range(u0, u1):
            i = n - u0
            if go[i]:
                st_cost[n] += casualties_cost.monthly_cost(personnel_cost[i], trainees[i], programme[i], g.casualties) * alive[i]

        # 9. legitimacy, 13. host consent
        for n in range(u0, u1):
            i = n - u0
            creature = hc_c[n, th.lead] / np.maximum(hc_total[i], 1e-9) if lead_creature else 0.0
            leg = legitimacy.update(
                st_legitimacy[n], st_legitimacy0[n], cov_c[i], acc_c[i], vidx[i], creature, policies[i], funded[i], z[n, 2 * R], g.legitimacy
            )
            threat = consent.threat(vidx[i], fighters_c[i])
            intrusion = consent.intrusion(in_mission[i], th.n_goals)
            capability = consent.capability(st_force[n], th.constabulary_target)
            sovereignty = consent.sovereignty_cost(float(month + 1) if in_mission[i] else 0.0, intrusion, capability, g.consent)
            host = consent.update(st_consent[n], threat, intrusion, capability, z[n, 2 * R + 1], sovereignty, g.consent)
            if go[i]:
                st_legitimacy[n] = leg
                st_consent[n] = host

        # 15. transformation
        for j in range(st_transformation.shape[1]):
            for n in range(u0, u1):
                i = n - u0
                x = transformation.update(st_transformation[n, j], th_push[j], in_mission[i], 1.0 - vidx[i], g.transformation)
                if go[i]:
                    st_transformation[n, j] = x

        # 3. relapse, with 16. the election effect; or a resumed war's end
        for n in range(u0, u1):
            i = n - u0
            h = relapse.hazard(
                st_static_hazard[n], month - st_peace_start[n], fighters_c[i], cov_c[i], pk_deterrence[i], vidx[i], st_legitimacy[n], election,
                g.relapse,
            )  # fmt: skip
            u_war = u[n, 2 * R]
            live = alive[i] > 0
            war_ended = live and at_war[i] and u_war < peacekeeping.termination_rate(pk_deterrence[i], g.peacekeeping)
            relapsed = live and not at_war[i] and u_war < h
            m_relapsed_now[n], m_war_ended_now[n] = relapsed, war_ended
            m_headcount[n], m_loyalty[n] = headcount[i], loyal[i]
            if go[i]:
                st_at_war[n] = (at_war[i] or relapsed) and not war_ended
                if war_ended:
                    st_peace_start[n] = month + 1
                if relapsed and st_relapse_month[n] < 0:
                    st_relapse_month[n] = month
                if relapsed and in_mission[i]:
                    st_relapse_in_mission[n] = True
                # relapse as the data define it: a calendar year with 25 (UCDP) or 1,000 (COW, Doyle & Sambanis) battle deaths
                year = (0.0 if year_starts else st_year_battle[n]) + battle_sum[i]
                st_year_battle[n] = year
                if st_conflict_month[n] < 0 and year >= CONFLICT_DEATHS:
                    st_conflict_month[n] = month
                if st_war_month[n] < 0 and year >= WAR_DEATHS:
                    st_war_month[n] = month
                st_battle_deaths[n] += battle_sum[i]
                st_civilian_deaths[n] += civ_sum[i]
                st_peak_personnel[n] = np.maximum(st_peak_personnel[n], headcount[i] * (1.0 if in_mission[i] else 0.0))
        if stepped < b1 - b0:
            for n in range(b0, b1):
                if not go[n - b0]:
                    _zero_month(out, n, n + 1, R)


@jit(nogil=True)
def _zero_month(out: Any, lo: int, hi: int, R: int) -> None:
    """The month's numbers of runs ``[lo, hi)`` not stepped: zero (nothing happened to them)."""
    for n in range(lo, hi):
        for r in range(R):
            out.battle[n, r] = out.civilian[n, r] = out.coverage[n, r] = out.inflow[n, r] = out.riots[n, r] = out.access[n, r] = 0.0
            out.one_sided[n, r] = out.expected_battle[n, r] = out.expected_civilian[n, r] = 0.0
        out.headcount[n] = out.loyalty[n] = out.mission_battle[n] = out.mission_civilian[n] = out.deterrence[n] = 0.0
        out.relapsed_now[n] = out.war_ended_now[n] = False
