"""Small sweeps written by the tests, over the example spec."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "examples" / "east_timor_1999_lead_state.yaml"

TINY = f"""schema_version: 1
spec: {SPEC}
seed: 5
runs_per_point: 8
design: {{method: lhs, points: 5}}
uncertainties:
  - {{name: militia_strength, path: "understanding.spoilers[0].strength", low: 300, high: 5000}}
  - {{name: relapse_coverage, parameter: relapse_coverage}}
levers:
  - {{name: strategy, strategies: [calendar_exit, security_keeping]}}
outcomes:
  - {{name: relapse_10y, column: relapse_10y, aggregate: mean, direction: minimize}}
  - {{name: months_to_exit, column: exit_month, aggregate: mean, over: exited, direction: minimize}}
"""


@pytest.fixture
def tiny_sweep(tmp_path: Path) -> Path:
    """2 strategies x 5 points x 8 runs: 10 evaluations, a few seconds."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path
