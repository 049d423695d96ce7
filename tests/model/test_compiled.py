"""The compiled code's cache folder follows the sources of every compiled module, not only the decorated one's."""

from __future__ import annotations

from pathlib import Path

import numba
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
