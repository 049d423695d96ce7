"""endstate: plan, simulate and monitor peace support operations and their exit strategies.

The public API, for notebooks and scripts (the CLI uses the same pieces):

Specs
    :func:`load_spec` (a YAML or TOML file), :func:`load_case` (a historical
    operation from the library), :func:`case_ids`, :func:`strategy_specs` (a
    spec's named strategies), :func:`with_changes` (a changed copy, validated
    as a whole; ``"exit_date=2003-01-01"``, any spec path or shortcut).  Specs
    are pydantic models with ``validate_assignment``: setting a field checks
    it (``spec.resources.horizon_months = -1`` raises), but only
    :func:`with_changes` re-checks the rules that span sections.
Simulation and experiments
    :func:`simulate` (one spec -> :class:`Results`), :func:`compare` (several
    strategies on common random numbers -> :class:`Comparison`),
    :func:`replay` (a case as it happened and with changes -> :class:`Replay`),
    :func:`backtest` (the model against historical peace spells).
Results
    pandas DataFrames in attributes (``Results.outcomes``, ``.events``,
    ``.series``, ``.regions``; ``Comparison.rows``, ``.windows``); figures as
    matplotlib ``Figure`` objects (``Comparison.figure(name)``); reports as
    HTML files (``Comparison.write_report(path)``).

Every function takes explicit keyword parameters, and the same seed gives the
same numbers for any number of workers.

Examples
--------
>>> import endstate
>>> spec = endstate.load_spec("examples/east_timor_1999_lead_state.yaml")  # doctest: +SKIP
>>> cmp = endstate.compare(endstate.strategy_specs(spec), runs=2000, seed=1)  # doctest: +SKIP
>>> cmp.bottom_line  # doctest: +SKIP
>>> cmp.windows  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from endstate.engine.runner import CHUNK_SIZE, Results
from endstate.spec import MissionSpec, Problem, SpecError, strategy_specs
from endstate.spec import load_spec as _load_spec

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from endstate.experiments.backtest import BacktestResult
    from endstate.model.params import Parameters
    from endstate.outcomes.stream import Keep

__all__ = [
    "FIGURES",
    "Comparison",
    "MissionSpec",
    "Problem",
    "Replay",
    "Results",
    "SpecError",
    "__version__",
    "backtest",
    "case_ids",
    "compare",
    "load_case",
    "load_spec",
    "replay",
    "simulate",
    "strategy_specs",
    "with_changes",
]

FIGURES = ("exit_time", "peace_survival", "goal_status", "phase_timeline", "spending_personnel", "exit_reason", "fan_chart", "region_series", "region_schematic", "region_map")
"""Names :meth:`Comparison.figure` accepts."""


def load_spec(path: str | Path) -> MissionSpec:
    """Read and validate a mission spec (YAML or TOML); every problem at once in a :class:`SpecError`.

    A relative ``theatre.geometry`` (the GeoJSON file a report draws its map
    from) is resolved against the spec's folder, so the spec can be used from
    anywhere.
    """
    spec = _load_spec(Path(path))
    geometry = spec.theatre.geometry
    if geometry is not None and not Path(geometry).is_absolute():
        spec.theatre.geometry = str((Path(path).parent / geometry).resolve())
    return spec


def case_ids() -> list[str]:
    """Ids of the historical operations in the library (``endstate cases`` lists them with a line each)."""
    from endstate.experiments.replay import case_ids as _ids

    return _ids()


def load_case(case_id: str) -> MissionSpec:
    """The spec of a historical operation from the library, by id (a wrong id raises ``LookupError`` naming near ones)."""
    from endstate.experiments.replay import load_case as _load

    return _load(case_id)[0]


def with_changes(spec: MissionSpec, *changes: str) -> MissionSpec:
    """A copy of ``spec`` with each ``PATH=VALUE`` change applied, validated as a whole spec.

    Parameters
    ----------
    spec : the spec to change (left as it is).
    *changes : ``"exit.end_date=2003-01-01"``, ``"force.contributors[us].troops=20000"``,
        ``"politics.elections+=2004-10-09"`` or a shortcut (``exit_date``,
        ``command``, ``riot_control``, ``border_personnel``, ``training_start``).

    Returns
    -------
    MissionSpec
        The changed spec.  A wrong path raises ``ChangeError`` listing the
        valid paths near it; a value the spec does not allow raises
        :class:`SpecError` with every problem.
    """
    from endstate.experiments.changes import apply_changes

    return apply_changes(spec, list(changes), spec.mission.name)


def simulate(
    spec: MissionSpec,
    *,
    runs: int = 1000,
    seed: int = 0,
    workers: int = 1,
    chunk_size: int = CHUNK_SIZE,
    series_runs: int = 200,
    horizon: int | None = None,
    params: Parameters | None = None,
    out: str | Path | None = None,
    force: bool = False,
    keep_columns: Sequence[str] | None = None,
    keep_events: Sequence[str] | None = None,
    keep_series: bool = True,
) -> Results:
    """Simulate ``runs`` futures of one spec.

    A large simulation can be streamed: with ``out`` the whole result is
    written chunk by chunk into that folder (as ``endstate run --out`` does:
    ``outcomes.parquet``, ``events.parquet``, ``series.parquet``,
    ``regions.parquet`` and ``manifest.json``, in place at once when done),
    and with ``keep_columns``, ``keep_events`` or ``keep_series=False`` only
    that share stays in memory: a million runs then need the kept columns'
    few bytes a run, not the whole tables.  The kept tables are those of the
    whole result, cut to the share.

    Parameters
    ----------
    spec : the mission spec (one strategy; see :func:`strategy_specs`).
    runs : number of simulated futures.
    seed : random seed; run ``k`` draws the same numbers in every strategy.
    workers : processes; results are identical for any number.
    chunk_size : runs a chunk holds at most (bounds memory); the runs are cut into equal chunks, a multiple of ``workers``.
    series_runs : how many runs keep their monthly series (country and regions).
    horizon : months the mission may last (default: the spec's ``resources.horizon_months``).
    params : model parameters (default: the calibrated defaults).
    out : a result folder to write the whole result into as it comes (refused if it holds one, unless ``force``).
    force : replace the result already in ``out``.
    keep_columns : the outcome columns kept in memory, in this order (default: every column).
    keep_events : the kinds of events kept (``"goal_met"``, ``"exit"``, ...; default: every event, ``[]`` none).
    keep_series : whether the sampled monthly series stay in memory.

    Returns
    -------
    Results
        ``outcomes`` (one row per run), ``events``, ``series``, ``regions`` (DataFrames) and ``meta``.
    """
    from endstate.engine.runner import simulate as _simulate

    if out is None and keep_columns is None and keep_events is None and keep_series:
        return _simulate(spec, runs, seed=seed, workers=workers, chunk_size=chunk_size, params=params, series_runs=series_runs, horizon=horizon)
    return _streamed(spec, runs, seed, workers, chunk_size, series_runs, horizon, params, out, force, keep_columns, keep_events, keep_series)


def _streamed(
    spec: MissionSpec, runs: int, seed: int, workers: int, chunk_size: int, series_runs: int, horizon: int | None, params: Parameters | None,
    out: str | Path | None, force: bool, keep_columns: Sequence[str] | None, keep_events: Sequence[str] | None, keep_series: bool,
) -> Results:  # fmt: skip
    """:func:`simulate` chunk by chunk, into ``out`` when given, keeping the share named in memory."""
    from endstate.engine.runner import simulate_parts
    from endstate.outcomes.folder import ResultFolder, spec_hash
    from endstate.outcomes.stream import stream_result

    keep = _keep(keep_columns, keep_events, keep_series)
    parts = simulate_parts(spec, runs, seed, workers, chunk_size, params, series_runs=series_runs, horizon=horizon)
    if out is None:
        return stream_result(spec, runs, seed, parts, keep)
    with ResultFolder(Path(out), force) as folder:
        res = stream_result(spec, runs, seed, parts, keep, folder)
        folder.commit({"specs": {"spec": {"spec_hash": spec_hash(spec)}}, "runs": runs, "seed": seed, "workers": workers, "chunk_size": chunk_size,
                       "horizon": horizon, "series_runs": series_runs})  # fmt: skip
    return res


def _keep(keep_columns: Sequence[str] | None, keep_events: Sequence[str] | None, keep_series: bool) -> Keep:
    """What of a streamed result stays in memory, the names checked (a misspelt one would silently keep nothing)."""
    from endstate.exits.events import EV
    from endstate.outcomes.columns import OUTCOME_COLUMNS
    from endstate.outcomes.stream import Keep

    for name, given, known in (("keep_columns", keep_columns, OUTCOME_COLUMNS), ("keep_events", keep_events, tuple(EV))):
        if isinstance(given, str):
            raise ValueError(f"{name}: {given!r} is not a list of names")
        unknown = [x for x in (given or ()) if x not in known]
        if unknown:
            raise ValueError(f"{name}: unknown {unknown}; known: {list(known)}")
    return Keep(None if keep_columns is None else tuple(keep_columns), None if keep_events is None else tuple(keep_events), keep_series)


@dataclass
class Comparison:
    """Strategies simulated on common random numbers, and what a planner reads off them.

    Attributes
    ----------
    results : strategy name -> :class:`Results`, in the order given.
    reference : the strategy the others are compared with.
    rows : the paired comparison, one row per strategy and metric (fixed windows first), as a DataFrame.
    windows : every strategy on fixed windows from the mission start (rows: measures; columns: strategies).
    bottom_line : a short paragraph: the more durable strategy, its cost, and what binds each exit.
    """

    results: dict[str, Results]
    reference: str
    rows: pd.DataFrame = field(repr=False)
    windows: pd.DataFrame = field(repr=False)
    bottom_line: str = ""

    def goals(self, strategy: str) -> pd.DataFrame:
        """For one strategy: how often each goal is met, held at the exit decision, and binds the exit."""
        from endstate.report.status import binding_goals

        return binding_goals(self.results[strategy])

    def goal_status(self, strategy: str) -> pd.DataFrame:
        """For one strategy: the share of runs in which each goal is met and held, by month."""
        from endstate.report.status import goal_status

        return goal_status(self.results[strategy])

    def phases(self, strategy: str) -> pd.DataFrame:
        """For one strategy: when each handover phase, the exit decision and the departure come."""
        from endstate.report.status import phase_timeline

        return phase_timeline(self.results[strategy])

    def figure(self, name: str, *, variable: str | None = None, geometry: str | Path | None = None) -> Figure:
        """One of the report's figures as a matplotlib ``Figure``; ``name`` is one of :data:`FIGURES`.

        ``variable`` picks the series of ``fan_chart`` and ``region_series``;
        ``geometry`` is the GeoJSON file ``region_map`` needs.
        """
        from endstate.report import figures as f
        from endstate.report import regions as r

        res = self.results
        first = next(iter(res.values()))
        simple = {
            "exit_time": f.exit_time_figure,
            "peace_survival": f.peace_survival_figure,
            "goal_status": f.goal_status_figure,
            "phase_timeline": f.phase_timeline_figure,
            "spending_personnel": f.spending_personnel_figure,
            "exit_reason": f.exit_reason_figure,
        }
        if name in simple:
            return simple[name](res)
        if name == "fan_chart":
            return f.fan_chart_figure(res, variable or "violence_per_100k")
        if name == "region_series":
            return r.region_series_figure(res, variable or "violence_per_100k")
        if name == "region_schematic":
            return r.region_schematic_figure(res, dict(zip(first.meta["regions"], first.meta["region_shares"], strict=True)), variable or "violence_per_100k")
        if name == "region_map":
            if geometry is None:
                raise ValueError("region_map needs geometry=PATH, a GeoJSON file with one feature per region")
            return r.region_map_figure(res, geometry, variable or "violence_per_100k")
        raise ValueError(f"unknown figure '{name}'; choose one of: {', '.join(FIGURES)}")

    def write_report(self, path: str | Path, *, title: str | None = None, geometry: str | Path | None = None) -> Path:
        """Write the self-contained HTML report (bottom line, fixed windows, comparison, goals, regions, figures)."""
        from endstate.report.html import write_report

        name = next(iter(self.results.values())).meta.get("mission", "")
        rows = self.rows.to_dict("records")
        return write_report(path, title or f"{name}: strategies compared", self.results, {"reference": self.reference, "rows": rows}, geometry=geometry)


def _comparison(results: dict[str, Results], reference: str | None) -> Comparison:
    return _compared(results, reference)[0]


def _compared(results: dict[str, Results], reference: str | None) -> tuple[Comparison, dict[str, object]]:
    """The comparison, and the same as plain JSON data (what ``comparison.json`` holds, as ``endstate compare --out`` writes it)."""
    from endstate.experiments.compare import compare as _compare
    from endstate.report.bottom_line import comparison_data

    ref = reference or next(iter(results))
    if ref not in results:
        raise ValueError(f"no strategy '{ref}'; choose one of: {', '.join(results)}")
    data = comparison_data(results, ref, _compare(results, ref) if len(results) > 1 else [])
    return Comparison(results, ref, pd.DataFrame(data["rows"]), pd.DataFrame(data["windows"]), data["bottom_line"]), data


def compare(
    strategies: Mapping[str, MissionSpec],
    *,
    runs: int = 2000,
    seed: int = 0,
    reference: str | None = None,
    workers: int = 1,
    chunk_size: int = CHUNK_SIZE,
    series_runs: int = 200,
    params: Parameters | None = None,
    out: str | Path | None = None,
    force: bool = False,
    keep_columns: Sequence[str] | None = None,
    keep_events: Sequence[str] | None = None,
    keep_series: bool = True,
) -> Comparison:
    """Simulate every strategy on the same random numbers and compare them with ``reference``.

    A large comparison can be streamed, as :func:`simulate` is: with ``out``
    each strategy's whole result is written chunk by chunk into
    ``out/<strategy>/``, with ``comparison.json`` (the bottom line, windows and
    rows) and ``manifest.json`` beside them, in place at once when done (as
    ``endstate compare --out`` writes it); with ``keep_columns``,
    ``keep_events`` or ``keep_series=False`` only that share of each strategy
    stays in memory, and with it what the comparison itself reads
    (:data:`endstate.experiments.compare.COMPARISON_KEEP`: the compared
    columns and the goal events), so that a million runs a strategy hold a few
    hundred MB.  ``rows``, ``windows`` and ``bottom_line`` are the same either
    way; the figures and the goal and phase tables need what they read kept
    (the series, the phase events).

    Parameters
    ----------
    strategies : name -> spec, e.g. :func:`strategy_specs` of a spec (its
        ``baseline`` entry is dropped when there are named strategies).
    runs, seed, workers, chunk_size, series_runs, params : as in :func:`simulate`.
    reference : the strategy the others are compared with (default: the first).
    out, force, keep_columns, keep_events, keep_series : as in :func:`simulate`, for each strategy.

    Returns
    -------
    Comparison
        With ``rows`` (paired differences, 95% intervals, fixed windows from
        the mission start first; a row that cannot be computed says why in
        ``note``), ``windows`` and ``bottom_line``.
    """
    from endstate.experiments.compare import COMPARISON_KEEP, run_strategies
    from endstate.outcomes.folder import ResultFolder, spec_hash
    from endstate.outcomes.stream import KEEP_ALL

    specs = dict(strategies)
    if len(specs) > 1 and "baseline" in specs:
        specs.pop("baseline")
    if not specs:
        raise ValueError("compare needs at least one strategy")
    if reference is not None and reference not in specs:
        raise ValueError(f"no strategy '{reference}'; choose one of: {', '.join(specs)}")
    keep = _keep(keep_columns, keep_events, keep_series)
    keep = keep if keep == KEEP_ALL else keep.including(COMPARISON_KEEP)
    if out is None:
        return _comparison(run_strategies(specs, runs, seed, workers, chunk_size, params, series_runs=series_runs, keep=keep), reference)
    with ResultFolder(Path(out), force) as folder:
        results = run_strategies(specs, runs, seed, workers, chunk_size, params, series_runs=series_runs, keep=keep, folder=folder)
        cmp, data = _compared(results, reference)
        folder.write_json("comparison.json", {"runs": runs, "seed": seed, **data})
        folder.commit({"specs": {n: {"spec_hash": spec_hash(s)} for n, s in specs.items()}, "runs": runs, "seed": seed, "workers": workers,
                       "chunk_size": chunk_size, "series_runs": series_runs})  # fmt: skip
    return cmp


@dataclass
class Replay(Comparison):
    """A historical case as it happened and with changes (one arm per change, and all together).

    Attributes (besides those of :class:`Comparison`)
    ----------
    case_id : the case.
    history : the recorded facts beside the model's probability of each (a DataFrame).
    """

    case_id: str = ""
    history: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)


def replay(case_id: str, *, changes: Sequence[str] = (), runs: int = 2000, seed: int = 0, workers: int = 1) -> Replay:
    """Replay a historical operation, and each change to it, on common random numbers.

    Parameters
    ----------
    case_id : one of :func:`case_ids`.
    changes : ``PATH=VALUE`` changes; each gets its own arm, and with more than
        one there is an arm with all of them together.
    runs, seed, workers : as in :func:`simulate`.

    Returns
    -------
    Replay
        ``results`` (arm -> Results, the first ``"as it happened"``), ``rows``
        (each arm minus the case as it happened), ``history``.
    """
    from endstate.experiments.replay import replay as _replay

    rep = _replay(case_id, runs, seed, list(changes), workers)
    base = _comparison(rep.results, "as it happened")
    return Replay(base.results, base.reference, base.rows, base.windows, base.bottom_line, case_id, pd.DataFrame(rep.checks))


def backtest(spells: str | Path | pd.DataFrame, *, runs: int = 200, seed: int = 0, workers: int = 1, ucdp_rule: bool = False) -> BacktestResult:
    """Score the model against historical peace spells (a spell file, see ``endstate spells build``, or its DataFrame).

    Returns a ``BacktestResult`` with ``metrics`` (Brier scores, C-index),
    ``cases`` (per-spell relapse probabilities) and ``survival`` (predicted
    against Kaplan-Meier observed), as DataFrames and a dict.
    """
    from endstate.data import read_spells
    from endstate.experiments.backtest import backtest as _backtest

    frame = spells if isinstance(spells, pd.DataFrame) else read_spells(Path(spells))
    return _backtest(frame, runs=runs, seed=seed, workers=workers, entry="ucdp" if ucdp_rule else "none")
