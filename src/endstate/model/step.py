"""One month of the country and the mission, for all runs at once.

Core objects: :class:`Draws` (the month's random numbers, given from outside so
that the reference implementation can be fed the same ones), :class:`Month`
(what happened this month: deaths, coverage, indicators) and :func:`step`,
which applies mechanisms 1-16 and updates the state in place, in this order:
coherence (14), coverage (1), borders (5), the mission's troops, police and
observers (2a, :mod:`.peacekeeping`), violence (2) with public order (10), the
justice chain (7), spoilers (4) with a DDR programme (4b), the domestic force (6),
humanitarian access (8) with grievance and tension, casualties, cost and
tolerance (11, 12), legitimacy (9), consent (13), transformation (15), and
last the relapse draw (3) with the election effect (16), the resumed
conflict's intensity, and the calendar year's battle deaths against the relapse
definitions (25 and 1,000 a year).  The
exit rules (mechanism 17) run afterwards, in :mod:`endstate.exits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from . import (
    borders,
    casualties_cost,
    coherence,
    consent,
    coverage,
    ddr,
    domestic_force,
    elections,
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
from .presence import F, PresenceTables, by_function, headcount_by_contributor, phase_factors, scheduled
from .scenario import Scenario
from .state import ACTIVE, AFTER_EXIT, DONE, WITHDRAWING, State

CONFLICT_DEATHS = 25.0
"""Battle deaths in a calendar year that make an armed conflict (UCDP/PRIO Armed Conflict Dataset codebook)."""
WAR_DEATHS = 1000.0
"""Battle deaths in a calendar year that make a war (Correlates of War; Doyle & Sambanis 2000; UCDP's 'war' intensity)."""


@dataclass
class Draws:
    """The month's random numbers for N runs."""

    z: np.ndarray  # (N, 2R + 2) standard normals: violence shocks, spoiler shocks, legitimacy, consent
    u: np.ndarray  # (N, 2R + 1) uniforms: battle rounding, civilian rounding, relapse or war's end
    uc: np.ndarray  # (N, C) uniforms: fatality rounding per contributor

    @staticmethod
    def widths(R: int, C: int) -> tuple[int, int, int]:
        return 2 * R + 2, 2 * R + 1, C


@dataclass
class Month:
    battle: np.ndarray  # (N, R)
    civilian: np.ndarray  # (N, R)
    coverage: np.ndarray  # (N, R)
    inflow: np.ndarray  # (N, R)
    riots: np.ndarray  # (N, R)
    access: np.ndarray  # (N, R)
    headcount: np.ndarray  # (N,)
    loyalty: np.ndarray  # (N,)
    relapsed_now: np.ndarray  # (N,) bool
    war_ended_now: np.ndarray  # (N,) bool
    # the force's factors on deaths and its deterrence, and the civilian deaths armed actors inflicted (the rest died
    # at riots); None only in a Month built by hand (tests of the exit rules, which read neither)
    mission: peacekeeping.MissionEffect | None = None
    one_sided: np.ndarray | None = None  # (N, R)
    # the month's expected battle and civilian deaths before its violence shock and rounding (N, R), so that a filter
    # can weigh an observation with that shock integrated out (monitoring); None only in a Month built by hand
    expected_battle: np.ndarray | None = None
    expected_civilian: np.ndarray | None = None


def row_sum(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=1)``, faster for the few columns of a regional array.

    Below 8 columns NumPy adds a row's values left to right, as this does, so
    the result is the same to the bit; wider arrays go to NumPy (pairwise sums).
    """
    if a.shape[1] >= 8:
        return a.sum(axis=1)
    out = a[:, 0].copy()
    for j in range(1, a.shape[1]):
        out += a[:, j]
    return out


def mission_scale(st: State, month: int) -> np.ndarray:
    """1 while the mission is fully present, falling to 0 over a withdrawal, 0 after exit."""
    w = np.maximum(st.within, 1)
    falling = np.clip(1.0 - (month - st.trigger_month) / w, 0.0, 1.0)
    falling = np.where(st.within == 0, 0.0, falling)
    falling = np.where(st.orderly, 1.0, falling)  # an orderly drawdown shrinks phase by phase instead
    return np.where(st.status == ACTIVE, 1.0, np.where(st.status == WITHDRAWING, falling, 0.0))


def step(sc: Scenario, pv: SimpleNamespace, pt: PresenceTables, st: State, d: Draws, month: int) -> Month:
    R = sc.R
    alive = st.status < DONE
    in_mission = (st.status == ACTIVE) | (st.status == WITHDRAWING)
    scale = mission_scale(st, month)
    factors = phase_factors(st.phase_start, month, sc.drawdown_months)
    weight = scheduled(sc, st.present * scale[:, None], factors, month)
    feat = by_function(pt, weight, factors)  # (F, N, R)
    follow = (st.status == AFTER_EXIT) & (month < st.exit_month + sc.follow_on_months) & (st.exit_month >= 0)
    if sc.follow_on_personnel > 0 and follow.any():
        extra = np.where(follow, sc.follow_on_personnel, 0.0)[:, None] * sc.share[None, :]
        feat[F["security"]] += extra
        feat[F["headcount"]] += extra
        feat[F["troops"]] += extra

    # 14. command coherence
    n_present = (weight > 0).sum(axis=1)
    coh = coherence.coherence(sc.lead_state, n_present, sc.caveat_share, sc.n_transformation_goals, coherence.CoherenceParams.of(pv))

    # 1. security coverage (domestic loyalty from last month's legitimacy)
    loyal = domestic_force.loyalty(st.pay, st.legitimacy, pv.loyalty_base, pv.loyalty_pay, pv.loyalty_legitimacy)
    hot = coverage.hotspot_weights(st.tension, st.spoilers, sc.pop) if sc.reallocate else None
    dens = coverage.security_density(
        feat[F["security"]], feat[F["mobile"]], coh, st.force, st.force_quality, loyal, sc.pop, sc.share, hot, pv.reallocation_share
    )
    cov = coverage.saturating(dens, pv.coverage_scale_per_1000)

    # 5. borders and weapons
    dom_border = (pv.domestic_border_share * st.force * st.force_quality * loyal)[:, None] * (
        sc.border_exposure / max(sc.border_exposure.sum(), 1e-9)
    )[None, :]
    bcov = borders.border_coverage(feat[F["border"]] * coh[:, None] + dom_border, sc.border_exposure, pv.border_personnel_scale)
    inflow = borders.arms_inflow(st.arms_base, sc.border_exposure, st.support, bcov, pv.border_control_effect)
    st.arms = borders.arms_stock(st.arms, inflow, cov, pv.arms_decay, pv.arms_seizure_rate)

    # 2a. what the mission's troops, police and observers do; 2. violence
    pk_params = peacekeeping.PeacekeepingParams.of(pv)
    pk = peacekeeping.effect(row_sum(feat[F["troops"]]), row_sum(feat[F["police"]]), row_sum(feat[F["observers"]]), coh, row_sum(st.spoilers), pk_params, sc.targeting)
    armed = violence.armed_share(st.arms, st.spoilers)
    exp_b, exp_c = violence.expected_deaths(
        st.spoilers, armed, cov, st.tension, st.processing, st.at_war, st.war_rate, sc.share, pk, violence.ViolenceParams.of(pv)
    )
    shock = violence.lognormal_shock(d.z[:, :R], pv.violence_shock_sigma)

    # 10. public order: riots kill where riot-capable personnel are thin against them (the uncontained share)
    policies = np.where(in_mission, float(sc.n_transformation_goals), 0.0)
    po = public_order.PublicOrderParams.of(pv)
    riots = public_order.expected_riots(sc.pop, sc.urban, st.tension, policies, po.rate_per_100k, po.policy_shock) * shock
    uncontained, riot_deaths = public_order.meet_riots(riots, feat[F["riot"]], st.force, st.force_quality, sc.share, po)
    armed_share_of_civ = exp_c / np.maximum(exp_c + riot_deaths, 1e-300)
    exp_c = exp_c + riot_deaths

    battle = violence.stochastic_round(exp_b * shock, d.u[:, :R]) * alive[:, None]
    civ = violence.stochastic_round(exp_c * shock, d.u[:, R : 2 * R]) * alive[:, None]
    one_sided = civ * armed_share_of_civ  # civilians killed by armed actors, not at riots (what UCDP's one-sided data count)
    per100k = (battle + civ) / sc.pop * 1e5
    vidx_r = violence.violence_index(per100k, pv.violence_index_scale)
    vidx = vidx_r @ sc.share
    cov_c = cov @ sc.share

    # 7. justice chain
    arrested_r = spoilers.arrests(st.spoilers, cov, pv.spoiler_arrest_rate)
    arrested = row_sum(arrested_r)
    st.detained, st.places, released, st.processing = justice.step(
        st.detained, st.places, arrested, sc.spec.understanding.justice.cases_per_month,
        row_sum(feat[F["advisers"]]), row_sum(feat[F["engineers"]]), st.processing,
        pv.trials_per_adviser_month, pv.places_per_engineer_month, pv.justice_smoothing, pv.adviser_court_multiple,
    )

    # 4. spoilers (last month's releases return now)
    returned = st.returned[:, None] * st.arrest_share
    cap = pv.spoiler_cap_per_1000 * sc.pop / 1000.0
    sshock = violence.lognormal_shock(d.z[:, R : 2 * R], pv.spoiler_shock_sigma)
    st.spoilers = spoilers.update(
        st.spoilers, st.grievance, armed, st.support, inflow, returned, cov, arrested_r, st.tension, sc.regional_autonomy,
        sshock, cap, pv.spoiler_recruitment, pv.fighters_per_weapon_inflow, pv.spoiler_pressure_loss, pv.spoiler_inclusion_loss,
        np.where(in_mission, pv.party_recruitment * peacekeeping.party_share(sc.targeting, pk_params), 0.0),
    )
    # 4b. the DDR programme takes in fighters where the force makes it safe to; failed reintegrations rejoin
    if sc.ddr.caseload > 0:
        took = ddr.intake(sc.ddr, st.ddr_taken, pk.deterrence, in_mission & ~st.at_war & (month >= sc.ddr.start))
        st.spoilers, st.arms, st.ddr_reintegrating, st.ddr_taken = ddr.disarm(
            st.spoilers, st.arms, st.ddr_reintegrating, st.ddr_taken, took, sc.ddr, pv.ddr_reintegration_failure, pv.ddr_reintegration_months
        )
    st.returned = pv.release_return_share * released
    st.arrest_share = arrested_r / np.maximum(arrested[:, None], 1e-9)
    st.arrest_share = np.where(arrested[:, None] > 1e-9, st.arrest_share, sc.share[None, :])

    # 6. domestic security force
    trainers = row_sum(feat[F["trainers"]]) * (month >= sc.training_start)
    slot = month % st.pipeline.shape[1]
    graduates = st.pipeline[:, slot].copy()
    attr = domestic_force.attrition(vidx, st.pay, pv.attrition_base, pv.attrition_violence, pv.attrition_pay)
    recruits = domestic_force.intake(
        trainers, st.force, row_sum(st.pipeline), sc.constabulary_target, st.legitimacy, vidx,
        pv.trainees_per_trainer_month, pv.domestic_self_training, pv.recruitment_rate, attr * st.force,
    )
    st.pipeline[:, slot] = recruits * alive
    kept = st.force * (1.0 - attr)
    mentor = domestic_force.mentoring(trainers, st.force)
    st.force_quality = domestic_force.quality(st.force_quality, kept, graduates, mentor, pv.mentoring_gain, pv.quality_decay, pv.graduate_quality)
    st.force = kept + graduates

    # 8. humanitarian access, and grievance / tension
    fighters_1000 = st.spoilers / (sc.pop / 1000.0)
    escorts_1000 = (feat[F["escorts"]] + pv.patrol_escort_share * feat[F["security"]]) / (sc.pop / 1000.0)
    acc = humanitarian.access(fighters_1000, escorts_1000, pv.raid_rate, pv.convoy_scale_per_1000)
    acc_c = acc @ sc.share
    st.grievance = grievance.grievance(st.grievance, st.need, acc, st.processing, vidx_r, pv.grievance_rate)
    pushing = np.where(in_mission, sc.push.sum(), 0.0)
    st.tension = grievance.tension(
        st.tension, st.tension0, cov, pushing, sc.enclave, pv.riot_tension * uncontained, pv.tension_rate, pv.transformation_tension
    )

    # 11. casualties and cost; 12. contributor tolerance
    headcount = row_sum(feat[F["headcount"]])
    battle_1000 = battle / (sc.pop / 1000.0)  # the fighting where each contributor's personnel serve
    hc_c, exposed_c = headcount_by_contributor(pt, weight, factors, battle_1000)
    hostile_f = tolerance.hostile_fatalities(exposed_c, sc.targeting, pv.hostile_deaths_per_battle_death)
    exp_f = pv.accident_fatality_rate * hc_c + hostile_f
    fatal = violence.stochastic_round(exp_f, d.uc) * alive[:, None]
    killed = fatal * np.where(exp_f > 0, hostile_f / np.maximum(exp_f, 1e-300), 0.0)  # the hostile share of the deaths
    st.fatalities += fatal
    programme = np.where(in_mission, sc.budget_per_month, 0.0)
    funded = legitimacy.funded_services(programme * scale, sc.population, pv.programme_scale_per_capita)
    trainees = row_sum(st.pipeline)
    month_cost = casualties_cost.monthly_cost(hc_c, sc.cost_pm, trainees, programme, pv.training_cost_per_trainee) * alive
    st.cost += month_cost
    spent_bn = hc_c * sc.cost_pm[None, :] / 1e9 * alive[:, None]
    st.deaths_memory = tolerance.remember(st.deaths_memory, killed, pv.tolerance_forgetting)
    st.cost_memory = tolerance.remember(st.cost_memory, spent_bn, pv.tolerance_forgetting)
    st.tolerance = tolerance.level(
        sc.tol0[None, :], st.deaths_memory, st.cost_memory, sc.sensitivity[None, :], sc.explained[None, :], sc.interest[None, :],
        pv.tolerance_per_tenfold_deaths, pv.tolerance_per_tenfold_cost, pv.unexplained_multiplier, pv.weak_interest_multiplier,
        pv.tolerance_deaths_absorbed,
    )

    # 9. legitimacy
    creature = np.zeros_like(headcount)
    if sc.lead_state and sc.lead >= 0:
        creature = hc_c[:, sc.lead] / np.maximum(row_sum(hc_c), 1e-9)
    st.legitimacy = legitimacy.update(
        st.legitimacy, st.legitimacy0, cov_c, acc_c, vidx, creature, policies, funded, d.z[:, 2 * R],
        pv.legitimacy_rate, pv.legitimacy_security, pv.legitimacy_services, pv.legitimacy_violence,
        pv.legitimacy_creature, pv.legitimacy_override, pv.programme_legitimacy, pv.legitimacy_sigma,
    )

    # 13. host consent
    threat = np.clip(vidx + np.log1p(fighters_1000 @ sc.share) / 3.0, 0.0, 1.0)
    intrusion = np.where(in_mission, sc.n_transformation_goals + 0.5, 0.0)
    capability = np.clip(st.force / max(sc.constabulary_target, 1.0), 0.0, 1.5)
    sovereignty = consent.sovereignty_cost(np.where(in_mission, month + 1, 0), intrusion, capability, pv.consent_sovereignty, pv.consent_sovereignty_months)
    st.consent = consent.update(
        st.consent, pv.consent_initial, threat, intrusion, capability, d.z[:, 2 * R + 1],
        pv.consent_rate, pv.consent_threat, pv.consent_intrusion, pv.consent_capability, pv.consent_sigma, sovereignty,
    )

    # 15. transformation
    push = np.where(in_mission[:, None], np.maximum(sc.push[None, :], pv.transformation_drift), pv.transformation_drift)
    st.transformation = transformation.update(st.transformation, push, 1.0 - vidx, pv.transformation_rate)

    # 3. relapse (16. elections raise the hazard for a while)
    el = elections.log_ratio(month, sc.election_months, pv.election_hazard_ratio, pv.election_window_months, pv.election_early_years)
    h = relapse.hazard(
        st.static_hazard, month - st.peace_start, fighters_1000 @ sc.share, cov_c, pk.deterrence, vidx, st.legitimacy, el,
        relapse.RelapseParams.of(pv),
    )
    # one uniform serves both: a run at peace can relapse, a run at war can see the war end
    u_war = d.u[:, 2 * R]
    war_ended_now = alive & st.at_war & (u_war < peacekeeping.termination_rate(pv.war_termination_rate, pk.deterrence, pk_params))
    relapsed_now = alive & ~st.at_war & (u_war < h)
    # the resumed conflict's intensity, at the run's own quantile (mechanism 2)
    st.war_rate = np.where(relapsed_now, violence.resumed_war_rate(st.war_log_intensity, st.war_quantile, pv.war_intensity_sigma), st.war_rate)
    st.at_war = (st.at_war | relapsed_now) & ~war_ended_now
    st.peace_start = np.where(war_ended_now, month + 1, st.peace_start)
    st.relapse_month = np.where(relapsed_now & (st.relapse_month < 0), month, st.relapse_month)
    st.relapse_in_mission |= relapsed_now & in_mission

    # relapse as the data define it: a calendar year with 25 (UCDP) or 1,000 (COW, Doyle & Sambanis) battle deaths
    if (sc.calendar_month0 + month) % 12 == 0:
        st.year_battle[:] = 0.0
    st.year_battle += row_sum(battle)
    st.conflict_month = np.where((st.conflict_month < 0) & (st.year_battle >= CONFLICT_DEATHS), month, st.conflict_month)
    st.war_month = np.where((st.war_month < 0) & (st.year_battle >= WAR_DEATHS), month, st.war_month)

    st.battle_deaths += row_sum(battle)
    st.civilian_deaths += row_sum(civ)
    st.peak_personnel = np.maximum(st.peak_personnel, headcount * in_mission)
    return Month(
        battle, civ, cov, inflow, riots, acc, headcount, loyal, relapsed_now, war_ended_now, pk, one_sided,
        exp_b * alive[:, None], exp_c * alive[:, None],
    )
