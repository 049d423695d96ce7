"""Replay arms: one per change and all changes together, each paired with the case as it happened."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from endstate.experiments.changes import ChangeError, apply_changes
from endstate.experiments.replay import ALL_CHANGES, AS_IT_HAPPENED, change_arms, load_case, replay

A, B = "exit_date=2006-06-30", "riot_control=all"  # a closing date in mid-2006, before the model's benchmark exits (median about 2008)


def test_one_arm_per_change_and_the_combined_arm():
    spec, _, path = load_case("liberia_unmil")
    arms = change_arms(spec, [A, B], str(path))
    assert list(arms) == [AS_IT_HAPPENED, A, B, ALL_CHANGES]
    assert arms[A] == apply_changes(spec, [A], str(path)) and arms[B] == apply_changes(spec, [B], str(path))
    assert arms[ALL_CHANGES] == apply_changes(spec, [A, B], str(path))
    assert list(change_arms(spec, [A], str(path))) == [AS_IT_HAPPENED, A]  # one change: no separate combined arm


def test_a_bad_change_stops_before_simulating():
    spec, _, path = load_case("liberia_unmil")
    with pytest.raises(ChangeError):
        change_arms(spec, [A, "exit.end_dat=2010-01-01"], str(path))


def test_each_arm_is_paired_with_the_case():
    rep = replay("liberia_unmil", runs=20, seed=2, changes=[A, B])
    assert list(rep.results) == [AS_IT_HAPPENED, A, B, ALL_CHANGES]
    assert {r.strategy for r in rep.rows} == {A, B, ALL_CHANGES} and {r.reference for r in rep.rows} == {AS_IT_HAPPENED}
    # the deadline alone moves the exit; riot control alone does not: their arms differ, and the combined arm follows the deadline
    # (about half the runs of a deadline arm still hand over before the date, so which exit is the commoner in 20 runs is a coin flip)
    ex = {n: set(r.outcomes["exit_reason"].astype(str)) for n, r in rep.results.items()}
    assert "deadline" in ex[A] and "deadline" in ex[ALL_CHANGES]
    assert "deadline" not in ex[AS_IT_HAPPENED] and "deadline" not in ex[B]


def test_replay_command_shows_three_arms(tmp_path):
    args = ["replay", "liberia_unmil", "--runs", "20", "--json", "--out", str(tmp_path), "--change", A, "--change", B]
    r = subprocess.run([sys.executable, "-c", "from endstate.cli import main; main()", *args], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["arms"] == [AS_IT_HAPPENED, A, B, ALL_CHANGES]
    assert {row["strategy"] for row in data["rows"]} == {A, B, ALL_CHANGES}
    assert sorted(p.name for p in (tmp_path / "liberia_unmil").iterdir() if p.is_dir()) == ["all_changes", "as_it_happened", "change_1", "change_2"]
