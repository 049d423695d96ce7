"""Checking the model against history: battle deaths against UN troop levels (IPI personnel with UCDP deaths).

Core objects: :func:`host_panel` (the data: country-years of the countries that
hosted a UN force, with the UN's uniformed personnel and the battle deaths
fought on their soil), :func:`simulated_panel` (the model's counterpart:
run-years of the historical peace spells that had a peacekeeping operation),
:func:`lagged_fe` (one estimator applied to both) and :func:`troop_check`
(both sides, the record ``endstate calibrate`` writes).

The estimator is a within-unit (fixed-effects) regression of
``log(1 + battle deaths in year t)`` on ``log(1 + personnel in year t-1)`` and
``log(1 + battle deaths in year t-1)``, with standard errors clustered by unit:
the lagged design of Hultman, Kathman & Shannon (APSR 2014), who find more UN
troops followed by fewer battle deaths, in its plainest form (no controls, no
count model).  Personnel are lagged because deployments answer violence: this
year's troops are sent because of this year's fighting (in these data the
same-year association is positive).  The coefficient is an association, not a
controlled effect, on both sides: what makes it a useful check is that data and
model go through exactly the same estimator.

Two differences between the panels are stated rather than hidden.  The data
panel holds every year 1990-2013 of each host country, including war years
before a mission came; the model's runs start at the ceasefire with the mission
there (the spell mapping of :mod:`endstate.experiments.spell_mission`), so
their variation in personnel comes from drawdown, contributors leaving and the
mission's end.  And the data count troops, police and observers of UN missions
only; the model counts every international uniformed person of the operation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from endstate.data import read_battle_deaths, read_ipi_mission_month
from endstate.data.crosswalk import gw_to_iso3, parse_codes
from endstate.engine.runner import simulate
from endstate.experiments.spell_mission import spell_spec
from endstate.model.params import Parameters

from .sources import SpellJob, map_mission_spells

IPI_FILE = "ipi_mission_month.csv"
BATTLE_DEATHS_FILE = "ucdp_battle_deaths_dyadic.csv"
HOST_FLOOR = 500.0
"""A country hosted a UN force when the UN's uniformed personnel there averaged at least this many in some year (fewer
are liaison and observer teams)."""
YEARS = (1990, 2013)
"""Whole years of IPI's mission-month data (November 1990 to February 2014): 1990 serves as the first lag only."""
HORIZON_MONTHS = 120
"""Years simulated per peace spell for the model's panel: ten, long enough for most missions to end."""
SENSITIVITY: dict[str, tuple[float, ...]] = {"coverage_violence_effect": (0.5, 0.95), "relapse_coverage": (0.0, 3.0)}
"""The two parameters through which personnel act on deaths in the model (directly on violence, and on the risk of
war resuming), each set to the ends of its stated range: does the model's coefficient move with them?"""
BINS = (-1.0, 0.0, 1_000.0, 5_000.0, 10_000.0, np.inf)
BIN_LABELS = ("none", "1-1,000", "1,001-5,000", "5,001-10,000", "over 10,000")


def battle_deaths_by_country_year(bd: pd.DataFrame) -> pd.Series:
    """UCDP best estimates summed per (iso3, year) of the fighting's location (split evenly when a dyad lists several)."""
    rows: list[tuple[str, int, float]] = []
    for loc, year, deaths in zip(bd["gwno_loc"], bd["year"], bd["bd_best"], strict=True):
        codes = [c for c in (gw_to_iso3(x) for x in parse_codes(loc)) if c]
        for iso in codes:
            rows.append((iso, int(year), float(deaths) / len(codes)))
    df = pd.DataFrame(rows, columns=["iso3", "year", "battle_deaths"])
    return df.groupby(["iso3", "year"])["battle_deaths"].sum()


