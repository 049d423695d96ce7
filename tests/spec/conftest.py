"""Fixtures for the spec tests (data and helpers live in ``spec_support``)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from spec_support import BASE, SPEC_FILES

from endstate.spec import Problem, SpecError, load_spec


@pytest.fixture(scope="session")
def base_text() -> str:
    return BASE


@pytest.fixture
def base_data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(BASE))


@pytest.fixture
def problems_in(tmp_path: Path) -> Callable[..., list[Problem]]:
    """Write a spec text to a file, load it, and return the problems it must have."""

    def run(text: str, suffix: str = ".yaml") -> list[Problem]:
        path = tmp_path / f"spec{suffix}"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(SpecError) as err:
            load_spec(path)
        assert err.value.problems, "a SpecError must list at least one problem"
        return err.value.problems

    return run


@pytest.fixture(params=SPEC_FILES, ids=[p.name if p.parent.name == "examples" else f"template-{p.name}" for p in SPEC_FILES])
def spec_file(request: pytest.FixtureRequest) -> Path:
    """Each shipped example and template."""
    return request.param
