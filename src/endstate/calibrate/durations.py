"""Checking the model against history: how long peace operations stay (the UN list) against how long the model keeps them.

Core objects: :func:`un_durations` (every UN peacekeeping operation for a civil
conflict, its type and how long it lasted, running ones censored at the list's
date), :func:`simulated_durations` (the historical peace spells with an
operation, each run with the model deciding when the mission leaves),
:func:`duration_table` (the same Kaplan-Meier summary of both) and
:func:`duration_check` (the record ``endstate calibrate`` writes).

In the backtest the presence window is an input: a spell's mission stays as
long as it did.  Here it is an output.  Each spell is mapped to a spec by
:func:`endstate.experiments.spell_mission.spell_spec` with
``exit_rule="end_state"``: the mission hands over and draws down once generic
benchmarks hold (a year under UCDP's armed-conflict threshold, domestic forces
at the host academy's standard; :data:`~endstate.experiments.spell_mission.BENCHMARK_GOALS`),
or leaves when its contributors' tolerance or the host's consent runs out (the
generic floor is derived from the case library by :func:`consent_at_requests`), or
is still there after :data:`HORIZON_MONTHS`.  A multidimensional operation
modelled as starting before 2000 also has the exit doctrine of its era: its
mandate ends on the peace agreement's electoral calendar (the first post-war
vote, then the mandate's end;
:data:`~endstate.experiments.spell_mission.ELECTION_CALENDARS`), recorded as
``deadline``, so that era's durations are largely an input.  The UN list says how long
operations of each type actually stayed.  The two are not the same question:
real mandates end by Security Council decisions in which budgets, elections and
great-power interest weigh as much as benchmarks; the comparison says whether
the model's tempo (how fast spoilers fade and domestic forces grow) is of the
right order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endstate.data import read_ipi_mission_month, read_un_operations
from endstate.data.missions import mission_table
from endstate.engine.runner import simulate
from endstate.experiments.backtest import PEACEKEEPING_TYPES
from endstate.experiments.replay import load_case
from endstate.experiments.spell_mission import months_between, spell_spec
from endstate.model.params import Parameters, load_parameters
from endstate.outcomes.survival import survival_before
from endstate.spec import validate_data
from endstate.types import MISSION_TYPES

from .sources import SpellJob, map_mission_spells

UN_FILE = "un_peacekeeping_operations.csv"
IPI_FILE = "ipi_mission_month.csv"
HORIZON_MONTHS = 240
"""Twenty years: longer than all but the oldest operations for civil conflicts (UNFICYP and UNMOGIP are between states)."""
AT_YEARS = (2, 5, 10)
TYPES = tuple(t for t in MISSION_TYPES if t in PEACEKEEPING_TYPES)
"""The mission types with uniformed peacekeepers, in the order of :data:`~endstate.types.MISSION_TYPES`."""


def un_durations(un_ops: pd.DataFrame, ipi: pd.DataFrame) -> pd.DataFrame:
    """One row per UN peacekeeping operation for a civil conflict: ``mission``, ``mission_type``, ``start``, ``months``, ``ended``.

    Operations mandated for a dispute between states are left out (the model's
    countries are at peace after a civil war), as are special political
    missions; a running operation is censored at the list's last update.
    """
    table = mission_table(un_ops, ipi)
    t = table[(table["org"] == "un") & ~table["interstate"] & table["mission_type"].isin(PEACEKEEPING_TYPES)]
    t = t[t["source"].isin(["un_list", "un_list+ipi"])].drop_duplicates("mission")
    as_of = pd.Timestamp(un_ops["last_update"].max()) if "last_update" in un_ops else pd.Timestamp(un_ops["end_date"].max())
    ended = t["end"].notna().to_numpy()
    end = t["end"].where(t["end"].notna(), as_of)
    months = [max(months_between(s.date(), e.date()), 1) for s, e in zip(t["start"], end, strict=True)]
    return pd.DataFrame(
        {"mission": t["mission"].to_numpy(), "mission_type": t["mission_type"].to_numpy(), "start": t["start"].to_numpy(),
         "months": np.array(months, dtype=np.int64), "ended": ended}
    )


def km_median(months: np.ndarray, ended: np.ndarray) -> float:
    """The first month at which the Kaplan-Meier share still present falls to one half (nan if it never does)."""
    grid = np.arange(1, int(months.max()) + 2)
    s = survival_before(months, ended, grid.tolist())
    below = np.flatnonzero(s <= 0.5)
    return float(grid[below[0]] - 1) if below.size else float("nan")


ERAS = ((1945, 1999, "before 2000"), (2000, 2100, "from 2000"))
"""Start-date eras: the Brahimi report (2000) marks the turn from mandates ending after elections to benchmarked exits."""


def era_groups(df: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The multidimensional operations (or runs) of ``df`` by the era they started in (:data:`ERAS`; ``df`` needs ``start``)."""
    year = pd.to_datetime(df["start"]).dt.year
    multi = df["mission_type"] == "multidimensional"
    return [(f"multidimensional, started {label}", df[multi & year.between(a, b)]) for a, b, label in ERAS]


def duration_table(df: pd.DataFrame, eras: bool = False) -> pd.DataFrame:
    """Per mission type (and all together): operations (or runs), median months present and the share present after 2, 5 and 10 years (Kaplan-Meier).

    With ``eras`` (``df`` needs ``start``), multidimensional operations are
    also split by :data:`ERAS`.
    """
    groups = [*((t, df[df["mission_type"] == t]) for t in TYPES), ("all", df)]
    if eras:
        groups += era_groups(df)
    rows = []
    for name, g in groups:
        if g.empty:
            continue
        m, e = g["months"].to_numpy(), g["ended"].to_numpy().astype(bool)
        present = survival_before(m, e, [12 * y for y in AT_YEARS])
        rows.append({"mission_type": name, "n": len(g), "ended": int(e.sum()), "median_months": km_median(m, e),
                     **{f"present_{y}y": float(p) for y, p in zip(AT_YEARS, present, strict=True)}})
    return pd.DataFrame(rows).set_index("mission_type")