def host_panel(ipi: pd.DataFrame, bd: pd.DataFrame, floor: float = HOST_FLOOR, years: tuple[int, int] = YEARS) -> pd.DataFrame:
    """Every year in ``years`` of every country that hosted a UN force: mean monthly UN personnel and battle deaths.

    ``ipi`` is :func:`~endstate.data.read_ipi_mission_month`'s frame, ``bd``
    :func:`~endstate.data.read_battle_deaths`'s.  Index ``(unit, year)``;
    columns ``personnel`` (troops, police and observers of all UN missions in
    the country, averaged over the year's twelve months; 0 without a mission)
    and ``battle_deaths`` (0 in a year UCDP records none).
    """
    month = ipi.groupby(["iso3", "date"], as_index=False)["total"].sum()
    month["year"] = month["date"].dt.year
    per_year = month.groupby(["iso3", "year"])["total"].sum() / 12.0
    hosts = sorted(per_year[per_year >= floor].index.get_level_values(0).unique())
    idx = pd.MultiIndex.from_product([hosts, range(years[0], years[1] + 1)], names=["unit", "year"])
    deaths = battle_deaths_by_country_year(bd)
    deaths.index = deaths.index.set_names(["unit", "year"])
    per_year.index = per_year.index.set_names(["unit", "year"])
    return pd.DataFrame(
        {"personnel": per_year.reindex(idx).fillna(0.0).astype(float), "battle_deaths": deaths.reindex(idx).fillna(0.0).astype(float)},
        index=idx,
    )


@dataclass(frozen=True)
class Estimate:
    """The lagged fixed-effects estimate (see the module docstring)."""

    personnel: float  # coefficient on log(1 + personnel) a year earlier
    personnel_se: float
    persistence: float  # coefficient on log(1 + battle deaths) a year earlier (nan in the static form)
    persistence_se: float
    units: int
    observations: int

    @property
    def long_run(self) -> float:
        """The personnel coefficient over (1 - persistence): the effect once the lagged deaths have caught up."""
        return self.personnel / (1.0 - self.persistence) if np.isfinite(self.persistence) else self.personnel

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the static form's persistence is ``None``)."""
        return {
            "personnel": self.personnel, "personnel_se": self.personnel_se, "persistence": _num(self.persistence),
            "persistence_se": _num(self.persistence_se), "long_run": self.long_run, "units": self.units, "observations": self.observations,
        }


def lagged_fe(panel: pd.DataFrame, dynamic: bool = True) -> Estimate:
    """Within-unit least squares of this year's log deaths on last year's log personnel (and log deaths, when ``dynamic``).

    ``panel`` is indexed ``(unit, year)`` with consecutive years per unit and
    columns ``personnel`` and ``battle_deaths``.  Standard errors are
    clustered by unit (sandwich with unit score sums, no small-sample factor).
    """
    p = panel.sort_index()
    logs = np.log1p(p[["personnel", "battle_deaths"]].astype(float))
    lagged = logs.groupby(level=0).shift(1)
    xs = ["lag_personnel", "lag_deaths"] if dynamic else ["lag_personnel"]
    d = pd.DataFrame(
        {"y": logs["battle_deaths"], "lag_personnel": lagged["personnel"], "lag_deaths": lagged["battle_deaths"]}, index=p.index
    ).dropna()
    demeaned = d - d.groupby(level=0).transform("mean")
    X = demeaned[xs].to_numpy(float)
    y = demeaned["y"].to_numpy(float)
    if len(y) <= len(xs) or np.linalg.matrix_rank(X) < len(xs):
        raise ValueError("too few observations or no variation to estimate the lagged regression")
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    resid = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    meat = np.zeros((len(xs), len(xs)))
    for rows in d.groupby(level=0).indices.values():
        s = X[rows].T @ resid[rows]
        meat += np.outer(s, s)
    se = np.sqrt(np.diag(bread @ meat @ bread))
    units = int(d.index.get_level_values(0).nunique())
    if dynamic:
        return Estimate(float(beta[0]), float(se[0]), float(beta[1]), float(se[1]), units, len(y))
    return Estimate(float(beta[0]), float(se[0]), float("nan"), float("nan"), units, len(y))


def since_mission(panel: pd.DataFrame, floor: float = 0.0) -> pd.DataFrame:
    """The unit-years of ``panel`` from each unit's first year with more than ``floor`` personnel on (units never above it dropped).

    The model's runs start at the ceasefire with the mission there; this cuts the data panel the same way (no war
    years before a mission came), so the two can be compared on one design as well as on the data's.
    """
    p = panel.sort_index()
    units = p.index.get_level_values(0)
    years = p.index.get_level_values(1)
    first = p[p["personnel"] > floor].reset_index().groupby(p.index.names[0])[p.index.names[1]].min()
    start = first.reindex(units).to_numpy(dtype=float)
    return p[np.isfinite(start) & (years.to_numpy(dtype=float) >= start)]


