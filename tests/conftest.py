"""Shared fixtures: the example specs and the reference data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from endstate.data import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "east_timor_1999_lead_state.yaml"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The reference data folder (../shared/data or ENDSTATE_DATA); tests that need it skip without it."""
    folder = shared_data_dir()
    if folder is None:
        pytest.skip(reason=f"reference data not found at {SHARED_DATA} (clone the project beside ../shared, or set ENDSTATE_DATA)")
    return folder
