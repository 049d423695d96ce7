"""``endstate spells build`` and ``endstate spells check``: counts on success, problems and exit 2 otherwise."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from endstate.cli import app
from endstate.data import SPELL_COLUMNS, read_spells


def _run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_build_and_check(data_dir: Path, tmp_path: Path):
    out = tmp_path / "ds.csv"
    result = _run("spells", "build", "--source", "doyle-sambanis", "--data-dir", str(data_dir), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "114 spells" in result.output and "victory" in result.output
    assert len(read_spells(out)) == 114
    again = _run("spells", "build", "--source", "doyle-sambanis", "--data-dir", str(data_dir), "--out", str(out))
    assert again.exit_code == 2 and "--force" in again.output
    nowhere = _run("spells", "build", "--source", "doyle-sambanis", "-d", str(data_dir), "--out", str(tmp_path / "no" / "x.csv"))
    assert nowhere.exit_code == 2 and "cannot write" in nowhere.output
    checked = _run("spells", "check", str(out))
    assert checked.exit_code == 0 and "114 spells" in checked.output and "defaults applied" in checked.output


def test_build_ucdp(data_dir: Path, tmp_path: Path):
    out = tmp_path / "ucdp.csv"
    result = _run("spells", "build", "--data-dir", str(data_dir), "--out", str(out), "--un-only", "--min-intensity", "2")
    assert result.exit_code == 0, result.output
    df = read_spells(out)
    assert 50 < len(df) < 200 and set(df["mission_org"]) <= {"none", "un"}


def test_check_lists_problems(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(SPELL_COLUMNS) + "\na,A,2000-01-01,stalemate,,,,,,,,1999-01-01,1\n", encoding="utf-8")
    result = _run("spells", "check", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: column 'war_outcome': 'stalemate' is not one of" in result.output
    assert f"{bad}:2: column 'end_date': end_date 1999-01-01 is before peace_start 2000-01-01" in result.output
    missing = _run("spells", "check", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "cannot read the file" in missing.output


def test_build_user_errors(tmp_path: Path):
    result = _run("spells", "build", "--source", "cow", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "unknown source 'cow'" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run("spells", "build", "--data-dir", str(empty), "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "missing input file(s)" in result.output and "ucdp_termination_v3_2021.csv" in result.output


def test_build_reports_a_broken_source_file(data_dir: Path, tmp_path: Path):
    folder = tmp_path / "src"
    folder.mkdir()
    text = (data_dir / "doyle_sambanis_2000.csv").read_text(encoding="utf-8").splitlines()
    text[3] = text[3][: len(text[3]) // 2]  # line 4 cut short
    (folder / "doyle_sambanis_2000.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    result = _run("spells", "build", "--source", "doyle-sambanis", "-d", str(folder), "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert "doyle_sambanis_2000.csv:4:" in result.output and "the row is cut short" in result.output
    assert not (tmp_path / "x.csv").exists()
