"""Mechanism 14, command coherence: lead state against committee, contributors, caveats and abstract goals."""

from __future__ import annotations

import math
from pathlib import Path

from endstate.model.coherence import CoherenceParams, coherence
from endstate.model.params import DEFAULTS
from endstate.model.scenario import compile_spec
from endstate.model.state import values
from endstate.spec import load_spec, strategy_specs

V = DEFAULTS.v
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def coh(base="lead_state", n=4, caveats=0.25, goals=0):
    b = V("coherence_lead_state") if base == "lead_state" else V("coherence_committee")
    p = CoherenceParams.of(values(DEFAULTS))
    p = p._replace(lead_state=b, committee=b)  # the base under test, whichever command
    return coherence(True, n, caveats, goals, p)


def test_example_lead_state_by_hand():
    assert math.isclose(coh(), 0.95 - 0.02 * 3 - 0.3 * 0.25)  # 0.815


def test_committee_is_lower_by_the_difference_of_bases():
    assert math.isclose(coh() - coh("committee"), V("coherence_lead_state") - V("coherence_committee"))


def test_contributors_caveats_and_abstract_goals_each_cost_coherence():
    assert math.isclose(coh(n=5) - coh(n=6), V("coherence_per_contributor"))
    assert math.isclose(coh(caveats=0.0) - coh(caveats=0.5), V("coherence_caveats") * 0.5)
    assert math.isclose(coh(goals=0) - coh(goals=2), V("coherence_abstract_goals") * 2)
    assert coh(n=1, caveats=0.0) == V("coherence_lead_state")
    assert coh(n=0, caveats=0.0) == V("coherence_lead_state")  # no one present: no friction term


def test_bounded_below_and_above():
    assert coh("committee", n=30, caveats=1.0, goals=5) == 0.3


def test_the_example_strategies_compile_to_the_expected_inputs():
    specs = strategy_specs(load_spec(EXAMPLE))
    lead = compile_spec(specs["security_keeping"])
    committee = compile_spec(specs["committee_transformation"])
    assert lead.lead_state and lead.caveat_share == 2500 / 10_000
    assert not committee.lead_state and committee.n_transformation_goals == 2
    assert coh("committee", 4, committee.caveat_share, 2) < coh("lead_state", 4, lead.caveat_share, 0)
