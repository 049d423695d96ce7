"""Result folders: written as a unit, with a manifest, refused over an old result unless forced, checked before computing."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from endstate.outcomes import folder as rf
from endstate.outcomes.folder import (
    MANIFEST,
    ResultError,
    ResultFolder,
    csv_safe,
    file_sha256,
    interrupted_note,
    read_manifest,
    verify,
    write_file_atomically,
)

FRAME = pd.DataFrame({"run": [0, 1, 2], "cost_usd": [1.0, 2.0, 3.0]})


def _write(target: Path, seed: int, force: bool = False) -> Path:
    with ResultFolder(target, force) as f:
        f.write_parquet("outcomes.parquet", FRAME.assign(seed=seed))
        f.write_json("summary.json", {"seed": seed})
        f.write_text("sub/report.html", "<p>x</p>")
        return f.commit({"seed": seed})


def _siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name != target.name)


def test_a_committed_folder_has_a_manifest_of_every_file(tmp_path: Path) -> None:
    target = _write(tmp_path / "res", 4)
    m = read_manifest(target)
    assert m["seed"] == 4 and m["endstate_version"] and m["manifest_version"] == 1
    assert set(m["files"]) == {"outcomes.parquet", "summary.json", "sub/report.html"}
    assert m["files"]["outcomes.parquet"]["rows"] == 3
    assert m["files"]["summary.json"]["sha256"] == file_sha256(target / "summary.json")
    assert verify(target) == []
    assert _siblings(target) == []  # no temporary folder left beside it


def test_verify_names_the_changed_missing_or_added_file(tmp_path: Path) -> None:
    target = _write(tmp_path / "res", 1)
    (target / "summary.json").write_text('{"seed": 2}\n')
    (target / "sub" / "report.html").unlink()
    (target / "extra.txt").write_text("x")
    problems = verify(target)
    assert any("summary.json" in p and "differs" in p for p in problems)
    assert any("report.html" in p and "missing" in p for p in problems)
    assert any("extra.txt" in p and "not in the manifest" in p for p in problems)
    assert verify(tmp_path / "nothing") and "manifest.json is missing" in verify(tmp_path)[0]


def test_an_existing_result_is_kept_unless_forced(tmp_path: Path) -> None:
    target = _write(tmp_path / "res", 1)
    with pytest.raises(ResultError, match="already holds a result; pass --force"):
        ResultFolder(target)
    assert read_manifest(target)["seed"] == 1
    _write(target, 2, force=True)
    assert read_manifest(target)["seed"] == 2 and verify(target) == [] and _siblings(target) == []


def test_force_replaces_only_a_result_never_any_other_folder(tmp_path: Path) -> None:
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "thesis.tex").write_text("years of work")
    with pytest.raises(ResultError, match="does not hold an endstate result"):
        ResultFolder(docs, force=True)
    assert (docs / "thesis.tex").read_text() == "years of work"
    (tmp_path / "empty").mkdir()
    _write(tmp_path / "empty", 1, force=True)
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "summary.json").write_text("{}")
    _write(legacy, 2, force=True)
    assert read_manifest(legacy)["seed"] == 2


def test_without_an_atomic_exchange_two_renames_still_leave_one_complete_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rf, "_exchange", lambda a, b: False)
    target = _write(tmp_path / "res", 1)
    _write(target, 2, force=True)
    assert read_manifest(target)["seed"] == 2 and verify(target) == [] and _siblings(target) == []


def test_an_old_result_set_aside_by_a_killed_two_rename_swap_is_put_back(tmp_path: Path) -> None:
    target = _write(tmp_path / "res", 1)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    target.rename(tmp_path / f".res.old-{dead.stdout.strip()}-abc")  # killed between the renames: no target, the old one aside
    with pytest.raises(ResultError, match="already holds a result"):
        ResultFolder(target)
    assert read_manifest(target)["seed"] == 1 and verify(target) == [] and _siblings(target) == []


def test_an_error_while_writing_leaves_the_old_result_and_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk used to leave a folder mixing the new outcomes with the old summary."""
    target = _write(tmp_path / "res", 1)
    old = {p.name: p.read_bytes() for p in target.rglob("*") if p.is_file()}

    def full(*args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with ResultFolder(target, force=True) as f:
        f.write_parquet("outcomes.parquet", FRAME.assign(seed=2))
        monkeypatch.setattr(Path, "write_text", full)
        with pytest.raises(ResultError, match="No space left on device; the existing result in .* is kept unchanged"):
            f.write_json("summary.json", {"seed": 2})
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in target.rglob("*") if p.is_file()} == old
    assert verify(target) == [] and _siblings(target) == []


