"""Every option string endstate knows, in one place.

Spec, model, exits, engine and reports all import these aliases, so a task name,
exit reason or indicator is spelt the same everywhere (the xarray habit of one
``types`` module of ``Literal`` aliases).
"""

from __future__ import annotations

from typing import Literal, get_args

WarOutcome = Literal["victory", "settlement", "truce"]
WAR_OUTCOMES: tuple[str, ...] = get_args(WarOutcome)

CommandStructure = Literal["lead_state", "committee"]

Task = Literal[
    "border_control",
    "convoy_protection",
    "public_order",
    "key_site_guard",
    "presence_patrol",
    "constabulary_training",
    "justice_support",
    "infrastructure",
]
TASKS: tuple[str, ...] = get_args(Task)

# Capabilities a contributor can bring: every task, plus riot control, which
# decides how a public-order deployment meets a riot (mechanism 10).
Capability = Literal[
    "border_control",
    "convoy_protection",
    "public_order",
    "key_site_guard",
    "presence_patrol",
    "constabulary_training",
    "justice_support",
    "infrastructure",
    "riot_control",
]
CAPABILITIES: tuple[str, ...] = get_args(Capability)

AllocationPolicy = Literal["reallocate_to_hotspots", "static"]

GoalKind = Literal["security", "transformation"]

Comparator = Literal["<", "<=", ">", ">="]
COMPARATORS: tuple[str, ...] = get_args(Comparator)

ExitStrategyKind = Literal["end_state", "end_date", "hybrid"]

TriggerKind = Literal["deadline", "expenditure_ceiling", "contributor_tolerance", "host_consent"]
TriggerAction = Literal["orderly_drawdown", "withdraw"]

ExitReason = Literal[
    "thresholds_met",
    "deadline",
    "budget",
    "contributor_tolerance",
    "host_consent",
    "collapse",
    "running",
]
EXIT_REASONS: tuple[str, ...] = get_args(ExitReason)

MissionType = Literal["none", "political", "observer", "traditional", "multidimensional", "enforcement"]
MISSION_TYPES: tuple[str, ...] = get_args(MissionType)

MissionOrg = Literal["none", "un", "regional", "lead_state"]
MISSION_ORGS: tuple[str, ...] = get_args(MissionOrg)

Scope = Literal["country", "region"]

# The model's indicators that goals may test.  Each entry: (unit, meaning).
# Region-scoped goals read the per-region value; country-scoped ones the
# population-weighted (or summed, for counts) country value.
INDICATORS: dict[str, tuple[str, str]] = {
    "battle_deaths": ("deaths per month", "battle-related deaths in the month"),
    "civilian_deaths": ("deaths per month", "civilians killed in the month"),
    "violence_per_100k": ("deaths per 100,000 per month", "battle and civilian deaths per 100,000 inhabitants"),
    "spoiler_strength": ("fighters", "armed spoiler fighters active"),
    "arms_inflow": ("weapons per month", "weapons crossing the border into the area"),
    "tension": ("0-1", "inter-group tension"),
    "riots": ("riots per month", "riots breaking out in the month"),
    "domestic_force_per_1000": ("personnel per 1,000", "trained domestic police and army per 1,000 inhabitants"),
    "domestic_force_quality": ("0-1", "quality of the trained domestic force"),
    "domestic_force_loyalty": ("0-1", "loyalty of the domestic force to the government"),
    "security_coverage": ("0-1", "effective security coverage (international plus domestic)"),
    "justice_processing": ("0-1", "court throughput: the month's trials against its arrests (at most 1), smoothed over about five months"),
    "aid_access": ("0-1", "share of humanitarian aid that is delivered"),
    "legitimacy": ("0-1", "government authority and legitimacy"),
    "host_consent": ("0-1", "host government's consent to the mission"),
    "electoral_democracy": ("0-1", "electoral democracy index (V-Dem polyarchy scale)"),
    "institutional_integration": ("0-1", "integration of former warring groups in state institutions"),
    "minority_returns": ("0-1", "share of displaced minorities returned"),
    "disarmed_share": ("0-1", "share of the DDR programme's planned caseload disarmed (0 without a programme)"),
}
Indicator = Literal[
    "battle_deaths",
    "civilian_deaths",
    "violence_per_100k",
    "spoiler_strength",
    "arms_inflow",
    "tension",
    "riots",
    "domestic_force_per_1000",
    "domestic_force_quality",
    "domestic_force_loyalty",
    "security_coverage",
    "justice_processing",
    "aid_access",
    "legitimacy",
    "host_consent",
    "electoral_democracy",
    "institutional_integration",
    "minority_returns",
    "disarmed_share",
]
assert set(get_args(Indicator)) == set(INDICATORS)

# Transformation indicators move slowly and are what "broad transformation
# goals" push (mechanism 15).
TRANSFORMATION_INDICATORS: tuple[str, ...] = ("electoral_democracy", "institutional_integration", "minority_returns")

# Exploring at scale (explore/): experimental designs, outcome directions and aggregations.
DesignMethod = Literal["lhs", "sobol", "morris", "full_factorial"]
DESIGN_METHODS: tuple[str, ...] = get_args(DesignMethod)

Direction = Literal["minimize", "maximize"]

Aggregation = Literal["mean", "median", "std", "min", "max", "q10", "q90"]
AGGREGATIONS: tuple[str, ...] = get_args(Aggregation)
