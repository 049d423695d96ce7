"""Simulating many runs of a mission: chunks, progress, outcomes, event logs and series.

Core objects: :func:`simulate_chunk` (runs ``[start, stop)`` of one spec, in one
process), :func:`simulate` (all runs, split into chunks and handed to an
executor) and :class:`Results` (outcomes table, event log, sampled monthly
series, per country and per region).  The outcome table holds, beside each
run's totals, the totals at the end of fixed windows from the mission start
(:data:`WINDOW_YEARS`), so strategies that leave at different times can be
compared on one clock.  Memory is bounded by the chunk size; results do not
depend on the chunk size or the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from endstate.exits.events import EventLog
from endstate.exits.rules import ExitRules
from endstate.model import elections
from endstate.model.compiled import jit
from endstate.model.indicators import indicator
from endstate.model.kernel import KernelMonth, groups, theatre
from endstate.model.params import Parameters, load_parameters
from endstate.model.presence import Deployment, tables
from endstate.model.sampling import draw_initial
from endstate.model.scenario import Scenario, compile_spec
from endstate.model.state import DONE, State, init_state, values
from endstate.model.step import Draws, Month, month_arrays, step
from endstate.spec.models import MissionSpec
from endstate.types import EXIT_REASONS

from . import warmup
from .executors import make_executor
from .seeding import BlockStreams

SERIES = ("violence_per_100k", "battle_deaths", "domestic_force_per_1000", "personnel", "cost_usd", "spoilers", "legitimacy", "host_consent", "at_war")
"""Country-level monthly series of the sampled runs (``cost_usd`` is cumulative spending)."""

REGION_SERIES = ("violence_per_100k", "battle_deaths", "security_coverage", "spoilers", "tasks_handed_over", "goals_held")
"""Monthly series per region of the sampled runs: violence, coverage, spoiler fighters, the tasks handed over
to domestic forces there (the domestic force itself is national in the model) and the region's own goals held."""

WINDOW_YEARS = (5, 10, 15)
"""Fixed windows from the mission start (years) on which strategies that leave at different times are compared.

Five, ten and fifteen years span the usual spans of a multidimensional
operation and the decade after it in which most relapses happen (Collier,
Hoeffler and Soderbom, "Post-conflict risks", J. Peace Research 2008: the risk
is highest in the first post-conflict decade).  What each column means is in
:mod:`endstate.outcomes.columns`.
"""

_WINDOW_TOTALS = {"battle_deaths": "battle_deaths", "civilian_deaths": "civilian_deaths", "cost_usd": "cost"}
"""Outcome stem -> the State accumulator whose value at each window's end is recorded."""


@dataclass
class ChunkJob:
    spec: MissionSpec
    params: Parameters
    seed: int
    start: int
    stop: int
    series_runs: int
    horizon: int | None = None


@dataclass
class Results:
    """One strategy's simulated futures.

    Attributes
    ----------
    outcomes : one row per run (:data:`endstate.outcomes.columns.OUTCOME_COLUMNS`).
    events : the per-run event log (run, month, event, detail, value).
    series : monthly country series of the first ``series_runs`` runs (:data:`SERIES`).
    meta : runs, seed, mission name, region ids, goal ids, phase names.
    regions : monthly series per region of the same runs (:data:`REGION_SERIES`), ``region`` a categorical of region ids.
    """

    outcomes: pd.DataFrame
    events: pd.DataFrame
    series: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)


