"""Every validation rule of the spec models, each reported with its field path and line.

Each case breaks one thing in the block-style base spec and names the field
path the problem must carry, a fragment of its message, and a piece of text
whose line the problem must point at.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from spec_support import BASE, edit, line_of

from endstate.spec import MissionSpec, validate_data

# (id, [(old, new), ...], field path, message fragment, text on the expected line)
FIELD_RULES = [
    ("unknown-key", [("  iso3: TST\n", "  iso3: TST\n  colour: blue\n")], "mission.colour", "unknown key 'colour'", "colour: blue"),
    ("unknown-key-did-you-mean", [("  iso3: TST", "  iso_3: TST")], "mission.iso_3", "unknown key 'iso_3'; did you mean 'iso3'?", "iso_3: TST"),
    ("missing-required", [("  host_country: Testland\n", "")], "mission.host_country", "required field is missing", "mission:"),
    ("wrong-type", [("  population: 1000000", "  population: many")], "theatre.population", "expected a number", "population: many"),
    ("negative", [("      troops: 1000", "      troops: -5")], "force.contributors[0].troops", "greater than or equal to 0", "troops: -5"),
    ("not-positive", [("      personnel: 600", "      personnel: 0")], "tasks.assignments[0].personnel", "greater than 0", "personnel: 0"),
    ("above-one", [("      border_exposure: 1.0", "      border_exposure: 1.5")], "theatre.regions[0].border_exposure", "less than or equal to 1", "border_exposure: 1.5"),
    ("id-pattern", [("  - id: calm\n", "  - id: calm down\n")], "goals[0].id", "should match pattern", "id: calm down"),
    ("id-too-long", [("  - name: calendar", "  - name: " + "x" * 65)], "strategies[0].name", "at most 64 characters", "x" * 65),
    ("empty-string", [("      name: Alpha", '      name: ""')], "force.contributors[0].name", "at least 1 character", 'name: ""'),
    ("iso3-pattern", [("  iso3: TST", "  iso3: tst")], "mission.iso3", "should match pattern '^[A-Z]{3}$'", "iso3: tst"),
    ("option-literal", [("  war_outcome: settlement", "  war_outcome: peace")], "understanding.war_outcome", "'victory', 'settlement' or 'truce'", "war_outcome: peace"),
    ("option-in-list", [("          - border_control\n", "          - riot_patrol\n")], "force.contributors[1].caveats.tasks[0]", "Input should be 'border_control'", "- riot_patrol"),
    ("int-range", [("  personnel_ceiling: 2000\n", "  personnel_ceiling: 2000\n  horizon_months: 0\n")], "resources.horizon_months", "greater than or equal to 1", "horizon_months: 0"),
    ("int-type", [("    threshold: 0.5\n", "    threshold: 0.5\n    sustain_months: 2.5\n")], "goals[0].sustain_months", "valid integer", "sustain_months: 2.5"),
    ("bool-for-number", [("      troops: 1000", "      troops: true")], "force.contributors[0].troops", "expected a number, not true/false", "troops: true"),
    ("nan", [("    threshold: 0.5", "    threshold: .nan")], "goals[0].threshold", "finite number", "threshold: .nan"),
    ("infinity", [("  budget_per_year: 1000000", "  budget_per_year: .inf")], "resources.budget_per_year", "finite number", "budget_per_year: .inf"),
    ("not-a-date", [("  start_date: 2030-01-01", "  start_date: someday")], "mission.start_date", "valid date", "start_date: someday"),
    ("number-for-date", [("  start_date: 2030-01-01", "  start_date: 2030")], "mission.start_date", "expected a date written as YYYY-MM-DD", "start_date: 2030"),
    ("list-too-short", [("      tasks:\n        - border_control\n        - presence_patrol\n", "      tasks: []\n")], "exit.handover[0].tasks", "at least 1 item", "tasks: []"),
    ("not-a-list", [("      regions:\n        - north\n", "      regions: north\n")], "understanding.spoilers[0].regions", "valid list", "regions: north"),
    ("schema-version", [("schema_version: 1", "schema_version: 2")], "schema_version", "Input should be 1", "schema_version: 2"),
    ("schema-version-bool", [("schema_version: 1", "schema_version: true")], "schema_version", "expected a number, not true/false", "schema_version: true"),
    ("sexagesimal-is-text", [("      troops: 1000", "      troops: 1:30:00")], "force.contributors[0].troops", "expected a number, not text ('1:30:00')", "troops: 1:30:00"),
    ("quoted-number-is-text", [("      troops: 1000", '      troops: "1000"')], "force.contributors[0].troops", "expected a number, not text ('1000')", 'troops: "1000"'),
    ("yes-is-not-a-bool", [("  identity_war: false", "  identity_war: yes")], "understanding.identity_war", "expected true or false (got 'yes')", "identity_war: yes"),
    ("one-is-not-a-bool", [("  identity_war: false", "  identity_war: 1")], "understanding.identity_war", "expected true or false (got 1)", "identity_war: 1"),
    ("population-tiny", [("  population: 1000000", "  population: 1e-9")], "theatre.population", "must be at least 10,000 (got 1e-09): the smallest UN member states", "population: 1e-9"),
    ("population-huge", [("  population: 1000000", "  population: 9e9")], "theatre.population", "must be at most 2,000,000,000 (got 9,000,000,000): more people than any country has", "population: 9e9"),
    ("date-too-early", [("  start_date: 2030-01-01", "  start_date: 1500-01-01")], "mission.start_date", "1500-01-01 is out of range: dates must lie between 1900 and 2100", "start_date: 1500"),
    ("date-too-late", [("    - 2031-06-01", "    - 9999-06-01")], "politics.elections[0]", "9999-06-01 is out of range", "- 9999-06-01"),
    ("troops-huge", [("      troops: 1000", "      troops: 5e6")], "force.contributors[0].troops", "must be at most 1,000,000 (got 5,000,000): more than the largest multinational deployment", "troops: 5e6"),
    ("cost-huge", [("      cost_per_person_month: 10000", "      cost_per_person_month: 1e9")], "force.contributors[0].cost_per_person_month", "above the costliest deployment recorded", "cost_per_person_month: 1e9"),
    ("budget-huge", [("  budget_per_year: 1000000", "  budget_per_year: 1e300")], "resources.budget_per_year", "more US$ than the whole world spends", "budget_per_year: 1e300"),
    ("threshold-unit", [("    threshold: 0.3", "    threshold: 3")], "goals[1]", "threshold 3 is out of range: 'tension' is a 0-1 indicator", "  - id: north_calm"),
    ("threshold-negative", [("    threshold: 0.5", "    threshold: -1")], "goals[0]", "threshold -1 is out of range: 'violence_per_100k' counts", "  - id: calm"),
]

UNCERTAIN_RULES = [
    ("deaths-near-infinite", [("  war_deaths: 10000", "  war_deaths: {low: 1200, high: 1e308}")], "understanding.war_deaths", "must be at most 100,000,000 (got 1e+308): more deaths than the Second World War's", "war_deaths:"),
    ("war-years-huge", [("  war_duration_years: 2", "  war_duration_years: 500")], "understanding.war_duration_years", "longer than any war recorded", "war_duration_years: 500"),
    ("sd-wider-than-range", [("      tension: 0.5", "      tension: {dist: normal, mean: 0.5, sd: 5}")], "theatre.regions[0].tension", "sd 5 is wider than the whole range 0-1", "tension: {dist"),
    ("sigma-huge", [("      strength: 1000", "      strength: {dist: lognormal, median: 1000, sigma: 50}")], "understanding.spoilers[0].strength.sigma", "less than or equal to 3", "strength: {dist"),
    ("missing-parameter", [("        low: 0.2\n        high: 0.4\n", "        low: 0.2\n")], "theatre.regions[1].tension", "a uniform distribution needs high", "tension:\n"),
    ("low-above-high", [("        low: 0.2\n", "        low: 0.5\n")], "theatre.regions[1].tension", "low (0.5) is above high (0.4)", "tension:\n"),
    ("out-of-bounds", [("      tension: 0.5", "      tension: 1.5")], "theatre.regions[0].tension", "must be at most 1 (got 1.5)", "tension: 1.5"),
    ("below-bounds", [("  arms_inflow: 50", "  arms_inflow: {low: -5, high: 5}")], "understanding.arms_inflow", "must be at least 0 (got -5)", "arms_inflow: {"),
    ("not-positive", [("  war_duration_years: 2", "  war_duration_years: 0")], "understanding.war_duration_years", "must be above 0 (got 0)", "war_duration_years: 0"),
    ("triangular-mode", [("      tension: 0.5", "      tension: {dist: triangular, low: 0.2, mode: 0.9, high: 0.4}")], "theatre.regions[0].tension", "triangular mode must lie between low and high", "dist: triangular"),
    ("negative-sd", [("      tension: 0.5", "      tension: {dist: normal, mean: 0.5, sd: -1}")], "theatre.regions[0].tension.sd", "greater than or equal to 0", "dist: normal"),
    ("unknown-dist", [("      tension: 0.5", "      tension: {dist: poisson, value: 1}")], "theatre.regions[0].tension.dist", "Input should be 'point', 'uniform'", "dist: poisson"),
    ("unknown-parameter", [("        high: 0.4\n", "        high: 0.4\n        spread: 1\n")], "theatre.regions[1].tension.spread", "unknown key 'spread'", "spread: 1"),
    ("bool", [("      tension: 0.5", "      tension: true")], "theatre.regions[0].tension", "expected a number, not true/false", "tension: true"),
    ("bool-parameter", [("        high: 0.4\n", "        high: true\n")], "theatre.regions[1].tension", "high: expected a number, not true/false", "tension:\n"),
    ("text", [("      tension: 0.5", "      tension: high")], "theatre.regions[0].tension", "expected a number, not text ('high')", "tension: high"),
]

SECTION_RULES = [
    ("shares-sum-to-one", [("      population_share: 0.6", "      population_share: 0.7")], "theatre.regions", "region population shares sum to 1.1, not 1", "  regions:\n    - id: north"),
    ("duplicate-region-ids", [("    - id: south", "    - id: north")], "theatre.regions", "region ids repeat: north", "  regions:\n    - id: north"),
    ("tolerance-floor", [("      troops: 1000\n", "      troops: 1000\n      tolerance_floor: 0.9\n")], "force.contributors[0]", "tolerance_floor (0.9) must be below the initial tolerance (0.8)", "    - id: alpha"),
    ("duplicate-contributor-ids", [("    - id: beta", "    - id: alpha")], "force", "contributor ids repeat: alpha", "force:"),
    ("lead-missing", [("  lead: alpha\n", "")], "force", "a lead_state command needs 'lead'", "force:"),
    ("lead-unknown", [("  lead: alpha", "  lead: gamma")], "force", "lead 'gamma' is not one of the contributors (alpha, beta)", "force:"),
    ("indicator-did-you-mean", [("    indicator: tension", "    indicator: tensions")], "goals[1].indicator", "unknown indicator 'tensions' (did you mean 'tension'?)", "indicator: tensions"),
    ("indicator-unknown", [("    indicator: tension", "    indicator: zzz")], "goals[1].indicator", "unknown indicator 'zzz'; known: battle_deaths,", "indicator: zzz"),
    ("region-goal-without-region", [("    scope: region\n    region: north\n", "    scope: region\n")], "goals[1]", "a region-scoped goal needs 'region'", "  - id: north_calm"),
    ("country-goal-with-region", [("    scope: region\n", "")], "goals[1]", "a country-scoped goal takes no 'region'", "  - id: north_calm"),
]

CROSS_RULES = [
    ("deaths-above-population", [("  war_deaths: 10000", "  war_deaths: {low: 10000, high: 2000000}")], "understanding.war_deaths", "war_deaths (2,000,000) exceeds the population (1,000,000)", "war_deaths:"),
    ("fighters-above-population", [("      strength: 1000", "      strength: 5000000")], "understanding.spoilers[0].strength", "spoiler 'Front' strength (5,000,000) exceeds the population", "strength: 5000000"),
    ("forces-above-population", [("    size: 2000", "    size: 1999500")], "understanding.police.size", "police and army together (2,000,500) exceeds the population", "size: 1000"),
    ("region-too-small", [("      population_share: 0.6", "      population_share: 0.99999999"), ("      population_share: 0.4", "      population_share: 0.00000001")], "theatre.regions[1].population_share", "region 'south' would have 0.01 inhabitants; a region needs at least 100", "population_share: 0.00000001"),
    ("spoiler-region", [("      regions:\n        - north\n", "      regions:\n        - west\n")], "understanding.spoilers[0].regions[0]", "unknown region 'west'", "- west"),
    ("caveat-region", [("          - north\n", "          - west\n")], "force.contributors[1].caveats.regions[0]", "unknown region 'west'", "- west"),
    ("assignment-contributor", [("    - contributor: alpha", "    - contributor: gamma")], "tasks.assignments[0].contributor", "unknown contributor 'gamma'", "contributor: gamma"),
    ("assignment-region", [("      region: north\n", "      region: west\n")], "tasks.assignments[0].region", "unknown region 'west'", "region: west"),
    ("task-caveat", [("      task: presence_patrol", "      task: border_control\n      # beta")], "tasks.assignments[1].task", "beta refuses 'border_control' (a caveat)", "task: border_control\n      # beta"),
    ("region-caveat", [("      region: south", "      region: north\n      # beta")], "tasks.assignments[1].region", "beta refuses to serve in 'north' (a caveat)", "region: north\n      # beta"),
    ("region-caveat-all", [("      region: south", "      region: all")], "tasks.assignments[1].region", "beta refuses to serve in 'north' (a caveat), so it cannot be spread over 'all' regions", "region: all"),
    ("assigned-beyond-personnel", [("      personnel: 600", "      personnel: 1200")], "force.contributors[0]", "alpha is assigned 1200 personnel but has 1000", "    - id: alpha"),
    ("personnel-ceiling", [("  personnel_ceiling: 2000", "  personnel_ceiling: 1000")], "resources.personnel_ceiling", "assignments total 1100, above the ceiling 1000", "personnel_ceiling: 1000"),
    ("duplicate-goal-ids", [("  - id: north_calm", "  - id: calm")], "goals", "goal id 'calm' is used twice", "goals:\n"),
    ("goal-region", [("    scope: region\n    region: north\n", "    scope: region\n    region: west\n")], "goals[1].region", "unknown region 'west'", "region: west"),
    ("handover-task-nobody-performs", [("        - presence_patrol\n", "        - presence_patrol\n        - infrastructure\n")], "exit.handover[0].tasks[2]", "no contributor performs 'infrastructure', so it cannot be handed over", "- infrastructure"),
    ("handover-region", [("      when:\n", "      regions:\n        - west\n      when:\n")], "exit.handover[0].regions[0]", "unknown region 'west'", "- west"),
    ("handover-goal", [("        - calm\n", "        - calmer\n")], "exit.handover[0].when[0]", "unknown goal 'calmer'", "- calmer"),
    ("end-date-needed", [("  end_date: 2035-01-01\n", "")], "exit.end_date", "the 'hybrid' strategy needs an end_date", "exit:\n  strategy"),
    (
        "handover-needed",
        [("  strategy: hybrid", "  strategy: end_state"), ("  handover:\n    - name: everything\n      tasks:\n        - border_control\n        - presence_patrol\n      when:\n        - calm\n", "  handover: []\n")],
        "exit.handover",
        "the 'end_state' strategy needs handover phases tied to goals",
        "handover: []\n  triggers:",
    ),
    ("dates-ordered", [("  end_date: 2035-01-01", "  end_date: 2029-01-01")], "exit.end_date", "end_date must come after the mission start_date", "end_date: 2029"),
    ("host-consent-floor", [("    host_consent:\n      floor: 0.2\n", "    host_consent:\n      action: withdraw\n")], "exit.triggers.host_consent.floor", "the host_consent trigger needs a floor", "host_consent:"),
    ("expenditure-ceiling", [("  expenditure_ceiling: 100000000\n", "")], "resources.expenditure_ceiling", "the expenditure_ceiling trigger needs resources.expenditure_ceiling", "resources:"),
    ("deadline-needs-end-date", [("  strategy: hybrid\n  end_date: 2035-01-01\n", "  strategy: end_state\n")], "exit.triggers.deadline", "the deadline trigger needs exit.end_date", "deadline:"),
    (
        "training-before-start",
        [("  assignments:\n", "  constabulary_training_start: 2029-01-01\n  assignments:\n")],
        "tasks.constabulary_training_start",
        "training cannot start before the mission start_date",
        "constabulary_training_start: 2029",
    ),
    ("election-before-start", [("    - 2031-06-01", "    - 2029-06-01")], "politics.elections[0]", "election dates must not precede the mission start_date", "- 2029-06-01"),
    ("duplicate-strategy-names", [("        handover: []\n", "        handover: []\n  - name: calendar\n    overrides: {}\n")], "strategies", "strategy name 'calendar' is used twice", "strategies:"),
    ("baseline-reserved", [("  - name: calendar", "  - name: baseline")], "strategies[0].name", "'baseline' names the base spec itself", "name: baseline"),
]

ALL_RULES = FIELD_RULES + UNCERTAIN_RULES + SECTION_RULES + CROSS_RULES


def test_base_spec_is_valid() -> None:
    assert validate_data(__import__("yaml").safe_load(BASE)).mission.name == "Test mission"


@pytest.mark.parametrize(("edits", "path", "message", "anchor"), [pytest.param(*c[1:], id=c[0]) for c in ALL_RULES])
def test_rule_reported_with_path_message_and_line(problems_in, edits, path, message, anchor) -> None:
    text = BASE
    for old, new in edits:
        text = edit(text, old, new)
    problems = problems_in(text)
    hits = [p for p in problems if p.path == path]
    assert len(hits) == 1, f"expected one problem at {path}, got: {[str(p) for p in problems]}"
    p = hits[0]
    assert message in p.message
    assert p.line == line_of(text, anchor), str(p)
    assert p.file.endswith("spec.yaml")
    assert str(p).startswith(f"{p.file}:{p.line}:{p.column}: {path}: ")


def test_unknown_key_column_is_the_key(problems_in) -> None:
    text = edit(BASE, "  iso3: TST\n", "  iso3: TST\n  colour: blue\n")
    [p] = problems_in(text)
    assert (p.line, p.column) == (line_of(text, "colour"), 3)


def test_field_rules_are_isolated(problems_in) -> None:
    """A broken field is reported once, not echoed by rules that depend on it."""
    for case_id, edits, *_ in FIELD_RULES:
        text = BASE
        for old, new in edits:
            text = edit(text, old, new)
        assert len(problems_in(text)) == 1, case_id


def test_all_cross_section_problems_reported_at_once(problems_in) -> None:
    text = edit(BASE, "  lead: alpha", "  lead: alpha")
    text = edit(text, "      region: north\n", "      region: west\n")
    text = edit(text, "        - calm\n", "        - calmer\n")
    text = edit(text, "    - 2031-06-01", "    - 2029-06-01")
    paths = {p.path for p in problems_in(text)}
    assert {"tasks.assignments[0].region", "exit.handover[0].when[0]", "politics.elections[0]"} <= paths


def test_spec_built_in_code_runs_cross_checks(base_data) -> None:
    base_data["exit"]["end_date"] = "2029-01-01"
    base_data["politics"]["elections"] = ["2029-06-01"]
    with pytest.raises(ValidationError) as err:
        MissionSpec.model_validate(base_data)
    text = str(err.value)
    assert "exit.end_date: end_date must come after the mission start_date" in text
    assert "politics.elections.0: election dates must not precede" in text


def test_point_value_without_dist(base_data) -> None:
    base_data["theatre"]["regions"][0]["tension"] = {"value": 0.4}
    spec = validate_data(base_data)
    assert spec.theatre.regions[0].tension.is_point
    assert spec.theatre.regions[0].tension.central() == 0.4


def test_yaml_exponent_numbers_are_numbers(problems_in, tmp_path) -> None:
    """PyYAML reads 2.5e8 as text; specs read it as a number, as YAML 1.2 and TOML do."""
    from endstate.spec import load_spec

    path = tmp_path / "spec.yaml"
    path.write_text(edit(BASE, "  budget_per_year: 1000000", "  budget_per_year: 2.5e8"), encoding="utf-8")
    assert load_spec(path).resources.budget_per_year == 2.5e8


def test_accessors(base_data) -> None:
    spec = validate_data(base_data)
    assert spec.region_ids == ["north", "south"]
    assert spec.contributor_ids == ["alpha", "beta"]
    assert spec.month_of(spec.exit.end_date) == 60
    assert spec.transformation_goal_count == 0
