"""run_sweep: resumable, byte-identical for any executor, killed and restarted without loss or duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from endstate.engine.executors import PoolExecutor
from endstate.explore.run import run_sweep
from endstate.explore.sweep import load_sweep
from endstate.outcomes.partitions import StoreConflict


def _files(store: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((store / "parts").glob("*.parquet"))}


def test_serial_and_pool_write_identical_partitions(tiny_sweep: Path, tmp_path: Path):
    study = load_sweep(tiny_sweep)
    a = run_sweep(study, tmp_path / "serial", batch_size=3)
    run_sweep(study, tmp_path / "pool", PoolExecutor(2), batch_size=3)
    assert a.batches == 4 and a.runs == 10 * 8
    assert _files(tmp_path / "serial") == _files(tmp_path / "pool")
    runs = pd.read_parquet(tmp_path / "serial" / "parts")
    assert len(runs) == 80 and runs["key"].nunique() == 10
    # common random numbers: both strategies of a point share its seed, points differ
    seeds = runs.groupby("point")["seed"].nunique()
    assert (seeds == 1).all() and runs.groupby("point")["seed"].first().nunique() == 5


def test_same_sweep_resumes_and_skips_complete(tiny_sweep: Path, tmp_path: Path):
    study = load_sweep(tiny_sweep)
    first = run_sweep(study, tmp_path / "s", batch_size=3)
    victim = sorted((tmp_path / "s" / "parts").glob("*.parquet"))[1]
    kept = _files(tmp_path / "s")
    victim.unlink()
    again = run_sweep(study, tmp_path / "s")  # batch size taken from the store
    assert again.skipped == first.batches - 1 and again.runs == 3 * 8
    assert _files(tmp_path / "s") == kept


def test_a_different_sweep_is_refused_and_force_keeps_the_old_one(tiny_sweep: Path, tmp_path: Path):
    run_sweep(load_sweep(tiny_sweep), tmp_path / "s", batch_size=5)
    tiny_sweep.write_text(tiny_sweep.read_text().replace("seed: 5", "seed: 6"))
    other = load_sweep(tiny_sweep)
    with pytest.raises(StoreConflict, match="seed"):
        run_sweep(other, tmp_path / "s")
    with pytest.raises(StoreConflict, match="batch"):
        run_sweep(load_sweep(tiny_sweep.parent / "tiny.yaml"), tmp_path / "s", batch_size=2)
    run_sweep(other, tmp_path / "s", force=True)
    aside = list((tmp_path / "s").glob("replaced-*/parts/*.parquet"))
    assert len(aside) == 2  # the earlier results, moved, not deleted


def test_sigkill_halfway_then_resume_gives_identical_files(tiny_sweep: Path, tmp_path: Path):
    study = load_sweep(tiny_sweep)
    whole = tmp_path / "whole"
    run_sweep(study, whole, batch_size=1)
    expected = _files(whole)
    assert len(expected) == 10

    killed = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    cmd = [sys.executable, "-c", "from endstate.cli import main; main()", "sweep", str(tiny_sweep), "--out", str(killed), "--batch-size", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((killed / "parts").glob("*.parquet"))) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_at_kill = len(list((killed / "parts").glob("*.parquet")))
    assert 0 < done_at_kill < 10, "the kill must land halfway"

    resumed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"({done_at_kill} already complete)" in resumed.stdout
    assert _files(killed) == expected
    assert not list((killed / "parts").glob(".*"))  # no half-written file left