class RunBatch:
    """Runs ``[start, stop)`` of one scenario, stepped month by month (used by the engine and ``explain``)."""

    def __init__(self, job: ChunkJob):
        self.job = job
        self.sc: Scenario = compile_spec(job.spec, job.horizon)
        self.pv = values(job.params)
        self.pt = tables(self.sc, self.pv)
        self.constants = (theatre(self.sc, self.pv, self.pt), groups(self.pv))  # the kernel's, fixed for the batch
        self.streams = BlockStreams(job.seed, job.start, job.stop)
        ini = draw_initial(self.sc, self.streams)
        self.st: State = init_state(self.sc, ini, self.pv)
        self.rules = ExitRules(self.sc, self.pv)
        self.log = EventLog(job.start)
        self.widths = Draws.widths(self.sc.R, self.sc.C)
        self.max_months = self.sc.horizon + 60 + self.sc.post_exit_months
        pv = self.pv  # every month's election effect, which depends on the month alone
        self.election = elections.log_ratios(np.arange(self.max_months), self.sc.election_months, pv.election_hazard_ratio, pv.election_window_months,
                                             pv.election_early_years)  # fmt: skip
        self.windows: dict[int, dict[str, np.ndarray]] = {}  # years -> outcome stem -> totals at the window's end

    def run(self, record: Callable[[int, Month, np.ndarray], None] | None = None, compact: bool = False, start: int = 0) -> None:
        """Step until every run is done; ``record(month, m, alive)`` sees each month.

        ``start`` is the first month stepped (monitoring continues runs whose
        state was set to that of an earlier month).

        With ``compact``, runs whose observation has ended are no longer
        stepped, and dropped from the arrays once fewer than
        :data:`COMPACT_BELOW` of those stepped are still live, and written back
        at the end; what each run reports is unchanged (its state after its
        observation ended is not kept).
        """
        full, index = self.st, np.arange(self.st.force.shape[0])
        dep = Deployment.empty(self.pt, index.size)  # each run's presence, kept from month to month: only changed runs are recomputed
        # the month's numbers and random numbers: with no one to see them, written into the same arrays each month (fresh
        # large arrays cost page faults); a record callback may keep a month, so it gets fresh ones
        month_out: KernelMonth | None = None
        draws: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        # one BLAS thread: small matrix products are slower threaded.  Overflow and invalid operations are not
        # warned about: _guard finds every non-finite number after each month and flags and stops its run.
        with _thread_pools().limit(limits=1), np.errstate(over="ignore", invalid="ignore"):
            for month in range(start, self.max_months):
                alive = self.st.status < DONE
                live = np.count_nonzero(alive)
                if live == 0:
                    break
                if compact and live / alive.size < COMPACT_BELOW and live > 1:  # (1 run: its arrays would be C- as well as F-ordered, and compiled code would compile again for that layout)
                    _write_back(full, self.st, index, np.flatnonzero(~alive))  # the runs dropped (the others are written back when they are)
                    keep = np.flatnonzero(alive)
                    self.st, index, alive, dep = self.st.take(keep), index[keep], alive[keep], dep.take(keep)
                    self.log.rows = index
                    month_out = draws = None  # sized for the runs stepped before
                if record is None and month_out is None:
                    month_out = month_arrays(index.size, self.sc.R)
                z, u, uc = self.streams.month(*self.widths, rows=None if self.st is full else index, out=draws)
                if record is None:
                    draws = (z, u, uc)  # filled again next month
                m = step(self.sc, self.pv, self.pt, self.st, Draws(z, u, uc), month, skip_done=compact, deployment=dep, constants=self.constants,
                         out=month_out, election=float(self.election[month]))  # fmt: skip
                self.rules.apply(self.st, m, month, self.log)
                _guard(self.st, alive)
                if record is not None:
                    record(month, m, alive)
                if (month + 1) % 12 == 0 and (month + 1) // 12 in WINDOW_YEARS:
                    self._snapshot(full, index, (month + 1) // 12)
        if self.st is not full:
            _write_back(full, self.st, index)
            self.st = full
            self.log.rows = None
        self.close_windows()

    def close_windows(self) -> None:
        """Record the windows not reached yet at the totals so far (after every run was done, or when stepping stopped early)."""
        for years in WINDOW_YEARS:
            if years not in self.windows:
                self._snapshot(self.st, np.arange(self.st.force.shape[0]), years)

    def _snapshot(self, full: State, index: np.ndarray, years: int) -> None:
        """Record the accumulators at the end of a fixed window (finished runs keep their final totals)."""
        snap: dict[str, np.ndarray] = {}
        for stem, attr in _WINDOW_TOTALS.items():
            arr = getattr(full, attr).copy()
            if self.st is not full:
                arr[index] = getattr(self.st, attr)
            snap[stem] = arr
        self.windows[years] = snap


@cache
def _thread_pools() -> ThreadpoolController:
    """The thread pools of the libraries loaded (BLAS: NumPy's, SciPy's), found once a process, at the first batch run:
    finding them (``threadpool_limits`` does it each time) scans every loaded library, 2 ms, as long as a month of
    10,000 runs."""
    return ThreadpoolController()


CHUNK_SIZE = 2048
"""Runs a chunk holds at most, by default (a simulation is cut into equal chunks: :func:`_jobs`).  A month of a
chunk streams its state, presence, random numbers and month arrays (about 3 kB a run) through every compiled stage
in turn: 2,048 runs (6 MB) stay in the processor's caches from one stage to the next, 25,000 (75 MB) come from
memory each time.  Each chunk-month also costs a fixed 60-100 us of Python around the compiled calls (the kernel's
is called without typing its arguments again: :class:`endstate.model.compiled.FastCall`).  Measured side by side
on the default scenario (2026-12-02, one process, fastest of three): one core 2.40M run-months a second in chunks of
1,024, 2.76M of 2,048, 2.88M of 4,096, 2.45M of 6,144, 2.11M of 25,000; two workers 5.16M in chunks of 2,048, 5.00M
of 4,096, 4.36M of 25,000 (the two share the caches).  Smaller chunks also bound memory more tightly."""

COMPACT_BELOW = 0.8
"""Compact a batch when fewer than this share of the runs it steps are still observed."""


def _write_back(full: State, part: State, index: np.ndarray, rows: np.ndarray | None = None) -> None:
    """The runs of ``part`` (the runs ``index`` of ``full``) back into ``full``: those at ``rows`` of it, or all."""
    if part is full:
        return
    at = index if rows is None else index[rows]
    for f in fields(State):
        getattr(full, f.name)[at] = getattr(part, f.name) if rows is None else getattr(part, f.name)[rows]


_CHECKED_2D = ("spoilers", "arms", "tension", "grievance", "fatalities")
_CHECKED_1D = ("force", "legitimacy", "consent", "cost", "force_quality", "processing", "battle_deaths", "civilian_deaths", "peak_personnel")


def _guard(st: State, alive: np.ndarray) -> None:
    """Flag and stop live runs whose numbers became non-finite, so none is ever repaired or reported as a result.

    A flagged run is marked done at once: it is stepped no further, and
    :func:`outcomes_frame` reports its counts and costs as missing.  Its
    values are left as they are; each run is its own row, so they reach no
    other run.
    """
    two, one, numerical_error, status = st.built(_guarded, _guarded)
    _flag_nonfinite(two, one, np.asfortranarray(alive, dtype=np.bool_), numerical_error, status)


def _guarded(st: State) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...], np.ndarray, np.ndarray]:
    """:func:`_flag_nonfinite`'s arrays of ``st`` (built once for a state's arrays: :meth:`~endstate.model.state.State.built`):
    the checked arrays, each 2-D one transposed (a view, row-major whatever its shape, so that the tuple's arrays are of
    one type), and the flags and statuses written in place."""
    checked = st.compiled_arrays((_CHECKED_2D + _CHECKED_1D, np.float64))  # the state's own arrays (the kernel's too), not copies
    numerical_error, status = st.compiled_arrays((("numerical_error",), np.bool_), (("status",), np.int64))
    return tuple(a.T for a in checked[: len(_CHECKED_2D)]), checked[len(_CHECKED_2D) :], numerical_error, status


