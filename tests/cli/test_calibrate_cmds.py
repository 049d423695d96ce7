"""The grounding commands' outputs: backtest folders with a manifest and safe CSV; calibrate writes only where it is told."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import endstate
from endstate.cli import app
from endstate.cli._app import UserError
from endstate.cli.calibrate_cmds import _check_output
from endstate.outcomes.folder import verify

SPELLS = """case_id,country,peace_start,war_outcome,war_deaths,war_duration_years,ethnic_war,mission_type,mission_org,mission_start,mission_end,end_date,relapsed
a,"=HYPERLINK(""http://evil"",""x"")",1990-01-10,truce,2000,3,1,none,none,,,1992-06-01,1
b,@SUM(A1),1991-05-01,settlement,40000,8,0,multidimensional,un,1991-04-01,1994-05-01,2003-01-01,0
c,Gamma [/],1992-02-01,victory,,,,,,,,2001-02-01,0
"""

runner = CliRunner()


def test_backtest_out_is_a_verified_folder_whose_csv_runs_no_formula(tmp_path: Path) -> None:
    path = tmp_path / "spells.csv"
    path.write_text(SPELLS, encoding="utf-8")
    out = tmp_path / "bt"
    r = runner.invoke(app, ["backtest", str(path), "--runs", "10", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert verify(out) == []
    m = json.loads((out / "manifest.json").read_text())
    assert list(m["data_files"]) == [str(path)] and m["runs"] == 10
    cells = (out / "cases.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in cells and "'@SUM(A1)" in cells
    assert ",=HYPERLINK" not in cells and ",@SUM" not in cells
    again = runner.invoke(app, ["backtest", str(path), "--runs", "10", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr


def test_calibrate_needs_a_named_output_file() -> None:
    """calibrate used to rewrite calibrated.json inside the installed package, non-atomically."""
    r = runner.invoke(app, ["calibrate", "--data-dir", "."])
    assert r.exit_code == 2 and "--out" in r.output


def test_calibrate_refuses_an_installed_package_an_existing_file_and_an_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "lib" / "site-packages" / "endstate"
    package.mkdir(parents=True)
    monkeypatch.setattr(endstate, "__file__", str(package / "__init__.py"))
    with pytest.raises(UserError, match="inside the installed endstate package"):
        _check_output(package / "model" / "calibrated.json", force=True)
    existing = tmp_path / "cal.json"
    existing.write_text("{}")
    with pytest.raises(Exception, match="exists; pass --force"):
        _check_output(existing, force=False)
    _check_output(existing, force=True)
    with pytest.raises(Exception, match="there is no folder"):
        _check_output(tmp_path / "nowhere" / "cal.json", force=True)
