"""The case library commands, used as a user (or a teacher) would."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from endstate.experiments.replay import case_ids, replay


def endstate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from endstate.cli import main; main()", *args], capture_output=True, text=True, timeout=600)


def test_cases_lists_the_library():
    r = endstate("cases", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) >= 14
    ids = {row["case"] for row in rows}
    assert {"somalia_unosom2", "liberia_unmil", "mali_minusma", "chad_car_minurcat", "eritrea_ethiopia_unmee"} <= ids
    assert all(row["exit_reason"] for row in rows)


def test_cases_score_scores_every_case_with_a_record():
    r = endstate("cases", "--score", "--json", "--runs", "8")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    lib = data["library"]
    assert lib["n_cases"] == len(data["cases"]) >= 14
    assert sum(c["reason_is_most_likely"] for c in data["cases"]) == lib["n_reason_most_likely"]
    for c in data["cases"]:
        assert 0 < c["p_reason"] < 1 and 0 < c["p_relapse"] < 1
        assert (c["p_exit_year"] is None) == (c["recorded_reason"] == "running")
    r = endstate("cases", "--score", "--runs", "4")
    assert r.returncode == 0 and "most likely in" in r.stdout and "base rates" in r.stdout


@pytest.mark.parametrize("case", case_ids())
def test_every_case_replays(case):
    rep = replay(case, runs=30, seed=1)
    o = rep.results["as it happened"].outcomes
    assert len(o) == 30
    assert rep.checks and all(0.0 <= c["model_probability"] <= 1.0 for c in rep.checks)


def test_replay_with_the_five_teaching_changes(tmp_path):
    r = endstate(
        "replay", "somalia_unosom2", "--runs", "60", "--json", "--out", str(tmp_path),
        "--change", "exit_date=1996-03-01",
        "--change", "command=lead_state:us",
        "--change", "riot_control=all",
        "--change", "border_personnel=3000",
        "--change", "training_start=1993-09-01",
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["changes"]) == 5
    metrics = {row["metric"] for row in data["rows"]}
    assert "P(peace holds 5y after exit)" in metrics
    assert all(row["reference"] == "as it happened" for row in data["rows"])
    assert data["arms"] == ["as it happened", *data["changes"], "all changes together"]
    html = (tmp_path / "somalia_unosom2" / "report.html").read_text()
    assert "The historical record against the model" in html and "all changes together minus as it happened" in html


def test_a_wrong_change_path_lists_the_valid_paths_near_it(tmp_path):
    r = endstate("replay", "liberia_unmil", "--runs", "10", "--out", str(tmp_path), "--change", "exit.end_dat=2010-01-01")
    assert r.returncode == 2
    assert "did you mean end_date" in r.stderr and "exit.triggers" in r.stderr
    assert "Traceback" not in r.stderr
    r = endstate("replay", "liberia_unmil", "--runs", "10", "--out", str(tmp_path), "--change", "theatre.population=-1")
    assert r.returncode == 2 and "theatre.population" in r.stderr and "Traceback" not in r.stderr


def test_an_unknown_case_suggests_near_names(tmp_path):
    r = endstate("replay", "liberia", "--runs", "10", "--out", str(tmp_path))
    assert r.returncode == 2
    assert "liberia_unmil" in r.stderr and "Traceback" not in r.stderr