@jit(nogil=True, error_model="numpy", inline="always")
def _all_finite(a: Any) -> bool:
    """Whether every number of ``a`` is finite: one pass with no branch, which LLVM vectorises."""
    ok = True
    for k in range(a.shape[0]):
        ok &= np.isfinite(a[k])
    return ok


@jit(nogil=True)
def _flag_nonfinite(two: Any, one: Any, alive: Any, numerical_error: Any, status: Any) -> None:
    """:func:`_guard` compiled: each live run with a NaN or an infinity in its row of any of the arrays is flagged and
    marked done.

    ``two`` holds the two-dimensional arrays transposed (column ``n`` is run ``n``'s).  Each array is checked whole
    first, in the order of its memory; only one that holds a non-finite number (rare: this month's, or one a run
    flagged earlier still holds) is then read run by run.
    """
    for a in two:
        if not _all_finite(a.reshape(-1)):
            for n in range(alive.shape[0]):
                if alive[n] and not _all_finite(a[:, n]):
                    numerical_error[n] = True
                    status[n] = DONE
    for b in one:
        if not _all_finite(b):
            for n in range(alive.shape[0]):
                if alive[n] and not np.isfinite(b[n]):
                    numerical_error[n] = True
                    status[n] = DONE


_FLAGGED_NAN = ("battle_deaths", "civilian_deaths", "mission_fatalities", "cost_usd", "peak_personnel", "domestic_force_at_exit")
"""Outcome columns reported as NaN for a flagged run (see ``endstate.outcomes.columns.OUTCOME_COLUMNS``)."""
_FLAGGED_NONE = ("exit_month", "trigger_month", "relapse_month", "conflict_recurrence_month", "war_recurrence_month")
_FLAGGED_FALSE = ("relapsed", "relapse_in_mission", "relapse_2y", "relapse_5y", "relapse_10y", "conflict_recurrence", "war_recurrence")


