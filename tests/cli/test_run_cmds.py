"""The simulation commands, used as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

from endstate.engine.runner import CHUNK_SIZE


def endstate(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from endstate.cli import main; main()", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def test_run_writes_outcomes_and_summary(example_path, tmp_path):
    out = tmp_path / "out"
    r = endstate("run", str(example_path), "--runs", "120", "--seed", "4", "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["runs"] == 120 and summary["seed"] == 4
    o = pd.read_parquet(out / "outcomes.parquet")
    assert len(o) == 120 and list(o.run) == list(range(120))
    windows = [c for c in o if c.endswith(("_5y", "_10y", "_15y")) and c.startswith(("battle_deaths", "civilian_deaths", "cost_usd"))]
    assert not o.select_dtypes("number").drop(columns=windows).isna().any().any()
    for c in windows:  # fixed-window totals are missing only for runs not observed to the window's end
        years = int(c.rsplit("_", 1)[1][:-1])
        assert (o[c].isna() == (o["months_observed"] < 12 * years)).all(), c
    assert (out / "events.parquet").exists() and (out / "series.parquet").exists()
    assert json.loads((out / "summary.json").read_text())["runs"] == 120


def test_unknown_strategy_is_a_clear_error(example_path, tmp_path):
    r = endstate("run", str(example_path), "--runs", "10", "--strategy", "nope", "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert "no strategy 'nope'" in r.stderr and "calendar_exit" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def _broken(example_path: Path, tmp_path: Path, change) -> Path:
    data = yaml.safe_load(example_path.read_text())
    change(data)
    p = tmp_path / "broken.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False))
    return p


def test_impossible_specs_are_refused_before_running(example_path, tmp_path):
    def zero_population(d):
        d["theatre"]["population"] = 0

    def orphan_handover(d):
        d["tasks"]["assignments"] = [a for a in d["tasks"]["assignments"] if a["task"] != "justice_support"]

    def unknown_indicator(d):
        d["goals"][0]["indicator"] = "happiness"

    out = tmp_path / "never"
    for change, needle in ((zero_population, "theatre.population"), (orphan_handover, "justice_support"), (unknown_indicator, "unknown indicator 'happiness'")):
        p = _broken(example_path, tmp_path, change)
        r = endstate("run", str(p), "--runs", "10", "--out", str(out))
        assert r.returncode == 2, (needle, r.stdout, r.stderr)
        assert needle in r.stderr
        assert "broken.yaml:" in r.stderr
        assert "Traceback" not in r.stderr
        assert not out.exists()


def test_compare_json_lists_paired_rows(example_path):
    r = endstate("compare", str(example_path), "--runs", "100", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    strategies = {row["strategy"] for row in data["rows"]}
    assert strategies == {"security_keeping", "committee_transformation"}
    assert data["reference"] == "calendar_exit"
    metrics = {row["metric"] for row in data["rows"]}
    assert {"P(peace holds 5y after exit)", "P(peace holds 10y after exit)", "months to exit", "cost (US$ m)"} <= metrics
    assert all(isinstance(row["significant"], bool) or (row["significant"] is None and row["note"].startswith("not computable")) for row in data["rows"])
    assert data["rows"][0]["metric"] == "P(no relapse by year 5)" and "Over the first" in data["bottom_line"]


def test_explain_tells_why_the_run_exited(example_path):
    r = endstate("explain", str(example_path), "--run", "7", "--seed", "1")
    assert r.returncode == 0, r.stderr
    text = r.stdout
    assert "Run 7" in text
    assert "exit decided" in text or "still present at the horizon" in text
    assert "Totals:" in text


def test_explain_matches_the_batch_run(example_path, tmp_path):
    out = tmp_path / "o"
    endstate("run", str(example_path), "--runs", "12", "--seed", "1", "--out", str(out))
    o = pd.read_parquet(out / "outcomes.parquet").set_index("run")
    text = endstate("explain", str(example_path), "--run", "11", "--seed", "1").stdout
    reason = o.loc[11, "exit_reason"]
    if reason != "running":
        assert f"(reason: {reason})" in text


def inproc(*args: str):
    """The command in this process (CliRunner): the same code, without a second interpreter's start-up."""
    from typer.testing import CliRunner

    from endstate.cli import app

    return CliRunner().invoke(app, list(args))


def test_version_and_help():
    r = endstate("--version")
    assert r.returncode == 0 and "endstate" in r.stdout
    r = endstate("run", "--help")
    assert r.returncode == 0 and "--chunk-size" in r.stdout


def test_demo_writes_a_report(tmp_path):
    r = endstate("demo", "--runs", "150", "--workers", "1", "--out", str(tmp_path / "demo"))
    assert r.returncode == 0, r.stderr
    assert endstate("verify", str(tmp_path / "demo")).returncode == 0
    html = (tmp_path / "demo" / "report.html").read_text()
    for name in ("calendar_exit", "security_keeping", "committee_transformation"):
        assert name in html
        assert (tmp_path / "demo" / name / "outcomes.parquet").exists()


