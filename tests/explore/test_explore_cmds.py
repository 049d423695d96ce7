"""endstate sweep, query and analyze from the command line; user errors exit 2 without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from endstate.cli import app

runner = CliRunner()


def test_sweep_query_analyze(tiny_sweep: Path, tmp_path: Path):
    out = tmp_path / "store"
    r = runner.invoke(app, ["sweep", str(tiny_sweep), "--out", str(out), "--batch-size", "5"])
    assert r.exit_code == 0, r.output
    assert "10 evaluations in 2 partitions (0 already complete)" in r.output
    r = runner.invoke(app, ["sweep", str(tiny_sweep), "--out", str(out)])
    assert r.exit_code == 0 and "(2 already complete)" in r.output and "0 runs simulated" in r.output

    r = runner.invoke(app, ["query", str(out), "SELECT strategy, count(*) AS n, avg(relapse_10y::DOUBLE) AS p FROM runs GROUP BY strategy ORDER BY strategy", "--json"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert [(x["strategy"], x["n"]) for x in rows] == [("calendar_exit", 40), ("security_keeping", 40)]
    r = runner.invoke(app, ["query", str(out), "SELECT count(*) AS n FROM points", "--csv"])
    assert r.output.split() == ["n", "10"]

    r = runner.invoke(app, ["analyze", str(out), "--outcome", "relapse_10y"])
    assert r.exit_code == 0, r.output
    assert "security_keeping does worse than calendar_exit on relapse_10y" in r.output
    assert (out / "report" / "report.html").exists()


def test_user_errors_exit_2(tiny_sweep: Path, tmp_path: Path):
    r = runner.invoke(app, ["query", str(tmp_path), "SELECT 1"])
    assert r.exit_code == 2 and "not an endstate result store" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(tiny_sweep.read_text().replace("runs_per_point", "runs"))
    r = runner.invoke(app, ["sweep", str(bad), "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and f"{bad}:4:" in r.output and "unknown key 'runs'" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    r = runner.invoke(app, ["sweep", str(tiny_sweep), "--out", str(tmp_path / "full")])
    assert r.exit_code == 2 and "not an endstate result store" in r.output