def by_personnel(panel: pd.DataFrame) -> pd.DataFrame:
    """Unit-years by the previous year's personnel: how many, mean and median battle deaths, share at war level (1,000+)."""
    p = panel.sort_index()
    lag = p["personnel"].groupby(level=0).shift(1)
    d = p.assign(lag=lag).dropna(subset=["lag"])
    d["bin"] = pd.cut(d["lag"], list(BINS), labels=list(BIN_LABELS))
    g = d.groupby("bin", observed=False)["battle_deaths"]
    return pd.DataFrame(
        {"unit_years": g.size(), "mean_deaths": g.mean(), "median_deaths": g.median(), "war_share": g.apply(lambda s: float((s >= 1000).mean()) if len(s) else np.nan)}
    )


def _run_years(job: SpellJob) -> pd.DataFrame:
    spec = spell_spec(job.row, horizon=job.horizon)
    res = simulate(spec, job.runs, job.seed, params=job.params, series_runs=job.runs)
    s = res.series
    full = s.assign(year=s["month"] // 12).groupby(["run", "year"]).agg(
        personnel=("personnel", "mean"), battle_deaths=("battle_deaths", "sum"), months=("month", "size")
    )
    full = full[(full["months"] == 12) & (full.index.get_level_values("year") < job.horizon // 12)].reset_index()
    full["unit"] = f"{job.row['case_id']}/" + full["run"].astype(str)
    return full.set_index(["unit", "year"])[["personnel", "battle_deaths"]]


def simulated_panel(
    spells: pd.DataFrame,
    params: Parameters,
    runs: int = 40,
    seed: int = 0,
    workers: int = 1,
    horizon: int = HORIZON_MONTHS,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run-years of every spell in ``spells`` with a peacekeeping operation, simulated ``horizon`` months from the ceasefire.

    Each spell is mapped to a spec by :func:`~endstate.experiments.spell_mission.spell_spec`
    (the mission present until its historical end) and run ``runs`` times
    with ``seed`` and relapse on; a unit is one run of one spell.  Same shape
    as :func:`host_panel`.
    """
    return pd.concat(map_mission_spells(_run_years, spells, params, runs, seed, workers, horizon, progress))


def troop_check(
    data_dir: Path,
    spells: pd.DataFrame,
    params: Parameters,
    runs: int = 40,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Data and model through the same lagged estimator, and deaths by personnel level: a JSON-ready record."""
    data = host_panel(read_ipi_mission_month(data_dir / IPI_FILE), read_battle_deaths(data_dir / BATTLE_DEATHS_FILE))
    model = simulated_panel(spells, params, runs, seed, workers, progress=progress)
    out: dict[str, Any] = {
        "method": "within-unit OLS of log(1 + battle deaths) on last year's log(1 + personnel) and log(1 + battle deaths), "
        "clustered by unit (endstate.calibrate.troops)",
        "data_source": f"IPI mission-month personnel ({IPI_FILE}) with UCDP battle deaths ({BATTLE_DEATHS_FILE}), "
        f"countries hosting at least {HOST_FLOOR:.0f} UN personnel in some year, {YEARS[0]}-{YEARS[1]}",
        "model_source": f"UCDP peace spells with a peacekeeping operation, {runs} runs each, {HORIZON_MONTHS} months, seed {seed}",
    }
    for name, panel in (("data", data), ("model", model)):
        out[name] = {
            "dynamic": lagged_fe(panel, dynamic=True).as_dict(),
            "static": lagged_fe(panel, dynamic=False).as_dict(),
            "by_personnel": {str(k): {c: _num(v) for c, v in row.items()} for k, row in by_personnel(panel).iterrows()},
        }
    d, m = out["data"]["dynamic"], out["model"]["dynamic"]
    out["difference_in_data_se"] = (m["personnel"] - d["personnel"]) / d["personnel_se"]
    out["sensitivity"] = []
    for name, values in SENSITIVITY.items():
        for v in values:
            e = lagged_fe(simulated_panel(spells, params.with_values(**{name: v}), runs, seed, workers), dynamic=True)
            out["sensitivity"].append({"parameter": name, "value": v, "personnel": e.personnel, "personnel_se": e.personnel_se})
    return out


def _num(v: Any) -> float | int | None:
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    return None if not np.isfinite(f) else round(f, 6)
