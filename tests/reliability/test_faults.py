"""Faults a user's machine deals out: a SIGKILL while a result is written, a full disk, a killed or interrupted parent.

Each runs the real command in a subprocess with a timeout.  The promises:
the result folder holds the complete old result or the complete new one,
never a mix and never stray temporary files; no worker process outlives its
parent; Ctrl-C prints one line saying what was kept.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from endstate.cli import app
from endstate.outcomes.folder import verify

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc and sends POSIX signals")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "east_timor_1999_lead_state.yaml"
CLI = [sys.executable, "-c", "from endstate.cli import main; main()"]


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_for_workers(parent: subprocess.Popen[str], n: int, timeout: float = 60.0) -> list[int]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        kids = _children(parent.pid)
        if len(kids) >= n:
            return kids
        assert parent.poll() is None, parent.communicate()
        time.sleep(0.1)
    raise AssertionError(f"no {n} workers after {timeout} s")


def _gone(pids: list[int], timeout: float = 15.0) -> list[int]:
    end = time.monotonic() + timeout
    while time.monotonic() < end and any(_running(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _running(p)]


def _result(out: Path) -> int:
    """The seed of the complete result in ``out`` (after checking every file against the manifest)."""
    assert verify(out) == [], verify(out)
    assert not [p for p in out.rglob("*") if "partial" in p.name or ".tmp-" in p.name]
    return int(json.loads((out / "manifest.json").read_text())["seed"])


PAUSED = """
import sys, time
import pyarrow.parquet as pq
real, real_streamed = pq.write_table, pq.ParquetWriter.write_table
def paused(*a, **kw):
    real(*a, **kw)
    print("wrote a file", flush=True)
    time.sleep(60)
def paused_streamed(self, *a, **kw):
    real_streamed(self, *a, **kw)
    print("wrote a file", flush=True)
    time.sleep(60)
pq.write_table = paused
pq.ParquetWriter.write_table = paused_streamed
from endstate.cli import main
main()
"""
"""Pauses after the first Parquet write, whole-table or streamed row group (``endstate run`` streams its tables)."""


def test_sigkill_in_the_middle_of_writing_leaves_the_old_result(tmp_path: Path) -> None:
    """It used to leave a folder mixing new outcomes with the old events and summary, and a stray .events.parquet.partial."""
    out = tmp_path / "res"
    subprocess.run([*CLI, "run", str(EXAMPLE), "--runs", "40", "--seed", "1", "--out", str(out)], check=True, capture_output=True, cwd=ROOT, timeout=120)
    p = subprocess.Popen([sys.executable, "-c", PAUSED, "run", str(EXAMPLE), "--runs", "60", "--seed", "2", "--out", str(out), "--force"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "wrote a file"  # outcomes.parquet is written, events not yet
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert _result(out) == 1
    after = subprocess.run([*CLI, "run", str(EXAMPLE), "--runs", "60", "--seed", "2", "--out", str(out), "--force"], capture_output=True, cwd=ROOT, timeout=300)
    assert after.returncode == 0 and _result(out) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]  # the killed run's temporary folder was cleared


def test_sigkill_at_any_moment_leaves_the_old_or_the_new_result(tmp_path: Path) -> None:
    out = tmp_path / "res"
    subprocess.run([*CLI, "run", str(EXAMPLE), "--runs", "40", "--seed", "1", "--out", str(out)], check=True, capture_output=True, cwd=ROOT, timeout=120)
    t0 = time.monotonic()
    subprocess.run([*CLI, "run", str(EXAMPLE), "--runs", "200", "--seed", "2", "--out", str(tmp_path / "timing")], check=True, capture_output=True, cwd=ROOT, timeout=300)
    whole = time.monotonic() - t0
    for k in range(3):  # kill points spread over the command, the last near its end (the write and the rename)
        p = _start("run", str(EXAMPLE), "--runs", "200", "--seed", "2", "--out", str(out), "--force")
        time.sleep(whole * (0.6 + 0.2 * k))
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=60)
        assert _result(out) in (1, 2)
    assert not list(out.parent.glob(".res.old-*"))  # an interrupted two-rename swap would leave one


def test_a_full_disk_keeps_the_old_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'No space left' half-way through the files: exit 2, a clear message, the old result untouched."""
    out = tmp_path / "res"
    runner = CliRunner()
    assert runner.invoke(app, ["run", str(EXAMPLE), "--runs", "20", "--seed", "1", "--out", str(out)]).exit_code == 0
    import pyarrow.parquet as pq

    real, real_streamed = pq.write_table, pq.ParquetWriter.write_table
    calls = [0]

    def full_on_the_second_write() -> None:
        calls[0] += 1
        if calls[0] == 2:  # outcomes written, the disk fills on events
            raise OSError(errno.ENOSPC, "No space left on device")

    def fills_up(table: object, where: object, *a: object, **kw: object) -> None:
        full_on_the_second_write()
        real(table, where, *a, **kw)  # type: ignore[arg-type]

    def fills_up_streamed(self: pq.ParquetWriter, *a: object, **kw: object) -> None:
        full_on_the_second_write()
        real_streamed(self, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pq, "write_table", fills_up)
    monkeypatch.setattr(pq.ParquetWriter, "write_table", fills_up_streamed)
    r = runner.invoke(app, ["run", str(EXAMPLE), "--runs", "50", "--seed", "2", "--out", str(out), "--force"])
    assert r.exit_code == 2
    assert "No space left on device" in r.stderr and "kept unchanged" in " ".join(r.stderr.split())
    assert _result(out) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_the_parent_of_a_two_worker_run_leaves_no_process(tmp_path: Path, sig: signal.Signals) -> None:
    """Both workers used to stay alive indefinitely (3 of 3 trials)."""
    p = _start("run", str(EXAMPLE), "--runs", "100000", "--workers", "2", "--chunk-size", "2000", "--out", str(tmp_path / "o"))
    try:
        workers = _wait_for_workers(p, 2)
        time.sleep(0.5)
        p.send_signal(sig)
        p.communicate(timeout=30)
        assert _gone(workers) == []
    finally:
        if p.poll() is None:
            p.kill()
    assert not (tmp_path / "o").exists()


def test_ctrl_c_stops_the_workers_and_says_what_was_kept(tmp_path: Path) -> None:
    out = tmp_path / "o"
    subprocess.run([*CLI, "run", str(EXAMPLE), "--runs", "20", "--out", str(out)], check=True, capture_output=True, cwd=ROOT, timeout=120)
    p = _start("run", str(EXAMPLE), "--runs", "100000", "--workers", "2", "--chunk-size", "2000", "--out", str(out), "--force")
    try:
        workers = _wait_for_workers(p, 2)
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130
    assert _gone(workers) == []
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [f"interrupted: the existing result in {out} is kept unchanged"], err
    assert "Traceback" not in err
    assert _result(out) == 0


def test_a_worker_killed_from_outside_is_a_clear_error_and_leaves_no_process(tmp_path: Path) -> None:
    """A worker killed by the system (out of memory) is reported in words, the pool is shut down, nothing is written."""
    p = _start("run", str(EXAMPLE), "--runs", "100000", "--workers", "2", "--chunk-size", "2000", "--out", str(tmp_path / "o"))
    try:
        workers = _wait_for_workers(p, 2)
        time.sleep(0.5)
        os.kill(workers[0], signal.SIGKILL)
        _, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 2, err
    assert "a worker process died" in err and "Traceback" not in err
    assert _gone(workers) == []
    assert not (tmp_path / "o").exists() and sorted(x.name for x in tmp_path.iterdir()) == []
