"""Small simulated results for the report tests: the example's named strategies, 300 paired runs each."""

from __future__ import annotations

import pytest

from endstate.engine.runner import Results, simulate
from endstate.spec import load_spec, strategy_specs

HORIZON = 60  # short enough that some runs are still running at the horizon


@pytest.fixture
def horizon() -> int:
    return HORIZON


@pytest.fixture(scope="session")
def strategy_results(request) -> dict[str, Results]:
    example = request.config.rootpath / "examples" / "east_timor_1999_lead_state.yaml"
    specs = strategy_specs(load_spec(example))
    specs.pop("baseline")
    return {name: simulate(spec, runs=300, seed=1, horizon=HORIZON) for name, spec in specs.items()}