def _mask_flagged(out: dict[str, np.ndarray]) -> None:
    """A flagged run reports no number it produced: exit reason missing, counts and costs NaN, months -1, nothing relapsed or handed over."""
    bad = out["numerical_error"]
    if not bad.any():
        return
    reasons = out["exit_reason"].copy()
    reasons[bad] = None
    out["exit_reason"] = reasons
    for name in _FLAGGED_NAN:
        out[name] = np.where(bad, np.nan, out[name])
    for name in _FLAGGED_NONE:
        out[name] = np.where(bad, -1, out[name])
    for name in _FLAGGED_FALSE + tuple(f"relapse_by_{y}y" for y in WINDOW_YEARS):
        out[name] = out[name] & ~bad
    for name in (f"{stem}_{y}y" for y in WINDOW_YEARS for stem in _WINDOW_TOTALS):
        out[name] = np.where(bad, np.nan, out[name])
    for name in ("months_observed_after_exit", "phases_handed_over", "tasks_handed_over"):
        out[name] = np.where(bad, 0, out[name])


def _flag_unrecordable_events(st: State, events: dict[str, np.ndarray], start: int) -> None:
    """An event value that is not finite (or too large for the log's float32) flags its run and is recorded as missing."""
    bad = ~np.isfinite(events["value"])
    if bad.any():
        st.numerical_error[np.unique(events["run"][bad]) - start] = True
        events["value"] = np.where(bad, np.float32(np.nan), events["value"])


