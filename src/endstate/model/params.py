"""The model's parameters, each with its source, in one place.

Core objects: :class:`Param` (a value and where it comes from) and
:class:`Parameters` (every parameter the monthly step reads).  ``DEFAULTS`` holds
the defaults; :func:`load_parameters` lays the calibrated values written by
``endstate calibrate`` (``model/calibrated.json``) over them.  The mechanisms are
described in plain words, with their equations, in ``docs/model.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Param:
    value: float
    source: str
    low: float | None = None
    high: float | None = None


def P(value: float, source: str, low: float | None = None, high: float | None = None) -> Any:
    return field(default=Param(value, source, low, high))


@dataclass(frozen=True)
class Parameters:
    """Every number the monthly step uses.  Read values with ``p.value_of(name)`` or ``p.v``."""

    # 1. security coverage
    coverage_scale_per_1000: Param = P(10.0, "Quinlivan 1995: about 20 security personnel per 1,000 stabilise; 1-exp(-20/10)=0.86 coverage at that ratio", 5, 20)
    weight_presence_patrol: Param = P(1.0, "reasoning: patrols are the reference security task")
    weight_public_order: Param = P(1.0, "reasoning: formed police and riot units secure as much as patrols")
    weight_key_site_guard: Param = P(0.5, "reasoning: static guards secure a site, not an area")
    weight_border_control: Param = P(0.3, "reasoning: border posts secure the strip along the border only")
    weight_convoy_protection: Param = P(0.3, "reasoning: escorts secure the roads they travel")
    weight_other_tasks: Param = P(0.1, "reasoning: trainers, justice advisers and engineers add little presence")
    domestic_border_share: Param = P(0.15, "reasoning: a post-war force keeps about a sixth of its strength on the border")
    reallocation_share: Param = P(0.3, "Marten 2004: a lead state moves mobile troops to the main areas of tension; a third of patrol and public-order strength is assumed mobile")
    incapable_task_quality: Param = P(0.5, "reasoning: a contributor doing a task outside its capabilities does it half as well")

    # 2. violence
    battle_deaths_per_fighter: Param = P(0.0001, "UCDP records no battle deaths for a country at peace (a conflict enters its data at 25 a year), even with large armed hold-outs (Sierra Leone 2002: some 20,000 RUF fighters in disarmament, no UCDP conflict-year): 0.0001 a month per unchecked armed fighter keeps 20,000 of them under 25 a year", 0.00002, 0.002)
    civilian_deaths_per_fighter: Param = P(0.003, "reasoning: one-sided and criminal killing by armed hold-outs goes on below the battle-death threshold (UCDP one-sided data record such killing in post-war spells)", 0.0005, 0.02)
    coverage_violence_effect: Param = P(0.85, "Quinlivan 1995: at occupation-scale densities (20 per 1,000) security forces suppress most armed violence; the effect of the force sizes UN missions deploy is mechanism 2a", 0.5, 0.95)
    justice_violence_effect: Param = P(0.3, "reasoning: a working justice chain deters predation on civilians")
    violence_shock_sigma: Param = P(0.8, "UCDP monthly death counts are strongly overdispersed; lognormal sigma 0.8 gives a variance about 0.9 times the squared mean", 0.3, 1.5)
    war_termination_rate: Param = P(0.0206, "UCDP Conflict Termination v3-2021: recurrent intrastate episodes end at about 2% a month (232 of 255 ended over 11,250 episode-months; exponential fit); endstate calibrate re-derives it", 0.0, 0.2)
    war_intensity_intercept: Param = P(3.435, "UCDP Conflict Termination v3-2021 with UCDP dyadic battle deaths v21.1: log annual battle deaths of 136 recurrent intrastate episodes (both it and the episode before it inside 1989-2021) regressed on log10 of the previous episode's battle deaths: intercept (endstate.calibrate.war_intensity re-derives it)")
    war_intensity_slope: Param = P(0.521, "same regression: slope on log10 of the previous war's deaths (bigger wars resume bigger; correlation 0.29)")
    war_intensity_sigma: Param = P(1.219, "same regression: residual standard deviation (two degrees of freedom used) of log annual battle deaths (resumed conflicts are mostly small, a few are wars)")
    civilian_per_battle_death_at_war: Param = P(0.67, "reasoning: in UCDP's aggregates one-sided killing of civilians runs at roughly half to two-thirds of state-based battle deaths in African civil wars; the old 0.6/0.4 split")
    violence_index_scale: Param = P(1.0, "reasoning: 1 death per 100,000 a month is a high level for a post-war society (homicide rates 10-40 per 100,000 a year)")

    # 2a. what the mission's troops, police and observers do (endstate.model.peacekeeping)
    pk_battle_per_1000_troops: Param = P(0.131, "Hultman, Kathman & Shannon 2014 (APSR): about 22 battle deaths a conflict-month without UN troops, about 6 with 10,000 (0.27 of the level): ln(1/0.27)/10 per 1,000 troops in their log-linear count model", 0.05, 0.3)
    pk_civilian_per_1000_troops: Param = P(0.496, "Hultman, Kathman & Shannon 2013 (AJPS): civilian killings about 106 a month without UN troops, under 2 with 8,000: ln(106/2)/8 per 1,000 troops", 0.2, 1.0)
    pk_civilian_per_100_police: Param = P(0.963, "Hultman, Kathman & Shannon 2013: about 96 civilians killed a month without UN police, about 14 with 200, near zero with 500: ln(96/14)/2 per 100 police", 0.3, 2.0)
    pk_civilian_per_100_observers: Param = P(0.05, "Hultman, Kathman & Shannon 2013: observers alone were associated with more civilian killing; the sign is theirs, the size (5% more per 100 observers) a stated assumption", 0.0, 0.3)
    pk_reference_fighters: Param = P(5000.0, "reasoning: the rebel forces of the African civil wars in HKS's samples numbered from hundreds to about ten thousand (UCDP Non-State Actor data); a force facing more fighters than this is diluted in proportion")
    pk_reference_coherence: Param = P(0.75, "the committee command of the UN missions the HKS and Fortna studies measured (coherence_committee): a lead state's more coherent command does more with the same troops")
    pk_deterrence_scale: Param = P(5000.0, "reasoning: deterrence saturates over thousands of troops: a typical multidimensional mission (about 6,400 uniformed personnel, IPI) reaches D = 0.7, Kathman & Benson's 10,000 troops 0.87", 1000.0, 20000.0)
    pk_deterrence_police_weight: Param = P(1.0, "reasoning: formed police units deter as troops do; HKS found police and observers did not cut battle deaths, which the violence coefficients carry")
    pk_deterrence_observer_weight: Param = P(0.0, "Doyle & Sambanis 2000, 2006: observer missions show little effect on peacebuilding success; unarmed observers deter nothing")
    pk_relapse_effect: Param = P(1.1, "Fortna 2008; Doyle & Sambanis 2006; Gilligan & Sergenti 2008: peacekeeping cuts the hazard of renewed war by half or more; exp(-1.1 * 0.7) = 0.46 for a typical multidimensional mission; fitted by endstate calibrate", 0.0, 3.0)
    pk_termination_effect: Param = P(0.8, "Kathman & Benson 2019 (JCR, 'Cut Short?'): UN forces of about 10,000 troops significantly raise the chance that a civil war ends in a negotiated settlement; exp(0.8 * 0.87) = 2 at that size, the doubling a stated assumption", 0.0, 2.0)

    # 3. relapse to war
    relapse_base_settlement: Param = P(0.006, "calibrated: about 40% of post-conflict countries relapse within a decade (Collier, Hoeffler & Soderbom 2008); fitted by endstate calibrate", 0.001, 0.15)
    relapse_base_truce: Param = P(0.011, "Fortna 2004; Kreutz 2010: ceasefires and low-activity ends recur more often than agreements; fitted by endstate calibrate", 0.001, 0.2)
    relapse_base_victory: Param = P(0.0045, "Toft 2010; Kreutz 2010: victories recur least; fitted by endstate calibrate", 0.0005, 0.15)
    relapse_time_decay: Param = P(0.5, "Collier et al. 2008; Walter 2004: risk is highest in the first years after the war and falls with time; fitted by endstate calibrate", 0.1, 1.5)
    relapse_log_deaths: Param = P(0.10, "Doyle & Sambanis 2000: more deaths, less peacebuilding success; fitted by endstate calibrate", -0.5, 0.8)
    relapse_log_duration: Param = P(-0.15, "Fortna 2004; Doyle & Sambanis 2000: longer wars end in more durable peace", -0.5, 0.1)
    relapse_identity: Param = P(0.25, "Doyle & Sambanis 2000: identity wars are harder to end for good", -0.2, 0.6)
    relapse_prior_relapses: Param = P(0.2, "Collier et al. 2003, Breaking the Conflict Trap; Walter 2011 (WDR background paper: 90% of the 2000s' civil wars were in countries with an earlier one): a country whose peace has failed before relapses more; per log(1 + earlier failed peaces), 0.2 a stated prior (hazard ratio 1.15 after one, 1.32 after three); fitted by endstate calibrate", -0.5, 1.5)
    relapse_spoilers: Param = P(0.6, "Stedman 1997: spoilers are the main threat to peace processes; per log of (1 + fighters per 1,000)", 0.0, 1.5)
    relapse_coverage: Param = P(1.2, "Collier et al. 2008; Fortna 2008: peacekeeping cuts relapse risk substantially; per unit coverage", 0.0, 3.0)
    relapse_violence: Param = P(0.5, "reasoning: ongoing killing escalates; per unit violence index", 0.0, 1.5)
    relapse_legitimacy: Param = P(1.0, "reasoning and Walter 2015: legitimate, inclusive governments see less recurrence; per unit legitimacy above 0.5", 0.0, 2.0)

    # 4. spoilers
    spoiler_recruitment: Param = P(0.04, "reasoning: grievance-driven recruitment can double an armed group in about two years", 0.0, 0.15)
    spoiler_pressure_loss: Param = P(0.05, "reasoning: full coverage disperses or demobilises about 5% of fighters a month", 0.0, 0.2)
    spoiler_arrest_rate: Param = P(0.03, "reasoning: full coverage arrests about 3% of fighters a month", 0.0, 0.1)
    spoiler_inclusion_loss: Param = P(0.02, "reasoning: regional autonomy draws about 2% of fighters a month into politics (Marten 2004 on tolerated regional authorities)", 0.0, 0.1)
    fighters_per_weapon_inflow: Param = P(0.3, "reasoning: a third of smuggled weapons arrive with a fighter")
    spoiler_shock_sigma: Param = P(0.15, "reasoning: month-to-month swings of a tenth or more in armed group size")
    release_return_share: Param = P(0.7, "reasoning: most of those released without trial rejoin their group")
    spoiler_cap_per_1000: Param = P(30.0, "reasoning: armed groups seldom exceed 3% of a population")

    # 5. borders
    border_control_effect: Param = P(0.8, "reasoning: even a sealed border leaks a fifth of smuggling (sea, corruption)")
    border_personnel_scale: Param = P(2000.0, "reasoning: about 2,000 border personnel hold a whole porous land border of a small country (East Timor 1999-2002 had 2 battalions on 150 km)")
    arms_decay: Param = P(0.02, "reasoning: weapons are lost, sold on or handed in at about 2% a month")
    arms_seizure_rate: Param = P(0.03, "reasoning: full coverage seizes about 3% of caches a month")

    # 6. domestic security force
    trainees_per_trainer_month: Param = P(0.6, "Liberia: about 3,500 police trained in two years with a few hundred trainers (UNMIL reports 2005-07)", 0.1, 2.0)
    domestic_self_training: Param = P(0.01, "reasoning: a host academy without mentors adds about 1% of the force a month")
    training_months: Param = P(9.0, "Liberia's new police: first recruits deployed after about nine months (press 2005)")
    recruitment_rate: Param = P(0.1, "reasoning: a tenth of the remaining gap to the target is filled a month when recruits are plentiful")
    attrition_base: Param = P(0.008, "reasoning: about 10% of a force leaves each year in peace")
    attrition_violence: Param = P(0.03, "reasoning: desertion and deaths rise sharply under violence")
    attrition_pay: Param = P(0.01, "reasoning: unpaid personnel leave")
    mentoring_gain: Param = P(
        0.00165,
        "WDR 2011 Box 3.6 (Pritchett & de Weijer 2010): the fastest 20 reformers of the 20th century took 17 years to get the "
        "military out of politics (the fastest ever 10); derived: a fully mentored force goes from the post-war baseline 0.3 to "
        "the handover benchmark 0.5 in 17 years, gain = ln(0.7 / 0.5) / 204 months; range: the fastest ever (10 years, 0.0028) "
        "to the fastest 20's bureaucratic quality (20 years, 0.0014)",
        0.0014,
        0.0028,
    )
    quality_decay: Param = P(
        0.01,
        "reasoning: skills mentored above the host academy's own standard (graduate_quality) fade without mentors; what the "
        "host's institutions teach themselves does not",
    )
    graduate_quality: Param = P(0.5, "reasoning: new graduates are half-ready")
    loyalty_base: Param = P(0.3, "reasoning: a post-war force keeps some loyalty to the state it serves whatever its pay and the government's standing")
    loyalty_pay: Param = P(0.4, "reasoning: unpaid soldiers and police defect, sell arms or prey on civilians (Liberia, DRC): pay is the largest part of loyalty")
    loyalty_legitimacy: Param = P(0.3, "reasoning: forces follow a government that looks legitimate and like winning")

    # 7. justice chain
    places_per_engineer_month: Param = P(0.05, "reasoning: 100 engineers add about 5 detention places a month")
    trials_per_adviser_month: Param = P(0.2, "reasoning: each international justice adviser supports about one trial in five months")
    justice_smoothing: Param = P(0.2, "reasoning: the processing indicator is a five-month moving share")

    # 8. humanitarian access
    raid_rate: Param = P(0.5, "reasoning: unprotected convoys in areas with 5 fighters per 1,000 lose about half their loads")
    convoy_scale_per_1000: Param = P(1.0, "reasoning: one escort per 1,000 inhabitants protects most convoys")
    patrol_escort_share: Param = P(0.3, "reasoning: patrols and guards on the roads protect convoys passing through at about a third of the effect of dedicated escorts")

    # 9. legitimacy
    legitimacy_rate: Param = P(0.08, "reasoning: legitimacy adjusts over about a year")
    legitimacy_security: Param = P(0.25, "reasoning: security is the first service a government is judged on")
    legitimacy_services: Param = P(0.15, "reasoning: aid delivered and rebuilding raise authority")
    legitimacy_violence: Param = P(0.35, "reasoning: visible killing discredits the government")
    legitimacy_creature: Param = P(0.1, "Marten 2004: a government seen as one outside state's creature loses standing")
    legitimacy_override: Param = P(0.05, "Marten 2004: outsiders overriding decisions (per transformation goal) erode authority")
    legitimacy_sigma: Param = P(0.01, "reasoning: small monthly swings in opinion")

    # 10. public order
    riot_rate_per_100k: Param = P(0.3, "reasoning: a tense post-war town of 100,000 sees a riot every few months")
    riot_policy_shock: Param = P(0.5, "Marten 2004: new policies that hurt old interests bring riots; per transformation goal pushed")
    riot_capacity_scale: Param = P(50.0, "reasoning: about 50 riot-trained personnel contain one riot")
    untrained_riot_share: Param = P(0.25, "reasoning: troops without riot gear or training count a quarter")
    deaths_per_uncontained_riot: Param = P(1.5, "reasoning: troops that fire on a crowd kill one or two")
    riot_tension: Param = P(0.01, "reasoning: each uncontained riot raises local tension")
    domestic_riot_share: Param = P(0.5, "reasoning: about half the domestic force is police who meet riots, weighted by its quality")

    # 11. casualties and cost
    accident_fatality_rate: Param = P(0.00008, "UN peacekeeping fatalities 1990-2014: about 1 per 1,000 personnel a year from accidents and illness")
    training_cost_per_trainee: Param = P(500.0, "reasoning: pay, kit and food of a police recruit, US$ a month")

    # 12. contributor tolerance
    tolerance_per_tenfold_deaths: Param = P(0.3, "Mueller 1973: support fell about 15 points per tenfold rise in casualties (Korea, Vietnam); 0.3 at the middle sensitivity 0.5", 0.1, 0.6)
    tolerance_per_tenfold_cost: Param = P(0.05, "reasoning: spending weighs less than deaths in opinion polls on interventions (Gelpi, Feaver & Reifler 2006); per tenfold rise in US$ bn spent")
    tolerance_forgetting: Param = P(0.02, "reasoning: remembered losses halve in about three years of quiet")
    unexplained_multiplier: Param = P(2.0, "Marten 2004; Gelpi et al. 2006: publics tolerate casualties for a clear, explained purpose")
    weak_interest_multiplier: Param = P(1.5, "Marten 2004: contributors without a stake in the outcome leave sooner")
    committee_quorum: Param = P(0.4, "reasoning: a committee mission ends when less than 40% of its personnel remain")

    # 13. host consent
    consent_initial: Param = P(0.8, "reasoning: missions start with the host's agreement")
    consent_rate: Param = P(0.05, "reasoning: consent moves over about two years")
    consent_threat: Param = P(0.3, "reasoning: a host facing armed threat wants the mission")
    consent_intrusion: Param = P(0.08, "Marten 2004; MINURCAT, UNMEE, MINUSMA: imposed goals wear consent; per transformation goal")
    consent_capability: Param = P(0.35, "reasoning: as its own force grows the host needs outsiders less")
    consent_sigma: Param = P(0.01, "reasoning: small political swings")

    # 14. command coherence
    coherence_lead_state: Param = P(0.95, "Marten 2004: a lead state commands coherently")
    coherence_committee: Param = P(0.75, "Marten 2004; Durch 2010: command by committee brings slippage and mixed messages")
    coherence_per_contributor: Param = P(0.02, "reasoning: each extra contributor adds friction")
    coherence_caveats: Param = P(0.3, "reasoning: per share of personnel under caveats")
    coherence_abstract_goals: Param = P(0.03, "reasoning: per transformation goal, more to agree on")
    coherence_floor: Param = P(0.3, "reasoning: even the most divided command keeps some coordination (troops still patrol where posted); the lowest coherence is about a third of a lead state's")

    # 15. transformation
    transformation_rate: Param = P(0.004, "V-Dem: post-war polyarchy rises by a few hundredths a year at best; 0.004 a month at full push and security gives about 0.03 a year from 0.2; calibrated to V-Dem by endstate calibrate", 0.0, 0.05)
    transformation_drift: Param = P(0.2, "reasoning: unpushed indicators move at a fifth of the pushed rate; calibrated to V-Dem by endstate calibrate", 0.0, 1.0)
    transformation_tension: Param = P(0.1, "Marten 2004: forced integration and returns raise tension in divided areas")

    # 16. elections
    election_hazard_ratio: Param = P(1.3, "Brancati & Snyder 2013 find early elections raise relapse risk; Collier et al. 2008 find no systematic effect; a middle value", 1.0, 2.0)
    election_window_months: Param = P(6.0, "reasoning: the campaign and the months after the vote")
    election_early_years: Param = P(5.0, "Brancati & Snyder 2013: the effect concerns elections in the first years after war")

    # money: the programme budget buys services the government is credited with (mechanism 9)
    programme_legitimacy: Param = P(0.2, "reasoning: services paid by the mission's programme budget (salaries, reconstruction, basic services) raise the government's standing; the size is a stated assumption, checked against Collier, Hoeffler & Soderbom 2008 (doubling peacekeeping spending cuts decade relapse from 40% to 31%) by endstate evidence", 0.0, 0.5)
    programme_scale_per_capita: Param = P(20.0, "reasoning: US$20 per inhabitant a year buys about two thirds of the services effect (post-conflict aid ran at tens of US$ per capita a year, OECD DAC)", 5.0, 100.0)

    # dynamics of tension and grievance
    tension_rate: Param = P(0.05, "reasoning: tension adjusts over about two years")
    grievance_rate: Param = P(0.1, "reasoning: grievances adjust over about a year")

    # --- how missions end (issue 10): hostile fatalities, the host's sovereignty cost, collapse ---
    hostile_deaths_per_battle_death: Param = P(
        0.025,
        "derived from published figures of five operations: hostile deaths of foreign personnel per person-month, over targeting "
        "and UCDP battle deaths per 1,000 inhabitants a month, gave 0.042 (Iraq 2004-07, about 850 coalition dead a year among "
        "160,000, 4,000 battle deaths a year, 25 million people, targeting 0.8), 0.024 (Afghanistan 2010: 710 of 130,000, about "
        "8,000, 28 million), 0.016 (Somalia 1993: about 100 of 28,000, about 2,000, 7 million), 0.020 (Mali 2013-22: about 18 "
        "UN dead a year by malicious acts of 13,000, about 1,500, 17 million) and 0.04 (East Timor 1999-2002: a handful among "
        "9,000, targeting 0.05); their geometric mean, about 0.025 (icasualties.org; UN DPO fatality statistics; UCDP)",
        0.015,
        0.045,
    )
    tolerance_deaths_absorbed: Param = P(
        20.0,
        "Larson 1996 (RAND, Casualties and Consensus): Panama's 23 and the Gulf War's 148 US combat deaths left support near its "
        "start, and Mueller's tenfold law was fitted on wars already past hundreds of deaths; deaths therefore count in units "
        "of 20, so the first few move opinion little while Somalia's 18 on 3-4 October 1993 weigh fully for a mission whose "
        "purpose was not explained",
        1.0,
        100.0,
    )
    consent_sovereignty: Param = P(
        0.5,
        "reasoning after Sebastian & Gorur 2018 (Stimson Center, host-state consent) and Johnstone 2011: a capable host's consent "
        "erodes over a mission's life; at full capability, a plain presence and three years on its soil this costs about 0.1 of "
        "consent, enough with its own force and a fading threat to ask the mission to leave (Chad 2010, Eritrea 2008, Mali 2023)",
        0.0,
        1.0,
    )
    consent_sovereignty_months: Param = P(
        36.0,
        "reasoning: the sovereignty cost reaches half its full size after three years of presence (Chad asked MINURCAT to leave "
        "after 28 months, Eritrea UNMEE after about 90, Mali MINUSMA after 120)",
        12.0,
        120.0,
    )
    adviser_court_multiple: Param = P(
        2.0,
        "reasoning: international justice advisers mentor judges, prosecutors and clerks but do not sit in the host's courts; "
        "at most they triple what those courts try (UNTAET's Special Panels, with international judges, tried fewer than 100 "
        "serious-crimes cases in 2000-05 while the destroyed district courts were rebuilt; Strohmeyer 2001)",
        0.5,
        5.0,
    )
    pk_reference_targeting: Param = P(
        0.3,
        "the usual UN theatre (the spec's default targeting_of_foreign_forces): the missions Hultman, Kathman & Shannon, "
        "Fortna and Kathman & Benson measured were attacked now and then but seldom a party to the war; only targeting "
        "beyond this takes a share of the fighting out of the force's reach (Fjelde, Hultman & Lindberg 2016)",
        0.1,
        0.5,
    )
    collapse_overrun_ratio: Param = P(
        10.0,
        "reasoning: a mission outnumbered more than tenfold by fighters at war can neither patrol nor protect itself "
        "(UNAVEM II: about 400 observers against well over 50,000 fighters in 1992; UNAMIR 1994); UNOSOM II (about 1:1) "
        "and UNAMSIL in May 2000 (about 1:2) were not overrun and stayed",
        3.0,
        30.0,
    )

    party_recruitment: Param = P(
        1.0,
        "reasoning: a foreign force that is wholly a party (targeting 1) recruits by its raids, arrests and the harm "
        "around them as many fighters as they take out, so that pressure alone neither wins nor loses (Lyall, Blair & "
        "Imai 2013: ISAF-inflicted harm raised Taliban support; Condra & Shapiro 2012: coalition-caused civilian "
        "casualties were followed by more insurgent attacks in Iraq; Berman, Shapiro & Felter 2011: troop numbers alone "
        "did not lower violence); 0 for the usual UN theatre, where the party share is 0",
        0.0,
        2.0,
    )
    ddr_reintegration_failure: Param = P(
        0.1,
        "reasoning: most of those a DDR programme disarms stay out of the armed groups (Sierra Leone: 56,751 of 69,463 "
        "discharged registered for reintegration by Oct 2002 and violence did not rise as they returned, Ginifer 2003, ISS "
        "Monograph 80; Humphreys & Weinstein 2007: programme participation did not by itself ease reintegration, and "
        "ideologues and young men kept ties to their factions); some rejoined fighting across the region (Human Rights "
        "Watch 2005, 'Youth, Poverty and Blood'): a tenth",
        0.0,
        0.3,
    )
    ddr_reintegration_months: Param = P(
        12.0,
        "UN IDDRS 2006 (module 4.30): reintegration support of about a year after demobilisation; Sierra Leone's "
        "skills training of 6-12 months (Ginifer 2003)",
        6.0,
        36.0,
    )

    party_battle_per_fighter: Param = P(
        0.02,
        "UCDP battle deaths against insurgent strength where a foreign force was a party: Afghanistan 2010, 7,029 battle "
        "deaths (UCDP dyadic) with 25,000-36,000 Taliban (ISAF estimates), 0.019 a fighter a month; 2006, 4,734 with about "
        "10,000, 0.04; Iraq 2005-06, 2,608-3,923 with about 20,000 insurgents (US estimates), 0.011-0.016; about 0.02 a "
        "month per unchecked armed fighter whose fighting is aimed at the force, against 0.0001 for armed hold-outs in peace",
        0.01,
        0.04,
    )

    def v(self, name: str) -> float:
        return float(getattr(self, name).value)

    def with_values(self, **values: float) -> Parameters:
        """A copy with some values replaced (sources kept, marked as changed)."""
        out: dict[str, Param] = {}
        for k, val in values.items():
            old: Param = getattr(self, k)
            out[k] = replace(old, value=float(val))
        return replace(self, **out)

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]


DEFAULTS = Parameters()


def load_parameters() -> Parameters:
    """Defaults with the committed calibration laid over them, when there is one."""
    try:
        text = resources.files("endstate.model").joinpath("calibrated.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return DEFAULTS
    data = json.loads(text)
    return DEFAULTS.with_values(**{k: v for k, v in data.get("values", {}).items() if k in DEFAULTS.names()})
