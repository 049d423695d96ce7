"""Shared fixtures: the example specs and the reference data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "east_timor_1999_lead_state.yaml"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA} (clone the project beside ../shared to run this test)")
    return SHARED_DATA