def _rename(example_path: Path, tmp_path: Path, mission: str, phase: str) -> Path:
    text = example_path.read_text()
    text = text.replace("name: East Timor 1999 - lead-state security-keeping", f"name: {json.dumps(mission)}")
    text = text.replace("    - name: east and centre\n", f"    - name: {json.dumps(phase)}\n", 1)
    p = tmp_path / "marked.yaml"
    p.write_text(text)
    return p


def test_a_mission_or_phase_name_with_rich_markup_is_printed_as_written(example_path, tmp_path):
    """A name containing '[/]' used to crash run (after writing) and explain: Rich read it as a closing tag."""
    spec = _rename(example_path, tmp_path, "Op [/] [bold]x[/bold]", "phase [/]")
    r = endstate("run", str(spec), "--runs", "20", "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    assert "Op [/] [bold]x[/bold]" in r.stdout
    r = endstate("explain", str(spec), "--run", "1")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr


def test_run_keeps_an_existing_result_unless_forced_and_verify_checks_it(example_path, tmp_path):
    out = tmp_path / "o"
    assert inproc("run", str(example_path), "--runs", "30", "--seed", "1", "--out", str(out)).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 1 and manifest["runs"] == 30 and manifest["workers"] == 1 and manifest["chunk_size"] == CHUNK_SIZE
    assert manifest["files"]["outcomes.parquet"]["rows"] == 30
    assert manifest["specs"]["spec"]["file_sha256"] and manifest["specs"]["spec"]["spec_hash"]
    assert manifest["calibration"] == "packaged model/calibrated.json" and manifest["parameters_sha256"]
    before = (out / "outcomes.parquet").read_bytes()
    r = inproc("run", str(example_path), "--runs", "40", "--seed", "2", "--out", str(out))
    assert r.exit_code == 2 and "already holds a result; pass --force" in r.stderr
    assert (out / "outcomes.parquet").read_bytes() == before
    assert inproc("run", str(example_path), "--runs", "40", "--seed", "2", "--out", str(out), "--force").exit_code == 0
    assert len(pd.read_parquet(out / "outcomes.parquet")) == 40
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]
    r = inproc("verify", str(out))
    assert r.exit_code == 0 and "ok" in r.stdout
    s = json.loads((out / "summary.json").read_text())
    (out / "summary.json").write_text(json.dumps({**s, "runs": 5}))
    r = inproc("verify", str(out))
    assert r.exit_code == 2 and "summary.json" in r.stderr