def test_a_failing_writer_given_a_path_is_reported_plainly(tmp_path: Path) -> None:
    target = _write(tmp_path / "res", 1)
    with pytest.raises(ResultError, match=r"cannot write .*report.html: No space left on device; the existing result"):
        with ResultFolder(target, force=True) as f:
            raise OSError(errno.ENOSPC, "No space left on device", str(f.path("report.html")))
    assert read_manifest(target)["seed"] == 1 and _siblings(target) == []


def test_the_target_is_checked_before_anything_is_computed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ResultError, match="cannot create"):
        ResultFolder(blocker / "res")
    with pytest.raises(ResultError, match="exists and is not a folder"):
        ResultFolder(blocker)
    with pytest.raises(ResultError, match="not enough room"):
        ResultFolder(tmp_path / "res", need_bytes=1 << 62)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a user they apply to (not root)")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(ResultError, match="permission denied"):
            ResultFolder(ro / "res")
    finally:
        ro.chmod(0o700)


def test_temporary_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = tmp_path / f".res.tmp-{dead.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "outcomes.parquet").write_text("half")
    mine = tmp_path / f".res.tmp-{os.getpid()}-live"
    mine.mkdir()
    _write(tmp_path / "res", 1)
    assert not stale.exists() and mine.exists()


def test_the_interrupt_note_says_what_was_kept(tmp_path: Path) -> None:
    rf.begin_command()
    assert interrupted_note() == "interrupted: nothing was written"
    _write(tmp_path / "old", 1)
    with ResultFolder(tmp_path / "old", force=True), ResultFolder(tmp_path / "new"):
        note = interrupted_note()
    assert "wrote" in note and f"the existing result in {tmp_path / 'old'} is kept unchanged" in note
    assert f"nothing was written to {tmp_path / 'new'}" in note


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(tmp_path: Path) -> None:
    df = pd.DataFrame({"country": ["=HYPERLINK(\"http://x\")", "+1", "Peru", "@SUM(A1)", "-2"], "n": [-1, 2, 3, 4, 5]})
    safe = csv_safe(df)
    assert safe["country"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "Peru", "'@SUM(A1)", "'-2"]
    assert safe["n"].tolist() == [-1, 2, 3, 4, 5]
    with ResultFolder(tmp_path / "r") as f:
        f.write_csv("cases.csv", df)
        f.commit({})
    assert "'=HYPERLINK" in (tmp_path / "r" / "cases.csv").read_text()


def test_a_single_file_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "calibration.json"
    write_file_atomically(target, lambda p: p.write_text(json.dumps({"values": {}})))
    assert json.loads(target.read_text()) == {"values": {}}

    def half(p: Path) -> None:
        p.write_text('{"values": {"relapse')
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(ResultError, match="left as it was"):
        write_file_atomically(target, half)
    assert json.loads(target.read_text()) == {"values": {}}
    with pytest.raises(ResultError, match="exists; pass --force"):
        write_file_atomically(target, lambda p: p.write_text("{}"), force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calibration.json"]


def test_a_single_file_keeps_its_suffix_while_written(tmp_path: Path) -> None:
    seen: list[str] = []
    write_file_atomically(tmp_path / "spells.csv.gz", lambda p: (seen.append(p.name), FRAME.to_csv(p, index=False)))
    assert seen[0].endswith(".csv.gz")
    assert pd.read_csv(tmp_path / "spells.csv.gz").equals(FRAME)


def test_manifest_is_valid_json_listing_itself_not(tmp_path: Path) -> None:
    target = _write(tmp_path / "res", 3)
    assert MANIFEST not in read_manifest(target)["files"]


def test_written_files_and_folders_get_the_usual_permissions(tmp_path: Path) -> None:
    """mkstemp and mkdtemp create private (0600/0700) entries; results are shared like any file the user writes."""
    old = os.umask(0o022)
    try:
        target = write_file_atomically(tmp_path / "a.json", lambda p: p.write_text("{}", encoding="utf-8"))
        with ResultFolder(tmp_path / "res", False) as folder:
            folder.write_json("summary.json", {"a": 1})
            folder.commit({})
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "res").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "res" / "summary.json").stat().st_mode) == 0o644
