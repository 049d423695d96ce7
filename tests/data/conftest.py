"""Fixtures for the data-layer tests: the shared reference folder (skip when absent) and frames read once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from endstate.data import (
    mission_table,
    read_battle_deaths,
    read_doyle_sambanis,
    read_ipi_mission_month,
    read_peace_operations_month,
    read_termination,
    read_un_operations,
)


@pytest.fixture(scope="session")
def termination(data_dir: Path) -> pd.DataFrame:
    return read_termination(data_dir / "ucdp_termination_v3_2021.csv")


@pytest.fixture(scope="session")
def battle_deaths(data_dir: Path) -> pd.DataFrame:
    return read_battle_deaths(data_dir / "ucdp_battle_deaths_dyadic.csv")


@pytest.fixture(scope="session")
def un_ops(data_dir: Path) -> pd.DataFrame:
    return read_un_operations(data_dir / "un_peacekeeping_operations.csv")


@pytest.fixture(scope="session")
def ipi_month(data_dir: Path) -> pd.DataFrame:
    return read_ipi_mission_month(data_dir / "ipi_mission_month.csv")


@pytest.fixture(scope="session")
def pko_month(data_dir: Path) -> pd.DataFrame:
    return read_peace_operations_month(data_dir / "peace_operations_conflict_month.csv")


@pytest.fixture(scope="session")
def missions(un_ops: pd.DataFrame, ipi_month: pd.DataFrame, pko_month: pd.DataFrame) -> pd.DataFrame:
    return mission_table(un_ops, ipi_month, pko_month)


@pytest.fixture(scope="session")
def doyle_sambanis(data_dir: Path) -> pd.DataFrame:
    return read_doyle_sambanis(data_dir / "doyle_sambanis_2000.csv")


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) to a file in tmp_path and return its path."""

    def _write(text: str | bytes, name: str = "file.csv") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