def test_an_unwritable_out_is_found_before_simulating(example_path, tmp_path):
    """It used to be found only after the whole simulation."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    t0 = time.perf_counter()
    r = endstate("run", str(example_path), "--runs", "1000000", "--out", str(blocker / "o"))
    assert r.returncode == 2 and "cannot create" in r.stderr and "Traceback" not in r.stderr
    assert time.perf_counter() - t0 < 60  # a million runs would take many minutes


def test_a_calibration_file_is_used_and_recorded_and_a_broken_one_refused(example_path, tmp_path):
    cal = tmp_path / "cal.json"
    cal.write_text(json.dumps({"values": {"relapse_base_settlement": 0.05}}))
    assert inproc("run", str(example_path), "--runs", "60", "--out", str(tmp_path / "a")).exit_code == 0
    r = inproc("run", str(example_path), "--runs", "60", "--out", str(tmp_path / "b"), "--calibration", str(cal))
    assert r.exit_code == 0, r.stderr
    ma, mb = (json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("a", "b"))
    assert mb["calibration"] == str(cal) and mb["parameters_sha256"] != ma["parameters_sha256"]
    a, b = (pd.read_parquet(tmp_path / d / "outcomes.parquet") for d in ("a", "b"))
    assert b["relapsed"].mean() > a["relapsed"].mean()
    cal.write_text('{"values": {"relapse_base_sett')  # truncated, as a killed non-atomic write left it
    r = inproc("run", str(example_path), "--runs", "10", "--out", str(tmp_path / "c"), "--calibration", str(cal))
    assert r.exit_code == 2 and "cal.json" in r.stderr and "not a calibration file" in r.stderr and "Traceback" not in r.stderr
    cal.write_text(json.dumps({"values": {"relapse_base_settlement": "NaN"}}))
    r = inproc("run", str(example_path), "--runs", "10", "--out", str(tmp_path / "c"), "--calibration", str(cal))
    assert r.exit_code == 2 and "values.relapse_base_settlement" in r.stderr
    assert not (tmp_path / "c").exists()


def test_compare_out_writes_every_strategy_with_a_manifest(example_path, tmp_path):
    out = tmp_path / "cmp"
    r = inproc("compare", str(example_path), "--runs", "30", "--out", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads((out / "comparison.json").read_text()) == json.loads(r.stdout)
    m = json.loads((out / "manifest.json").read_text())
    assert set(m["specs"]) == {"calendar_exit", "security_keeping", "committee_transformation"}
    assert m["files"]["security_keeping/outcomes.parquet"]["rows"] == 30
    assert inproc("verify", str(out)).exit_code == 0


def test_a_disk_without_room_is_refused_before_simulating(example_path, tmp_path, monkeypatch):
    from collections import namedtuple

    from typer.testing import CliRunner

    from endstate.cli import app
    from endstate.cli.run_cmds import BYTES_PER_RUN

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("endstate.outcomes.folder.shutil.disk_usage", lambda p: usage(10**12, 10**12 - 10**8, 10**8))

    def no_simulation(*a, **k):
        raise AssertionError("nothing may be simulated without room for the result")

    monkeypatch.setattr("endstate.cli.run_cmds.simulate_parts", no_simulation)  # run streams its chunks
    runs = 10**8 // BYTES_PER_RUN + 1000  # needs a little more than the 100 MB free
    r = CliRunner().invoke(app, ["run", str(example_path), "--runs", str(runs), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "not enough room" in r.stderr
    assert not (tmp_path / "o").exists()


def test_explain_says_a_flagged_run_was_stopped_and_reports_no_totals(example_path, monkeypatch):
    import numpy as np

    from endstate.engine.runner import RunBatch

    original = RunBatch.__init__

    def sick(self, job):
        original(self, job)
        self.st.cost[0] = np.nan

    monkeypatch.setattr(RunBatch, "__init__", sick)
    r = inproc("explain", str(example_path), "--run", "3")
    assert r.exit_code == 0, r.output
    assert "stopped there and flagged" in r.stdout and "Totals:" not in r.stdout


def test_streamed_run_and_compare_print_what_the_whole_results_in_memory_give(example_path, tmp_path):
    """run and compare keep only a few columns (and compare the goal events): summaries, rows and bottom line as from simulate()."""
    from endstate.cli.run_cmds import summarise
    from endstate.engine.runner import simulate
    from endstate.experiments.compare import compare, rows_as_dicts
    from endstate.report.bottom_line import bottom_line
    from endstate.report.stats import window_summary
    from endstate.spec import load_spec, strategy_specs

    r = inproc("run", str(example_path), "--runs", "90", "--seed", "2", "--chunk-size", "40", "--out", str(tmp_path / "run"), "--json")
    assert r.exit_code == 0, r.stderr
    printed = json.loads(r.stdout)
    whole = simulate(load_spec(example_path), 90, seed=2)
    assert {k: v for k, v in printed.items() if k != "seconds"} == summarise(whole)
    pair = ("calendar_exit", "security_keeping")
    r = inproc("compare", str(example_path), *(a for n in pair for a in ("--strategy", n)), "--runs", "90", "--seed", "2", "--chunk-size", "40",
               "--out", str(tmp_path / "cmp"), "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    specs = strategy_specs(load_spec(example_path))
    results = {n: simulate(specs[n], 90, seed=2) for n in pair}
    data = json.loads(r.stdout)
    assert data["rows"] == json.loads(json.dumps(rows_as_dicts(compare(results))))
    assert data["bottom_line"] == bottom_line(results) and data["windows"] == {n: window_summary(res) for n, res in results.items()}
    for n, res in results.items():
        assert json.loads((tmp_path / "cmp" / n / "summary.json").read_text()) == summarise(res)
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "cmp" / n / "series.parquet"), res.series, check_exact=True)


def test_a_cold_compile_is_announced_and_done_before_the_progress_bar_once_a_layout(example_path, tmp_path, monkeypatch):
    """On a cold cache `run` and `compare` say why they pause and compile each layout first, while the process runs one
    thread (so the compiling children can be forked); a warm-up that fails is not tried again in the same process."""
    from typer.testing import CliRunner

    from endstate.cli import app
    from endstate.engine import warmup

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "cache"))  # no marker there (Numba itself keeps the cache it was imported with)
    monkeypatch.delenv(warmup.SWITCH, raising=False)
    monkeypatch.setattr(warmup, "_TRIED", set())
    calls: list[int] = []
    monkeypatch.setattr(warmup, "run_children", lambda *a, **k: calls.append(1) or False)  # a warm-up that fails: no marker written
    cli = CliRunner()
    out = cli.invoke(app, ["run", str(example_path), "--runs", "4", "--chunk-size", "4", "--out", str(tmp_path / "r")])
    assert out.exit_code == 0, out.output
    assert "compiling the engine" in out.output and len(calls) == 1
    out = cli.invoke(app, ["compare", str(example_path), "--runs", "4", "--strategy", "calendar_exit", "--strategy", "security_keeping"])
    assert out.exit_code == 0, out.output
    assert "compiling the engine" in out.output
    assert len(calls) == 2  # the unphased strategy's layout; the phased one's failed warm-up is not tried again
