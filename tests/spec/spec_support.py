"""What the spec tests share: the shipped spec files, a small base spec, text helpers.

``BASE`` is written in block style, one field per line, so that a test can
break one field and check the exact line a problem is reported on.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
TEMPLATES = sorted((REPO / "src" / "endstate" / "spec" / "templates").glob("*.yaml"))
SPEC_FILES = EXAMPLES + TEMPLATES

BASE = """\
schema_version: 1
mission:
  name: Test mission
  host_country: Testland
  iso3: TST
  start_date: 2030-01-01
theatre:
  population: 1000000
  regions:
    - id: north
      name: North
      population_share: 0.6
      tension: 0.5
      border_exposure: 1.0
    - id: south
      name: South
      population_share: 0.4
      tension:
        low: 0.2
        high: 0.4
      border_exposure: 0.0
understanding:
  war_outcome: settlement
  war_deaths: 10000
  war_duration_years: 2
  identity_war: false
  spoilers:
    - name: Front
      strength: 1000
      regions:
        - north
  arms_inflow: 50
  police:
    size: 1000
  army:
    size: 2000
  legitimacy: 0.5
  humanitarian_need: 0.3
force:
  command: lead_state
  lead: alpha
  contributors:
    - id: alpha
      name: Alpha
      troops: 1000
      cost_per_person_month: 10000
    - id: beta
      name: Beta
      troops: 500
      police: 100
      cost_per_person_month: 5000
      caveats:
        tasks:
          - border_control
        regions:
          - north
resources:
  budget_per_year: 1000000
  expenditure_ceiling: 100000000
  personnel_ceiling: 2000
tasks:
  assignments:
    - contributor: alpha
      task: border_control
      region: north
      personnel: 600
    - contributor: beta
      task: presence_patrol
      region: south
      personnel: 500
goals:
  - id: calm
    kind: security
    indicator: violence_per_100k
    comparator: "<"
    threshold: 0.5
  - id: north_calm
    kind: security
    indicator: tension
    comparator: "<"
    threshold: 0.3
    scope: region
    region: north
exit:
  strategy: hybrid
  end_date: 2035-01-01
  handover:
    - name: everything
      tasks:
        - border_control
        - presence_patrol
      when:
        - calm
  triggers:
    deadline:
      action: withdraw
    expenditure_ceiling:
      within_months: 6
    host_consent:
      floor: 0.2
politics:
  elections:
    - 2031-06-01
strategies:
  - name: calendar
    overrides:
      exit:
        strategy: end_date
        handover: []
"""


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only occurrence of ``needle`` in ``text``."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    return text[: text.index(needle)].count("\n") + 1


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the only occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)
