"""The compile warm-up: on a cold cache two children compile the engine, after which a simulation compiles nothing;
a child failing, hanging or interrupted leaves the compile to the calling process and no child behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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


def _jobs() -> list[ChunkJob]:
    return [ChunkJob(load_spec(EXAMPLE), load_parameters(), 0, 0, 10, 0)]


@pytest.fixture
def cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Numba cache for this test (the warm-up's marker and the children's cache go there)."""
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv(warmup.SWITCH, raising=False)
    return tmp_path


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
    out = subprocess.run(
        [sys.executable, "-c", FIRST_RUN.format(spec=str(EXAMPLE))], capture_output=True, text=True, env=env, check=True
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["misses"] == 0  # every compiled function the runs called came from the children's cache
    assert got["hits"] == 5
    assert got["children_cpu"] > 1.0  # the compile happened in the children
    assert warmup.marker(_jobs()[0]).exists()


def test_a_warm_cache_or_the_switch_starts_no_child(cold: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup, "Child", _fail)
    cache_folder().mkdir(parents=True)
    warmup.marker(_jobs()[0]).touch()
    assert not warmup.ensure(_jobs())
    warmup.marker(_jobs()[0]).unlink()
    monkeypatch.setenv(warmup.SWITCH, "0")
    assert not warmup.ensure(_jobs())


def _fail(*_: Any) -> None:
    raise RuntimeError("broken")


def _sleep(*_: Any) -> None:
    time.sleep(60)


def _fake(monkeypatch: pytest.MonkeyPatch, method: str, fn: Callable[..., None], code: str) -> None:
    """Children that run ``fn`` (forked) or the Python ``code`` (spawned) instead of compiling."""
    if method == "fork":
        monkeypatch.setattr(warmup, "WORK", {group: fn for group in warmup.GROUPS})
    else:
        monkeypatch.setattr(warmup, "child_command", lambda group: [sys.executable, "-c", code])


def _record_children(monkeypatch: pytest.MonkeyPatch) -> list[warmup.Child]:
    children: list[warmup.Child] = []
    real = warmup.Child

    def child(*a: Any) -> warmup.Child:
        children.append(real(*a))
        return children[-1]

    monkeypatch.setattr(warmup, "Child", child)
    return children


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_failing_child_leaves_the_compile_to_the_calling_process(
    cold: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, method: str
) -> None:
    _fake(monkeypatch, method, _fail, "raise RuntimeError('broken')")
    assert not warmup.ensure(_jobs(), method=method)
    assert not warmup.marker(_jobs()[0]).exists()  # cold still: the next process tries again
    assert "broken" in caplog.text  # its traceback, logged


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_child_past_the_timeout_is_killed(cold: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    _fake(monkeypatch, method, _sleep, "import time; time.sleep(60)")
    children = _record_children(monkeypatch)
    t = time.perf_counter()
    assert not warmup.ensure(_jobs(), timeout_s=1.0, method=method)
    assert time.perf_counter() - t < 20
    assert len(children) == 2 and all(c.rc == -signal.SIGKILL for c in children)
    assert not warmup.marker(_jobs()[0]).exists()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_ctrl_c_while_waiting_kills_the_children(cold: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    _fake(monkeypatch, method, _sleep, "import time; time.sleep(60)")
    children = _record_children(monkeypatch)

    def interrupt(*_: Any) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with pytest.raises(KeyboardInterrupt):
            warmup.ensure(_jobs(), method=method)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert len(children) == 2 and all(c.rc == -signal.SIGKILL for c in children)
    for c in children:
        with pytest.raises(ProcessLookupError):
            os.kill(c.pid, 0)  # gone (and reaped)


def test_fork_only_in_a_process_with_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup.threading, "active_count", lambda: 1)
    assert warmup.start_method() == "fork"
    monkeypatch.setattr(warmup.threading, "active_count", lambda: 2)
    assert warmup.start_method() == "spawn"


def test_no_children_on_one_core_or_where_the_cache_cannot_be_written(cold: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two children gain nothing on one core, and compile for nothing where their code cannot be cached: the calling
    process then compiles on first use, as with the warm-up switched off."""
    started: list[object] = []
    monkeypatch.setattr(warmup, "run_children", lambda *a, **k: started.append(a) or True)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert warmup.is_cold(_jobs()[0]) and not warmup.ensure(_jobs())
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(warmup, "cache_folder", lambda: blocked / "cache")
    assert not warmup.ensure(_jobs())
    assert started == []
    monkeypatch.setattr(warmup, "cache_folder", lambda: tmp_path / "cache")
    assert warmup.ensure(_jobs()) and len(started) == 1 and warmup.marker(_jobs()[0]).exists()


def test_each_layout_is_warmed_up_once(cold: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A strategy without handover phases holds arrays of runs by phases that are both C- and Fortran-contiguous, which
    Numba compiles separately: it has its own marker, so its first simulation is warmed up too, and only its first."""
    from endstate.spec import strategy_specs

    started: list[object] = []
    monkeypatch.setattr(warmup, "run_children", lambda *a, **k: started.append(a) or True)
    specs = strategy_specs(load_spec(EXAMPLE))
    phased, unphased = (ChunkJob(specs[name], load_parameters(), 0, 0, 10, 0) for name in ("security_keeping", "calendar_exit"))
    assert warmup.layout(phased) == "22222" and warmup.layout(unphased) != warmup.layout(phased)
    assert warmup.ensure([phased]) and not warmup.ensure([phased]) and len(started) == 1
    assert warmup.ensure([unphased]) and not warmup.ensure([unphased]) and len(started) == 2
