"""``endstate spells build`` and ``endstate spells check``: counts on success, problems and exit 2 otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
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
    assert missing.exit_code == 2 and "file not found" in missing.output


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


def _folder_with(data_dir: Path, tmp_path: Path, name: str, text: str) -> Path:
    """A data folder holding the shared files (linked) with ``name`` replaced by ``text``."""
    from endstate.data.build import FILES

    folder = tmp_path / "data"
    folder.mkdir()
    for f in FILES.values():
        (folder / f).symlink_to(data_dir / f)
    (folder / name).unlink()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("ucdp", "ucdp_termination_v3_2021.csv"),
        ("ucdp", "ucdp_battle_deaths_dyadic.csv"),
        ("ucdp", "un_peacekeeping_operations.csv"),
        ("ucdp", "ipi_mission_month.csv"),
        ("ucdp", "peace_operations_conflict_month.csv"),
        ("doyle-sambanis", "doyle_sambanis_2000.csv"),
    ],
)
@pytest.mark.parametrize("cut", ["header-only", "empty"])
def test_build_refuses_empty_and_header_only_inputs(data_dir: Path, tmp_path: Path, source: str, name: str, cut: str):
    header = (data_dir / name).read_text(encoding="utf-8").splitlines()[0] + "\n"
    folder = _folder_with(data_dir, tmp_path, name, header if cut == "header-only" else "")
    out = tmp_path / "x.csv"
    result = _run("spells", "build", "--source", source, "-d", str(folder), "-o", str(out))
    assert result.exit_code == 2, result.output
    expected = "header line but no data rows" if cut == "header-only" else "empty or has no header"
    assert name in result.output and expected in result.output
    assert not out.exists()


def test_build_refuses_duplicated_termination_rows(data_dir: Path, tmp_path: Path):
    name = "ucdp_termination_v3_2021.csv"
    lines = (data_dir / name).read_text(encoding="utf-8").splitlines()
    n = len(lines) - 1
    folder = _folder_with(data_dir, tmp_path, name, "\n".join(lines + lines[1:]) + "\n")
    out = tmp_path / "x.csv"
    result = _run("spells", "build", "-d", str(folder), "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert f"{n} problem(s)" in result.output
    assert f"{name}:{n + 2}: conflict_id, year repeat those of line 2" in result.output


def test_build_refuses_negative_battle_deaths(data_dir: Path, tmp_path: Path):
    name = "ucdp_battle_deaths_dyadic.csv"
    import csv
    import io

    rows = list(csv.reader(io.StringIO((data_dir / name).read_text(encoding="utf-8"))))
    col = rows[0].index("bd_best")
    rows[1][col] = "-" + rows[1][col]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    folder = _folder_with(data_dir, tmp_path, name, out.getvalue())
    result = _run("spells", "build", "-d", str(folder), "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and f"{name}:2: column 'bd_best':" in result.output and "cannot be negative" in result.output


def test_build_never_writes_a_file_its_check_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import pandas as pd

    import endstate.cli.data_cmds as cmds

    bad = pd.DataFrame(
        {"case_id": ["a", "a"], "country": ["A", "A"], "peace_start": pd.to_datetime(["2000-01-01"] * 2), "war_outcome": ["truce"] * 2,
         "end_date": pd.to_datetime(["2001-01-01"] * 2), "relapsed": [0, 0]}
    )
    monkeypatch.setattr(cmds, "_build", lambda *a: bad)
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "doyle_sambanis_2000.csv").write_text("x\n", encoding="utf-8")
    out = tmp_path / "x.csv"
    result = _run("spells", "build", "--source", "doyle-sambanis", "-d", str(folder), "-o", str(out))
    assert result.exit_code == 2 and "fail the spell-file check" in result.output and "case_id 'a' is already used" in result.output
    assert not out.exists() and list(tmp_path.glob(".x.csv*")) == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a,A,1500-01-01,truce,,,,,,,,1501-01-01,0", "'1500-01-01' is out of range"),
        ("a,A,2000-01-01,truce,,,,,,,,9999-01-01,0", "'9999-01-01' is out of range"),
        ("a,A,2000-01-01,truce,inf,,,,,,,2001-01-01,0", "cannot read 'inf' as a finite number"),
        ("a,A,2000-01-01,truce,1e300,,,,,,,2001-01-01,0", "'1e300' must be at most 1e+08"),
        ("a,A\x00,2000-01-01,truce,,,,,,,,2001-01-01,0", "NUL byte found"),
    ],
    ids=["year-1500", "year-9999", "infinite-deaths", "deaths-1e300", "nul-byte"],
)
def test_check_refuses_implausible_values(tmp_path: Path, row: str, message: str):
    path = tmp_path / "s.csv"
    path.write_text(",".join(SPELL_COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    result = _run("spells", "check", str(path))
    assert result.exit_code == 2 and message in result.output


def test_check_refuses_a_runaway_header_line(tmp_path: Path):
    path = tmp_path / "s.csv"
    path.write_text(",".join(SPELL_COLUMNS) + "x" * 2_000_000 + "\n", encoding="utf-8")
    result = _run("spells", "check", str(path))
    assert result.exit_code == 2 and "s.csv:1: line 1 is" in result.output and "over the limit" in result.output


def test_backtest_refuses_infinite_deaths_before_simulating(tmp_path: Path):
    path = tmp_path / "s.csv"
    path.write_text(",".join(SPELL_COLUMNS) + "\na,A,2000-01-01,truce,inf,,,,,,,2001-01-01,0\n", encoding="utf-8")
    result = _run("backtest", str(path), "--runs", "2")
    assert result.exit_code == 2 and "s.csv:2: column 'war_deaths': cannot read 'inf' as a finite number" in result.output


@pytest.mark.parametrize("defect", ["repeated-row", "negative-deaths"])
def test_doyle_sambanis_builds_that_used_to_write_rejected_files(data_dir: Path, tmp_path: Path, defect: str):
    """The two builds that wrote a spell file their own check rejected (a repeated case_id, negative war_deaths)."""
    import csv
    import io

    name = "doyle_sambanis_2000.csv"
    rows = list(csv.reader(io.StringIO((data_dir / name).read_text(encoding="utf-8-sig"))))
    if defect == "repeated-row":
        rows.append(rows[4])
    else:
        rows[3][rows[0].index("dead")] = "-1000"
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    folder = _folder_with(data_dir, tmp_path, name, text.getvalue())
    out = tmp_path / "x.csv"
    result = _run("spells", "build", "--source", "doyle-sambanis", "-d", str(folder), "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    expected = f"{name}:{len(rows)}: case_code repeats those of line 5" if defect == "repeated-row" else f"{name}:4: column 'dead': '-1000' cannot be negative"
    assert expected in result.output
