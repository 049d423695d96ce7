"""Monitor fixtures: the MINUSCA case (regions with admin-1 names)."""

from __future__ import annotations

from pathlib import Path

import pytest

import endstate.cases
from endstate.spec import MissionSpec, load_spec

CASE = Path(endstate.cases.__file__).resolve().parent / "car_minusca.yaml"


@pytest.fixture(scope="session")
def spec() -> MissionSpec:
    return load_spec(CASE)


@pytest.fixture(scope="session")
def case_path() -> Path:
    return CASE
