"""The historical peace spells calibration reads, built from the reference data by the data layer.

Core objects: :class:`SpellSource` (one source's spells, normalised exactly as
``endstate spells build`` then ``endstate backtest`` would read them),
:func:`load_sources` and :func:`holdout_mask` (the fixed train/holdout split).

Two sources:

- ``ucdp``: every ended episode of an intrastate conflict in the UCDP Conflict
  Termination dataset v3-2021 (Kreutz 2010), with battle deaths from the UCDP
  dyadic battle-deaths data, missions from the UN list, IPI and the peace
  operations file; relapse is a new episode of the same conflict
  (:func:`endstate.data.spells_from_ucdp_termination`).  Its coding rule bars
  any relapse before 1 January of the second year after the war's end, so its
  spells use the ``"ucdp"`` entry rule of :func:`endstate.experiments.backtest.entry_months`.
- ``doyle_sambanis``: the 124 civil wars of Doyle & Sambanis (APSR 2000), their
  UN operation type and their 2/5/10-year war-recurrence checks
  (:func:`endstate.data.spells_from_doyle_sambanis`).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from endstate.data import read_spells, write_spells
from endstate.data.build import FILES, build_spells
from endstate.engine.executors import make_executor
from endstate.experiments.backtest import PEACEKEEPING_TYPES, EntryRule
from endstate.model.params import Parameters

T = TypeVar("T")

SOURCES: dict[str, tuple[str, ...]] = {
    "ucdp": ("termination", "battle_deaths", "un_operations", "ipi", "peace_operations"),
    "doyle_sambanis": ("doyle_sambanis",),
}


@dataclass
class SpellSource:
    """One source's peace spells.

    ``spells`` has the spell-file columns (defaults filled by
    :func:`endstate.data.read_spells`) plus ``war_level``: the war reached
    1,000 battle deaths in a year (UCDP intensity 2; every Doyle & Sambanis war), and ``relapse_definition``: the
    source's own (``conflict`` for UCDP, ``war`` for Doyle & Sambanis; :data:`endstate.experiments.backtest.RELAPSE_DEFINITIONS`).
    """

    name: str
    spells: pd.DataFrame
    entry: EntryRule
    files: list[Path]


def _normalised(built: pd.DataFrame) -> pd.DataFrame:
    """The spells as a spell file would give them back (same defaults as ``endstate backtest``)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "spells.csv"
        write_spells(built, path)
        return read_spells(path)


def missing_files(data_dir: Path) -> list[Path]:
    needed = [data_dir / FILES[k] for ks in SOURCES.values() for k in ks] + [data_dir / "vdem_high_level_indices.csv"]
    return [p for p in needed if not p.is_file()]


def load_sources(data_dir: Path) -> dict[str, SpellSource]:
    """Build both spell sources from the reference files in ``data_dir``."""
    path = {k: data_dir / v for k, v in FILES.items()}
    ucdp = build_spells("ucdp", {k: path[k] for k in SOURCES["ucdp"]})
    u = _normalised(ucdp)
    u["war_level"] = (u["case_id"].map(dict(zip(ucdp["case_id"], ucdp["max_intensity"], strict=True))) == 2).to_numpy()
    u["iso3"] = u["case_id"].map(dict(zip(ucdp["case_id"], ucdp["iso3"], strict=True))).to_numpy()
    ds = _normalised(build_spells("doyle-sambanis", {k: path[k] for k in SOURCES["doyle_sambanis"]}))
    ds["war_level"] = True
    u["relapse_definition"] = "conflict"  # UCDP: a new episode is a calendar year with 25 battle deaths
    ds["relapse_definition"] = "war"  # Doyle & Sambanis: war resumed, 1,000 battle deaths
    return {
        "ucdp": SpellSource("ucdp", u, "ucdp", [path[k] for k in SOURCES["ucdp"]]),
        "doyle_sambanis": SpellSource("doyle_sambanis", ds, "none", [path[k] for k in SOURCES["doyle_sambanis"]]),
    }


def holdout_mask(case_ids: pd.Series, seed: int, share: float) -> np.ndarray:
    """True for the spells held out: a seeded hash of each ``case_id`` below ``share``.

    Hashing each id (rather than shuffling the file) keeps a spell on the same
    side of the split whatever else the file holds.
    """

    def draw(case_id: str) -> float:
        digest = hashlib.sha256(f"{seed}:{case_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2.0**64

    return np.array([draw(str(c)) < share for c in case_ids], dtype=bool)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class SpellJob:
    """One spell with a peacekeeping operation to simulate: its row, and how."""

    row: dict[str, Any]
    runs: int
    seed: int
    params: Parameters
    horizon: int


def map_mission_spells(
    fn: Callable[[SpellJob], T],
    spells: pd.DataFrame,
    params: Parameters,
    runs: int,
    seed: int,
    workers: int,
    horizon: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[T]:
    """``fn`` over every spell with a peacekeeping operation, on ``workers`` processes; ``progress(done, total)`` counts spells.

    ``fn`` must be a module-level function (process pools pickle it).
    """
    rows = spells[spells["mission_type"].isin(PEACEKEEPING_TYPES)].to_dict("records")
    if not rows:
        raise ValueError("no spell with a peacekeeping operation to simulate")
    jobs = [SpellJob(r, runs, seed, params, horizon) for r in rows]
    done = [0]

    def on_done(_i: int) -> None:
        done[0] += 1
        if progress:
            progress(done[0], len(jobs))

    return make_executor(workers).map(fn, jobs, on_done)