def _exits(job: SpellJob) -> pd.DataFrame:
    spec = spell_spec(job.row, horizon=job.horizon, exit_rule="end_state")
    o = simulate(spec, job.runs, job.seed, params=job.params, series_runs=0).outcomes
    running = o["exit_month"].to_numpy() < 0
    months = np.where(running, job.horizon, o["exit_month"].to_numpy())
    return pd.DataFrame(
        {"case_id": job.row["case_id"], "mission_type": job.row["mission_type"], "start": pd.Timestamp(job.row["peace_start"]),
         "months": np.maximum(months, 1).astype(np.int64),
         "ended": ~running, "exit_reason": o["exit_reason"].astype(str).to_numpy()}
    )


def simulated_durations(
    spells: pd.DataFrame,
    params: Parameters,
    runs: int = 40,
    seed: int = 0,
    workers: int = 1,
    horizon: int = HORIZON_MONTHS,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Months each run of each spell with a peacekeeping operation keeps it, the model deciding (see the module docstring).

    Columns ``case_id``, ``mission_type``, ``start`` (the spell's peace start,
    when its mission is modelled to arrive, for the era split of
    :func:`duration_table`), ``months``, ``ended`` (False: still there at
    ``horizon``) and ``exit_reason``.
    """
    return pd.concat(map_mission_spells(_exits, spells, params, runs, seed, workers, horizon, progress), ignore_index=True)


def exit_reason_shares(model: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Share of runs by exit reason: per mission type, for multidimensional missions per :data:`ERAS`, and among the
    multidimensional runs that left (``running`` excluded), the group in which thresholds met should lead (issue 10)."""
    multi = model["mission_type"] == "multidimensional"
    groups = [(str(t), model[model["mission_type"] == t]) for t in sorted(model["mission_type"].unique())]
    groups += era_groups(model)
    groups.append(("multidimensional, runs that left", model[multi & model["ended"].astype(bool)]))
    return {name: {str(r): round(float(v), 4) for r, v in g["exit_reason"].value_counts(normalize=True).items()}
            for name, g in groups if not g.empty}


def _records(table: pd.DataFrame) -> dict[str, dict[str, float | int | None]]:
    return {str(k): {c: (None if isinstance(v, float) and not np.isfinite(v) else (int(v) if c in ("n", "ended") else round(float(v), 4)))
                     for c, v in row.items()} for k, row in table.iterrows()}


def duration_check(
    data_dir: Path,
    spells: pd.DataFrame,
    params: Parameters,
    runs: int = 40,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """UN operations' durations against the model's, by mission type, with the model's exit reasons: a JSON-ready record."""
    data = un_durations(read_un_operations(data_dir / UN_FILE), read_ipi_mission_month(data_dir / IPI_FILE))
    model = simulated_durations(spells, params, runs, seed, workers, progress=progress)
    return {
        "method": "Kaplan-Meier months present by mission type; the model's missions leave on generic benchmarks "
        "(endstate.calibrate.durations, endstate.experiments.spell_mission.BENCHMARK_GOALS), multidimensional ones "
        "begun before 2000 also on the electoral calendar (endstate.experiments.spell_mission.ELECTION_CALENDARS)",
        "data_source": f"UN peacekeeping operations list ({UN_FILE}), types from IPI personnel ({IPI_FILE}); "
        "operations between states left out; running ones censored at the list's date",
        "model_source": f"UCDP peace spells with a peacekeeping operation, {runs} runs each, up to {HORIZON_MONTHS} months, seed {seed}",
        "data": _records(duration_table(data, eras=True)),
        "model": _records(duration_table(model, eras=True)),
        "model_exit_reasons": exit_reason_shares(model),
    }


CONSENT_REQUESTS: tuple[tuple[str, str], ...] = (
    ("chad_car_minurcat", "2010-01-15"),  # Chad asks that MINURCAT's force not be renewed (January 2010; res 1923)
    ("eritrea_ethiopia_unmee", "2007-12-01"),  # Eritrea cuts UNMEE's fuel, forcing it out (December 2007; res 1827)
    ("mali_minusma", "2023-06-16"),  # Mali's transitional government asks MINUSMA to leave (16 June 2023; res 2690)
)
"""The case library's hosts that withdrew consent, and when they asked (the case specs' sources)."""


def consent_at_requests(runs: int = 200, seed: int = 0, params: Parameters | None = None) -> dict[str, float]:
    """The model's median host consent, case by case, in the month each host of :data:`CONSENT_REQUESTS` asked the
    mission to leave, replayed with that case's host-consent trigger switched off (so the request does not cut the
    series short): the consent level at which real hosts asked, read on the model's own scale.  Its median over the
    cases is the generic spell's trigger floor
    (:data:`~endstate.experiments.spell_mission.HOST_CONSENT_FLOOR`)."""
    out = {}
    for case, asked in CONSENT_REQUESTS:
        spec, _, _ = load_case(case)
        data = spec.model_dump()
        data["exit"]["triggers"]["host_consent"] = None
        spec = validate_data(data, case)
        month = months_between(spec.mission.start_date, pd.Timestamp(asked).date())
        series = simulate(spec, runs, seed, params=params or load_parameters(), series_runs=runs).series
        out[case] = round(float(series.loc[series["month"] == month, "host_consent"].median()), 4)
    return out
