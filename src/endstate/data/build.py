"""Peace-spell files built from the reference datasets: one pipeline for the CLI and calibration.

Core objects: :data:`FILES` (the producers' file names as kept in a data folder),
:func:`source_paths` (which files a source needs) and :func:`build_spells`
(read them with the loaders and run the spell builder).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

import pandas as pd

from .doyle_sambanis import read_doyle_sambanis
from .ipi import read_ipi_mission_month
from .missions import mission_table
from .peace_operations import read_peace_operations_month
from .spells import Relapse, spells_from_doyle_sambanis, spells_from_ucdp_termination
from .ucdp import read_battle_deaths, read_termination
from .un_operations import read_un_operations

SOURCES = ("ucdp", "doyle-sambanis")

FILES: dict[str, str] = {
    "termination": "ucdp_termination_v3_2021.csv",
    "battle_deaths": "ucdp_battle_deaths_dyadic.csv",
    "un_operations": "un_peacekeeping_operations.csv",
    "ipi": "ipi_mission_month.csv",
    "peace_operations": "peace_operations_conflict_month.csv",
    "doyle_sambanis": "doyle_sambanis_2000.csv",
}
"""The file each input is read from inside a data folder (the producers' names as kept in the shared folder)."""

NEEDS: dict[str, tuple[str, ...]] = {
    "ucdp": ("termination", "battle_deaths", "un_operations", "ipi"),
    "doyle-sambanis": ("doyle_sambanis",),
}

READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "termination": read_termination,
    "battle_deaths": read_battle_deaths,
    "un_operations": read_un_operations,
    "ipi": read_ipi_mission_month,
    "peace_operations": read_peace_operations_month,
    "doyle_sambanis": read_doyle_sambanis,
}


def source_paths(source: str, folder: Path, non_un: bool = True) -> dict[str, Path]:
    """The files ``source`` reads from ``folder`` (UCDP adds the non-UN operations file unless ``non_un`` is off)."""
    wanted = NEEDS[source] + (("peace_operations",) if source == "ucdp" and non_un else ())
    return {k: folder / FILES[k] for k in wanted}


def build_spells(
    source: str,
    paths: dict[str, Path],
    relapse: str = "conflict",
    min_intensity: int = 1,
    on_read: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Read ``paths`` with the producers' loaders and build the source's spells (builder columns included)."""
    frames: dict[str, pd.DataFrame] = {}
    for key, path in paths.items():
        if on_read:
            on_read(path.name)
        frames[key] = READERS[key](path)
    if source == "doyle-sambanis":
        return spells_from_doyle_sambanis(frames["doyle_sambanis"])
    missions = mission_table(frames["un_operations"], frames["ipi"], frames.get("peace_operations"))
    return spells_from_ucdp_termination(
        frames["termination"], frames["battle_deaths"], missions, relapse=cast(Relapse, relapse), min_intensity=min_intensity
    )
