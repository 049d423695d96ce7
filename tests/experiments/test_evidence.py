"""The evidence scorecard holds the committed model to the published findings (small runs, fixed seed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from endstate.cli import app
from endstate.experiments.evidence import Check, run_checks, scenario, typical, write_markdown
from endstate.model.params import load_parameters


@pytest.fixture(scope="module")
def checks() -> list[Check]:
    return run_checks(runs=100, seed=0)


def test_every_published_finding_is_within_its_tolerance(checks: list[Check]) -> None:
    failed = [(c.finding, round(c.model, 3), c.tolerance) for c in checks if not c.passed]
    assert failed == []


def test_the_scorecard_covers_the_issues_findings(checks: list[Check]) -> None:
    text = " ".join(c.finding for c in checks)
    for needle in ("10,000 troops", "8,000 troops", "200 police", "observers", "multidimensional", "spending", "never resumes", "ends"):
        assert needle in text


def test_a_model_without_mission_effects_fails_the_scorecard() -> None:
    """The checks can fail: switch the mechanism off and the dose-responses and the hazard ratio are off their tolerances."""
    off = load_parameters().with_values(
        pk_battle_per_1000_troops=0.0, pk_civilian_per_1000_troops=0.0, pk_civilian_per_100_police=0.0, pk_relapse_effect=0.0
    )
    by = {c.finding: c for c in run_checks(runs=30, seed=1, params=off)}
    assert not by["battle deaths with 10,000 troops / without"].passed
    assert not by["civilian deaths with 200 police / without"].passed
    assert not by["hazard ratio, typical multidimensional mission (6,378)"].passed


def test_scenario_builds_the_stated_force() -> None:
    spec = scenario(troops=1000, police=200, observers=50)
    c = spec.force.contributors[0]
    assert (c.troops, c.police, c.observers) == (1000, 200, 50)
    assert spec.theatre.population == 10_000_000
    assert sum(a.personnel for a in spec.tasks.assignments) == 1250
    t, p = typical("multidimensional")
    assert np.isclose(t + p, 6378.0)


def test_markdown_and_cli(tmp_path: Path, checks: list[Check]) -> None:
    import pandas as pd

    curve = {k: pd.DataFrame({"dose": [0, 1], "battle": [1.0, 0.5], "civilian": [1.0, 0.4]}) for k in ("troops", "police")}
    out = tmp_path / "evidence.md"
    write_markdown(checks, curve, out, 100, 0)
    text = out.read_text(encoding="utf-8")
    assert "| finding | source | published | model | tolerance | result |" in text and text.count("data:image/png;base64,") >= 3
    res = CliRunner().invoke(app, ["evidence", "--runs", "10", "--json", "--no-doc"])
    assert res.exit_code in (0, 1)
    data = json.loads(res.stdout)
    assert len(data["checks"]) == len(checks) and {"finding", "published", "model", "passed"} <= set(data["checks"][0])
