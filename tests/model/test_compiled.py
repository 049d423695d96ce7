"""The compiled code's cache folder follows the sources of every compiled module, not only the decorated one's; the
check that arrays handed to code compiled assuming no overlap do not overlap."""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import pytest

from endstate.model import compiled


def _tree(root: Path) -> None:
    for folder in ("model", "exits", "engine"):
        (root / folder).mkdir(parents=True)
        (root / folder / "a.py").write_text(f"# {folder}\n")


def test_the_folder_changes_when_a_called_module_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    _tree(tmp_path)
    monkeypatch.setattr(compiled, "_PACKAGE", tmp_path)
    first = compiled.cache_folder()
    assert compiled.cache_folder() == first  # the same sources, the same folder
    (tmp_path / "model" / "a.py").write_text("# model, changed\n")  # e.g. violence.py, which the kernel calls
    second = compiled.cache_folder()
    assert second != first and second.parent == first.parent == tmp_path / "__pycache__" / "numba"


def test_a_users_numba_cache_dir_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path / "pkg")
    monkeypatch.setattr(compiled, "_PACKAGE", tmp_path / "pkg")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "user"))
    assert compiled.cache_folder().parent == tmp_path / "user" / "endstate"


def test_the_running_process_caches_in_the_folder_of_its_sources() -> None:
    assert Path(numba.config.CACHE_DIR) == compiled.cache_folder()


def test_check_distinct_finds_an_overlap_with_a_written_array_only() -> None:
    a, b = np.zeros(10), np.zeros(10)
    compiled.check_distinct((a, b), (np.zeros(3),))
    compiled.check_distinct((a,), (b, b[2:5]))  # arrays only read may share memory
    with pytest.raises(ValueError, match="share memory"):
        compiled.check_distinct((a, b), (a[3:4],))  # a read view inside a written array
    with pytest.raises(ValueError, match="share memory"):
        compiled.check_distinct((a[5:], a[:6]), ())  # two written views that overlap by one element
    big = np.zeros((4, 5))
    with pytest.raises(ValueError, match="share memory"):
        compiled.check_distinct((big[1],), (big,))  # written inside a read array that starts before it
    compiled.check_distinct((a[:5], a[5:]), ())  # adjacent, not overlapping


def test_distinct_check_rechecks_other_arrays() -> None:
    check = compiled.DistinctCheck()
    a, b = np.zeros(4), np.zeros(4)
    check((a,), (b,))
    check((a,), (b,))  # the same arrays: skipped (and still fine)
    with pytest.raises(ValueError, match="share memory"):
        check((a,), (a[1:],))


def test_distinct_check_checks_fresh_arrays_against_the_written_ones_each_call() -> None:
    check = compiled.DistinctCheck()
    a, b, c = np.zeros(4), np.zeros(6), np.zeros(3)
    check((a, b), (c,), (np.zeros(2),))
    check((a, b), (c,), (c,))  # read twice: fine
    with pytest.raises(ValueError, match="share memory"):
        check((a, b), (c,), (b[5:],))  # a fresh array inside a written one, the set itself unchanged
