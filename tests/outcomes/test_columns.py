"""Every column the engine writes is defined, and every definition is written."""

from __future__ import annotations

from pathlib import Path

from endstate.engine.runner import simulate
from endstate.outcomes.columns import EVENT_COLUMNS, OUTCOME_COLUMNS
from endstate.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def test_the_engine_writes_exactly_the_defined_columns() -> None:
    res = simulate(load_spec(EXAMPLE), 8, seed=1, series_runs=0)
    assert list(res.outcomes.columns) == list(OUTCOME_COLUMNS)
    assert list(res.events.columns) == list(EVENT_COLUMNS)
    assert all(text.strip() for text in (*OUTCOME_COLUMNS.values(), *EVENT_COLUMNS.values()))
