"""The compile warm-up: on a cold cache two children compile the engine, after which a simulation compiles nothing;
a child failing, hanging or interrupted leaves the compile to the calling process and no child behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from endstate.engine import warmup
from endstate.engine.runner import ChunkJob
from endstate.model.compiled import cache_folder
from endstate.model.params import load_parameters
from endstate.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"
SRC = Path(__file__).resolve().parents[2] / "src"


def _job() -> ChunkJob:
    return ChunkJob(load_spec(EXAMPLE), load_parameters(), 0, 0, 10, 0)


@pytest.fixture
def cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Numba cache for this test (the warm-up's marker and the children's cache go there)."""
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv(warmup.SWITCH, raising=False)
    return tmp_path


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every child process the warm-up starts, to check none is left running."""
    procs: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def popen(*a: Any, **k: Any) -> subprocess.Popen[bytes]:
        procs.append(real(*a, **k))
        return procs[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    return procs


FIRST_RUN = """
import json, os, time
from endstate.engine.runner import simulate
from endstate.spec import load_spec
from endstate.exits import rules
from endstate.model import kernel, presence
from endstate.engine import runner, seeding
simulate(load_spec({spec!r}), 3, seed=0, chunk_size=3, series_runs=2)
simulate(load_spec({spec!r}), 30, seed=0, chunk_size=30, series_runs=0)  # the compacting path (no series)
compiled = [kernel.month_kernel, rules.apply_month, presence.deploy, seeding.fill_month, runner._flag_nonfinite]
t = os.times()
print(json.dumps({{"misses": sum(sum(d.stats.cache_misses.values()) for d in compiled),
                  "hits": sum(sum(d.stats.cache_hits.values()) for d in compiled), "children_cpu": t.children_user + t.children_system}}))
"""


def test_a_cold_cache_is_compiled_by_two_children_and_the_simulation_then_compiles_nothing(cold: Path) -> None:
    """(Slow: one cold compile, about 30 s of CPU.)"""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", FIRST_RUN.format(spec=str(EXAMPLE))], capture_output=True, text=True, env=env, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["misses"] == 0  # every compiled function the runs called came from the children's cache
    assert got["hits"] == 5
    assert got["children_cpu"] > 1.0  # the compile happened in the children
    assert (cache_folder() / warmup.MARKER).exists()


def test_a_warm_cache_or_the_switch_starts_no_child(cold: Path, monkeypatch: pytest.MonkeyPatch, started: list[Any]) -> None:
    cache_folder().mkdir(parents=True)
    (cache_folder() / warmup.MARKER).touch()
    assert not warmup.ensure(_job())
    (cache_folder() / warmup.MARKER).unlink()
    monkeypatch.setenv(warmup.SWITCH, "0")
    assert not warmup.ensure(_job())
    assert started == []


def test_a_failing_child_leaves_the_compile_to_the_calling_process(cold: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(warmup, "child_command", lambda group: [sys.executable, "-c", "import sys; sys.stderr.write('broken'); sys.exit(1)"])
    assert not warmup.ensure(_job())
    assert not (cache_folder() / warmup.MARKER).exists()  # cold still: the next process tries again
    assert "broken" in caplog.text


def test_a_child_past_the_timeout_is_killed(cold: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]) -> None:
    monkeypatch.setattr(warmup, "child_command", lambda group: [sys.executable, "-c", "import time; time.sleep(60)"])
    t = time.perf_counter()
    assert not warmup.ensure(_job(), timeout_s=1.0)
    assert time.perf_counter() - t < 20
    assert len(started) == 2 and all(p.poll() is not None for p in started)
    assert not (cache_folder() / warmup.MARKER).exists()


def test_ctrl_c_while_waiting_kills_the_children(cold: Path, monkeypatch: pytest.MonkeyPatch, started: list[subprocess.Popen[bytes]]) -> None:
    monkeypatch.setattr(warmup, "child_command", lambda group: [sys.executable, "-c", "import time; time.sleep(60)"])

    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with pytest.raises(KeyboardInterrupt):
            warmup.ensure(_job())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert len(started) == 2 and all(p.poll() is not None for p in started)