def outcomes_frame(sc: Scenario, st: State, start: int, windows: dict[int, dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The outcome columns of one batch; ``windows`` holds the accumulators at each fixed window's end.

    Window values of runs observed for less than the window are still the
    final totals here; :func:`mask_unobserved_windows` blanks them.
    """
    n = st.force.shape[0]
    exited = st.exit_month >= 0
    rel = st.relapse_month
    out: dict[str, np.ndarray] = {
        "run": np.arange(start, start + n, dtype=np.int64),
        "exit_month": st.exit_month.astype(np.int64),
        "exit_reason": np.array(EXIT_REASONS, dtype=object)[st.reason],
        "trigger_month": np.where(exited, st.trigger_month, -1).astype(np.int64),
        "relapsed": rel >= 0,
        "relapse_month": rel.astype(np.int64),
        "relapse_in_mission": st.relapse_in_mission.copy(),
    }
    for years in (2, 5, 10):
        out[f"relapse_{years}y"] = (rel >= 0) & exited & (rel < st.exit_month + 12 * years)
    out["conflict_recurrence"] = st.conflict_month >= 0
    out["conflict_recurrence_month"] = st.conflict_month.astype(np.int64)
    out["war_recurrence"] = st.war_month >= 0
    out["war_recurrence_month"] = st.war_month.astype(np.int64)
    out["months_observed_after_exit"] = np.where(exited, sc.post_exit_months, 0).astype(np.int64)
    out["battle_deaths"] = st.battle_deaths.copy()
    out["civilian_deaths"] = st.civilian_deaths.copy()
    out["mission_fatalities"] = st.fatalities.sum(axis=1)
    out["cost_usd"] = st.cost.copy()
    out["peak_personnel"] = st.peak_personnel.copy()
    out["domestic_force_at_exit"] = np.nan_to_num(st.force_at_exit, nan=0.0)
    started = st.phase_start >= 0
    out["phases_handed_over"] = started.sum(axis=1).astype(np.int64)
    phase_tasks = sc.phase_mask.any(axis=2).astype(np.int64)  # (P, K)
    out["tasks_handed_over"] = ((started.astype(np.int64) @ phase_tasks) > 0).sum(axis=1).astype(np.int64) if phase_tasks.size else np.zeros(n, dtype=np.int64)
    out["numerical_error"] = st.numerical_error.copy()
    out["months_observed"] = np.where(exited, st.exit_month + sc.post_exit_months, sc.horizon).astype(np.int64)
    for years in WINDOW_YEARS:
        out[f"relapse_by_{years}y"] = (rel >= 0) & (rel < 12 * years)
        for stem in _WINDOW_TOTALS:
            out[f"{stem}_{years}y"] = windows[years][stem].astype(float)
    _mask_flagged(out)
    return out


def mask_unobserved_windows(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Blank the fixed-window columns of runs observed for less than the window (in place; returned).

    Totals become NaN; ``relapse_by_*`` becomes a nullable boolean, NA where
    the run had not relapsed by the end of its observation (unknown), True
    where it relapsed within the window (known however short the observation).
    """
    observed = outcomes["months_observed"].to_numpy()
    for years in WINDOW_YEARS:
        short = observed < 12 * years
        for stem in _WINDOW_TOTALS:
            col = f"{stem}_{years}y"
            outcomes[col] = np.where(short, np.nan, outcomes[col].to_numpy(dtype=float))
        rel = outcomes[f"relapse_by_{years}y"].to_numpy(dtype=bool)
        outcomes[f"relapse_by_{years}y"] = pd.arrays.BooleanArray(rel, short & ~rel)
    return outcomes


def simulate_chunk(job: ChunkJob) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    batch = RunBatch(job)
    sc, st = batch.sc, batch.st
    k = max(0, min(job.series_runs - job.start, job.stop - job.start))
    rows: list[dict[str, np.ndarray]] = []
    region_rows: list[dict[str, np.ndarray]] = []
    if k > 0:
        P, K, R = sc.phase_mask.shape
        phase_tasks = sc.phase_mask.reshape(P, K * R).astype(np.int64)
        region_goal = (sc.goal_region[:, None] == np.arange(R)[None, :]).astype(np.int64)  # (G, R)

        def record(month: int, m: Month, alive: np.ndarray) -> None:
            sel = np.flatnonzero(alive[:k])  # only runs still observed this month
            rows.append(
                {
                    "run": job.start + sel.astype(np.int64),
                    "month": np.full(sel.size, month, dtype=np.int64),
                    "violence_per_100k": indicator("violence_per_100k", sc, st, m)[sel],
                    "battle_deaths": m.battle.sum(axis=1)[sel],
                    "domestic_force_per_1000": (st.force / sc.population * 1000.0)[sel],
                    "personnel": m.headcount[sel],
                    "cost_usd": st.cost[sel].astype(float),
                    "spoilers": st.spoilers.sum(axis=1)[sel],
                    "legitimacy": st.legitimacy[sel],
                    "host_consent": st.consent[sel],
                    "at_war": st.at_war[sel].astype(np.int8),
                }
            )
            started = (st.phase_start[sel] >= 0).astype(np.int64)
            handed = ((started @ phase_tasks).reshape(sel.size, K, R) > 0).sum(axis=1) if P else np.zeros((sel.size, R), dtype=np.int64)
            held = (st.goal_count[sel] >= sc.goal_sustain[None, :]).astype(np.int64) @ region_goal
            region_rows.append(
                {
                    "run": np.repeat(job.start + sel.astype(np.int64), R),
                    "month": np.full(sel.size * R, month, dtype=np.int64),
                    "region": np.tile(np.arange(R, dtype=np.int16), sel.size),
                    "violence_per_100k": ((m.battle + m.civilian)[sel] / sc.pop[None, :] * 1e5).ravel(),
                    "battle_deaths": m.battle[sel].ravel(),
                    "security_coverage": m.coverage[sel].ravel(),
                    "spoilers": st.spoilers[sel].ravel(),
                    "tasks_handed_over": handed.astype(np.int16).ravel(),
                    "goals_held": held.astype(np.int16).ravel(),
                }
            )

        batch.run(record)
    else:
        batch.run(compact=True)
    series = {key: np.concatenate([r[key] for r in rows]) for key in rows[0]} if rows else {}
    events = batch.log.arrays()
    _flag_unrecordable_events(st, events, job.start)
    regions = {key: np.concatenate([r[key] for r in region_rows]) for key in region_rows[0]} if region_rows else {}
    return outcomes_frame(sc, st, job.start, batch.windows), events, series, regions


@dataclass
class Part:
    """One chunk's share of a result, ready to write: its runs' outcomes, events, series and regional series."""

    outcomes: pd.DataFrame
    events: pd.DataFrame
    series: pd.DataFrame
    regions: pd.DataFrame


def _jobs(
    spec: MissionSpec, runs: int, seed: int, chunk_size: int, params: Parameters, series_runs: int, horizon: int | None, workers: int = 1
) -> list[ChunkJob]:  # fmt: skip
    """The chunks of a simulation: as few as hold at most ``chunk_size`` runs each, rounded up to a multiple of
    ``workers`` (so that every worker has its share: 30,000 runs on two workers are two chunks of 15,000, not one of
    25,000 and one of 5,000), of equal size to a run.  Chunks never change a result.

    A chunk of one run has arrays that are C- as well as F-contiguous, for which Numba compiles everything again: so
    a chunk holds two runs at least (unless ``chunk_size`` is 1), and a last chunk of one run joins the chunk before."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if chunk_size < 1:
        raise ValueError("chunk size must be at least 1")
    w = max(workers, 1)
    fewest = -(-runs // chunk_size)  # chunks of at most chunk_size runs
    count = -(-fewest // w) * w
    size = max(-(-runs // count), min(chunk_size, 2))
    starts = list(range(0, runs, size))
    if len(starts) > 1 and runs - starts[-1] == 1:
        starts.pop()
    return [ChunkJob(spec, params, seed, a, b, series_runs, horizon) for a, b in zip(starts, [*starts[1:], runs], strict=True)]


def _part(spec: MissionSpec, chunk: tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]) -> Part:
    """A chunk's arrays as the frames of a result (chunks hold consecutive runs, so frames in chunk order are in run order)."""
    outcomes = pd.DataFrame(chunk[0])
    outcomes["exit_reason"] = pd.Categorical(outcomes["exit_reason"], categories=list(EXIT_REASONS))
    mask_unobserved_windows(outcomes)
    series = pd.DataFrame(chunk[2])
    if not series.empty:
        series = series.sort_values(["run", "month"], kind="stable", ignore_index=True)
    regions = pd.DataFrame(chunk[3])
    if not regions.empty:
        regions = regions.sort_values(["run", "month", "region"], kind="stable", ignore_index=True)
        regions["region"] = pd.Categorical.from_codes(regions["region"].to_numpy(), categories=list(spec.region_ids))
    return Part(outcomes, pd.DataFrame(chunk[1]), series, regions)


def simulate_parts(
    spec: MissionSpec,
    runs: int,
    seed: int = 0,
    workers: int = 1,
    chunk_size: int = CHUNK_SIZE,
    params: Parameters | None = None,
    series_runs: int = 200,
    horizon: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Part]:
    """Simulate ``runs`` futures of ``spec`` chunk by chunk: each chunk's :class:`Part`, in run order, as soon as it is done.

    A consumer that writes each part away (:func:`endstate.outcomes.stream.write_streamed`) needs memory for a few
    chunks, whatever the number of runs.
    """
    params = params or load_parameters()
    jobs = _jobs(spec, runs, seed, chunk_size, params, series_runs, horizon, workers)
    warmup.ensure(jobs)  # a cold cache: the compiled code compiled on two cores first (endstate.engine.warmup)
    done = [0]

    def on_done(i: int) -> None:
        done[0] += jobs[i].stop - jobs[i].start
        if progress:
            progress(done[0], runs)

    for chunk in make_executor(workers).imap(simulate_chunk, jobs, on_done):
        yield _part(spec, chunk)


def warm_up(
    spec: MissionSpec, runs: int, seed: int = 0, chunk_size: int = CHUNK_SIZE, params: Parameters | None = None, series_runs: int = 200,
    horizon: int | None = None, announce: Callable[[], None] | None = None, workers: int = 1,
) -> bool:  # fmt: skip
    """What :func:`simulate_parts` of the same arguments does first: on a cold cache, compile the engine on both cores
    (:func:`endstate.engine.warmup.ensure`; whether it did).  For a caller about to show progress from a thread (a
    command's progress bar): called before, while the process runs one thread, the children are forked, not spawned
    (each spawned child imports the engine again); ``announce`` is called when the compile starts."""
    return warmup.ensure(_jobs(spec, runs, seed, chunk_size, params or load_parameters(), series_runs, horizon, workers), announce=announce)


def result_meta(spec: MissionSpec, runs: int, seed: int, numerical_errors: int) -> dict[str, Any]:
    """What a result records beside its tables (:attr:`Results.meta`)."""
    return {
        "runs": runs,
        "seed": seed,
        "mission": spec.mission.name,
        "numerical_errors": numerical_errors,
        "regions": list(spec.region_ids),
        "region_shares": [r.population_share for r in spec.theatre.regions],
        "goals": [g.id for g in spec.goals],
        "phases": [ph.name for ph in spec.exit.handover],
        "phase_goals": [list(ph.when) for ph in spec.exit.handover],
        "exit_strategy": spec.exit.strategy,
        "geometry": spec.theatre.geometry,
    }


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def simulate(
    spec: MissionSpec,
    runs: int,
    seed: int = 0,
    workers: int = 1,
    chunk_size: int = CHUNK_SIZE,
    params: Parameters | None = None,
    series_runs: int = 200,
    horizon: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Results:
    """Simulate ``runs`` futures of ``spec`` in memory; identical for any ``workers`` and ``chunk_size``."""
    parts = list(simulate_parts(spec, runs, seed, workers, chunk_size, params, series_runs, horizon, progress))
    outcomes = pd.concat([p.outcomes for p in parts], ignore_index=True)
    events = pd.concat([p.events for p in parts], ignore_index=True)
    meta = result_meta(spec, runs, seed, int(outcomes["numerical_error"].sum()))
    return Results(outcomes, events, _concat([p.series for p in parts]), meta, _concat([p.regions for p in parts]))
