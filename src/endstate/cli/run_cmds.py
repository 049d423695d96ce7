"""Simulation commands: ``run``, ``compare``, ``explain``, ``demo`` (the main job) and ``verify``.

Every command that writes a result writes it through
:class:`endstate.outcomes.folder.ResultFolder`: checked writable before
simulating, complete or not at all, with a manifest ``verify`` checks.
"""

from __future__ import annotations

import contextlib
import json
import time
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from endstate.cli._app import (
    EXIT_USAGE,
    CalibrationOpt,
    ForceOpt,
    UserError,
    app,
    console,
    err_console,
    load_calibration,
    plain,
    user_errors,
)
from endstate.engine.runner import CHUNK_SIZE, WINDOW_YEARS, Results, simulate_parts, warm_up
from endstate.experiments.compare import COMPARED_COLUMNS, COMPARISON_KEEP, Row, compare, rows_as_dicts, run_strategies
from endstate.experiments.explain import explain_run
from endstate.model.params import Parameters
from endstate.outcomes.folder import MIN_FREE_BYTES, ResultFolder, file_sha256, spec_hash, verify
from endstate.outcomes.stream import Keep, stream_result
from endstate.report.bottom_line import bottom_line, comparison_data
from endstate.report.html import fmt_number, fmt_share, summary_table, write_report
from endstate.report.stats import window_summary
from endstate.spec import MissionSpec, load_spec, strategy_specs

DEFAULT_SCENARIO = "east_timor_1999_lead_state.yaml"
DEMO_STRATEGIES = ("calendar_exit", "security_keeping", "committee_transformation")

RunsOpt = Annotated[int, typer.Option("--runs", "-n", min=1, help="Number of simulated futures.")]
SeedOpt = Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed; the same seed gives the same results.")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")]
ChunkOpt = Annotated[int, typer.Option("--chunk-size", min=1, help="Runs a chunk holds at most (bounds memory); a simulation is cut into equal chunks, a multiple of --workers.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as one JSON object on stdout, instead of tables.")]


def default_scenario_path() -> Path:
    return Path(str(resources.files("endstate.scenarios").joinpath(DEFAULT_SCENARIO)))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err_console, transient=True
    )


def _compiling() -> None:
    err_console.print("compiling the engine on two cores, once for these sources (about 20 s)", highlight=False)


def _warm_up(specs: dict[str, MissionSpec], runs: int, seed: int, workers: int, chunk: int, params: Parameters) -> None:
    """On a cold cache, compile each layout of these specs before the progress bar starts (its thread would make the
    compiling children spawned rather than forked), saying so."""
    for spec in specs.values():
        warm_up(spec, runs, seed, chunk, params, announce=_compiling, workers=workers)


def _pick(spec: MissionSpec, path: Path, strategy: str | None) -> MissionSpec:
    if strategy is None:
        return spec
    specs = strategy_specs(spec, str(path))
    if strategy not in specs:
        raise UserError(f"{path}: no strategy '{strategy}'; the spec declares: {', '.join(specs)}")
    return specs[strategy]


SUMMARY_KEEP = Keep(COMPARED_COLUMNS, events=(), series=False)
"""What ``run`` keeps in memory for its summary: :func:`summary_table` reads some of the columns a comparison reads."""
REPORT_KEEP = Keep(events=("goal_met", "goal_lapsed", "phase_handed_over"))
"""What ``demo`` keeps for its HTML report: every outcome column, the sampled series and the goal and phase events."""


def write_outputs(folder: ResultFolder, prefix: str, res: Results, summary: dict[str, Any]) -> None:
    """Write one strategy's files into ``folder`` (under ``prefix/`` when given); they appear only when the folder is committed."""
    base = f"{prefix}/" if prefix else ""
    folder.write_parquet(f"{base}outcomes.parquet", res.outcomes)
    folder.write_parquet(f"{base}events.parquet", res.events)
    if not res.series.empty:
        folder.write_parquet(f"{base}series.parquet", res.series)
    if not res.regions.empty:
        folder.write_parquet(f"{base}regions.parquet", res.regions)
    folder.write_json(f"{base}summary.json", summary)


BYTES_PER_RUN = 256
"""Room a result needs per run and strategy, checked before simulating: a 1,000-run result of the default scenario
measured 51 bytes a run of outcomes and 61 of events (plus about 1.6 MB of series), doubled for margin."""


def room(runs: int, strategies: int = 1) -> int:
    """Free bytes to ask for beside a result folder before simulating."""
    return max(MIN_FREE_BYTES, BYTES_PER_RUN * runs * strategies)


def provenance(specs: dict[str, tuple[Path, MissionSpec]], runs: int, seed: int, workers: int, chunk: int, calibration: dict[str, Any]) -> dict[str, Any]:
    """What a manifest records about a simulation: each spec file and its parsed hash, the parameters, seed and split."""
    return {
        "specs": {name: {"file": str(p), "file_sha256": file_sha256(p), "spec_hash": spec_hash(spec)} for name, (p, spec) in specs.items()},
        **calibration,
        "runs": runs,
        "seed": seed,
        "workers": workers,
        "chunk_size": chunk,
    }


def summarise(res: Results) -> dict[str, Any]:
    return {**res.meta, **summary_table(res)}


def _warn_numerical(results: dict[str, Results]) -> None:
    for name, res in results.items():
        if res.meta["numerical_errors"]:
            err_console.print(
                f"[yellow]warning:[/] {res.meta['numerical_errors']} run(s) of {escape(name)} hit non-finite numbers; they were stopped, "
                "flagged in the numerical_error column with their counts and costs missing, and left out of the summary",
                highlight=False,
            )


@app.command()
def run(
    spec_path: Annotated[Path, typer.Argument(metavar="SPEC", help="Mission spec file.")],
    runs: RunsOpt = 1000,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
    chunk_size: ChunkOpt = CHUNK_SIZE,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for outcomes.parquet, events.parquet, series.parquet and summary.json.")] = Path("results/run"),
    strategy: Annotated[str | None, typer.Option("--strategy", help="Run one of the spec's named strategies.")] = None,
    force: ForceOpt = False,
    calibration: CalibrationOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Simulate a mission: one row per run in OUT/outcomes.parquet, a summary in OUT/summary.json, provenance in OUT/manifest.json."""
    with user_errors():
        spec = _pick(load_spec(spec_path), spec_path, strategy)
        params, cal = load_calibration(calibration)
        with ResultFolder(out, force, room(runs)) as folder:
            t0 = time.perf_counter()
            _warm_up({"spec": spec}, runs, seed, workers, chunk_size, params)
            with _progress() as bar:  # each chunk is written as it is done; what stays is the columns the summary reads
                task = bar.add_task("simulating", total=runs)
                parts = simulate_parts(spec, runs, seed, workers, chunk_size, params, progress=lambda d, t: bar.update(task, completed=d))
                res = stream_result(spec, runs, seed, parts, SUMMARY_KEEP, folder)
            _warn_numerical({spec.mission.name: res})
            summary = summarise(res)
            summary["seconds"] = round(time.perf_counter() - t0, 2)
            folder.write_json("summary.json", summary)
            folder.commit(provenance({strategy or "spec": (spec_path, spec)}, runs, seed, workers, chunk_size, cal))
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        _print_summary(summary)
        console.print(f"wrote {out}: outcomes.parquet, events.parquet, series.parquet, summary.json, manifest.json", markup=False, highlight=False)


def _print_summary(summary: dict[str, Any]) -> None:
    t = Table(title=plain(summary.get("mission", "")), show_header=False)
    for k, v in summary.items():
        if k != "mission":
            t.add_row(k, plain(json.dumps(v) if isinstance(v, (dict, list)) else v))
    console.print(t)


def _comparison_tables(rows: list[Row]) -> list[Table]:
    """One table per strategy against the reference; fixed windows from the mission start first, each row says mean or share."""
    tables: list[Table] = []
    for name in dict.fromkeys(r.strategy for r in rows):
        mine = [r for r in rows if r.strategy == name]
        t = Table(title=plain(f"{name} minus {mine[0].reference} (paired runs, 95% intervals)"))
        for col in ("metric", "statistic", mine[0].reference, name, "difference", "95% interval", ""):
            t.add_column(plain(col), justify="left" if col in ("metric", "statistic", "") else "right")
        clock = None
        for r in mine:
            if r.metric.startswith("share exiting") and r.reference_value == 0 and r.strategy_value == 0:
                continue
            if r.clock != clock:
                clock = r.clock
                t.add_row(f"[bold]{clock}[/]", end_section=False)
            fmt = fmt_share if r.statistic == "share of runs" else fmt_number
            if r.significant is None:
                t.add_row(plain(r.metric), r.statistic, "n/a", "n/a", "n/a", "", f"[dim]{r.note.split(';')[0]}[/]")
                continue
            note = "[green]significant[/]" if r.significant else "[yellow]not significant[/]"
            t.add_row(
                plain(r.metric), r.statistic, fmt(r.reference_value), fmt(r.strategy_value), fmt(r.difference, True),
                f"[{fmt(r.ci_low, True)}, {fmt(r.ci_high, True)}]", note,
            )
        tables.append(t)
    return tables


def window_table(results: dict[str, Results]) -> Table:
    """Every strategy on fixed windows from the mission start (the demo's and compare's first table)."""
    sums = {n: window_summary(r) for n, r in results.items()}
    t = Table(title="Fixed windows from the mission start (every strategy on the same clock)")
    t.add_column("measure")
    for n in results:
        t.add_column(n, justify="right")

    def cell(v: float | None, fmt: Any, observed: float | None) -> str:
        return fmt(v) if v is not None else f"n/a ({fmt_share(observed)} observed)"

    for y in WINDOW_YEARS:
        t.add_row(f"share of runs with no relapse by year {y}", *(cell(s[f"p_no_relapse_by_{y}y"], fmt_share, s[f"observed_{y}y"]) for s in sums.values()))
    for y in WINDOW_YEARS:
        for key, label in (("battle_deaths", "mean battle deaths"), ("civilian_deaths", "mean civilian deaths"), ("cost_usd_m", "mean cost (US$ m)")):
            t.add_row(f"{label}, years 0-{y}", *(cell(s[f"{key}_{y}y_mean"], fmt_number, s[f"observed_{y}y"]) for s in sums.values()))
    return t


def _print_comparison(rows: list[Row]) -> None:
    for t in _comparison_tables(rows):
        console.print(t)


def _run_many(
    specs: dict[str, MissionSpec], runs: int, seed: int, workers: int, chunk: int, params: Parameters, keep: Keep, folder: ResultFolder | None
) -> dict[str, Results]:
    """Each strategy streamed into ``folder/<name>/`` (when given), what ``keep`` names kept in memory, with a progress bar each."""
    _warm_up(specs, runs, seed, workers, chunk, params)
    with _progress() as bar:
        tasks = {n: bar.add_task(escape(n), total=runs) for n in specs}
        results = run_strategies(specs, runs, seed, workers, chunk, params, lambda n, d, t: bar.update(tasks[n], completed=d), keep=keep, folder=folder)
    _warn_numerical(results)
    return results


@app.command("compare")
def compare_cmd(
    spec_path: Annotated[Path, typer.Argument(metavar="SPEC", help="Mission spec whose named strategies are compared.")],
    strategies: Annotated[list[str] | None, typer.Option("--strategy", help="Compare only these named strategies of the spec (repeatable).")] = None,
    strategy_files: Annotated[
        list[Path] | None, typer.Option("--strategy-file", help="Compare the spec with these spec files instead of its named strategies (repeatable).")
    ] = None,
    runs: RunsOpt = 2000,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
    chunk_size: ChunkOpt = CHUNK_SIZE,
    reference: Annotated[str | None, typer.Option("--reference", help="Strategy the others are compared with (default: the first).")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write each strategy's outcome files and comparison.json to this folder.")
    ] = None,
    force: ForceOpt = False,
    calibration: CalibrationOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Compare exit strategies with paired runs: differences with 95% intervals."""
    with user_errors():
        base = load_spec(spec_path)
        if strategy_files and strategies:
            raise UserError("pass either --strategy NAME (the spec's named strategies) or --strategy-file FILE, not both")
        files = {"baseline": spec_path}
        if strategy_files:
            specs = {"baseline": base} | {p.stem: load_spec(p) for p in strategy_files}
            files |= {p.stem: p for p in strategy_files}
        else:
            named = strategy_specs(base, str(spec_path))
            unknown = [n for n in strategies or [] if n not in named]
            if unknown:
                raise UserError(f"{spec_path}: no strategy {', '.join(repr(n) for n in unknown)}; the spec declares: {', '.join(named)}")
            specs = {n: named[n] for n in strategies} if strategies else named
            if not strategies and len(specs) > 1:
                specs.pop("baseline")
        if len(specs) < 2:
            raise UserError(f"{spec_path}: nothing to compare; declare named strategies in the spec, name two with --strategy, or pass --strategy-file FILE")
        if reference is not None and reference not in specs:
            raise UserError(f"no strategy '{reference}'; choose one of: {', '.join(specs)}")
        params, cal = load_calibration(calibration)
        with ResultFolder(out, force, room(runs, len(specs))) if out is not None else contextlib.nullcontext() as folder:
            results = _run_many(specs, runs, seed, workers, chunk_size, params, COMPARISON_KEEP, folder)
            rows = compare(results, reference)
            data = {"runs": runs, "seed": seed, **comparison_data(results, reference or next(iter(specs)), rows)}
            if folder is not None:
                for name, res in results.items():
                    folder.write_json(f"{name}/summary.json", summarise(res))
                folder.write_json("comparison.json", data)
                folder.commit(provenance({n: (files.get(n, spec_path), s) for n, s in specs.items()}, runs, seed, workers, chunk_size, cal))
    if as_json:
        typer.echo(json.dumps(data))
    else:
        console.print(data["bottom_line"], highlight=False, markup=False)
        console.print(window_table(results))
        _print_comparison(rows)
        if out is not None:
            console.print(f"wrote {out}", markup=False, highlight=False)


@app.command()
def explain(
    spec_path: Annotated[Path, typer.Argument(metavar="SPEC", help="Mission spec file.")],
    run_index: Annotated[int, typer.Option("--run", "-k", min=0, help="Which run to explain.")] = 0,
    seed: SeedOpt = 0,
    strategy: Annotated[str | None, typer.Option("--strategy", help="One of the spec's named strategies.")] = None,
) -> None:
    """Tell in words why run K exited when it did."""
    with user_errors():
        spec = _pick(load_spec(spec_path), spec_path, strategy)
        lines = explain_run(spec, run_index, seed)
    for line in lines:
        console.print(line, markup=False, highlight=False)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report and outcome files.")] = Path("results/demo"),
    runs: RunsOpt = 10_000,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 2,
    chunk_size: ChunkOpt = 5_000,
    force: ForceOpt = False,
    calibration: CalibrationOpt = None,
) -> None:
    """The main job: compare three exit strategies for East Timor 1999 and write an HTML report."""
    t0 = time.perf_counter()
    path = default_scenario_path()
    with user_errors():
        specs = {n: s for n, s in strategy_specs(load_spec(path), str(path)).items() if n in DEMO_STRATEGIES}
        params, cal = load_calibration(calibration)
        with ResultFolder(out, force, room(runs, len(specs))) as folder:
            console.print(f"[bold]{len(specs)} strategies x {runs:,} paired runs[/] on the default scenario ({escape(path.name)})")
            results = _run_many(specs, runs, seed, workers, chunk_size, params, REPORT_KEEP, folder)
            rows = compare(results, "calendar_exit")
            console.print(window_table(results))
            _print_comparison(rows)
            console.print(bottom_line(results), highlight=False, markup=False)
            for name, res in results.items():
                folder.write_json(f"{name}/summary.json", summarise(res))
            write_report(
                folder.path("report.html"),
                "East Timor 1999: three exit strategies compared",
                results,
                {"reference": "calendar_exit", "rows": rows_as_dicts(rows)},
                [f"{runs:,} paired runs per strategy, seed {seed}; {time.perf_counter() - t0:.1f} s on {workers} worker(s)."],
            )
            folder.commit(provenance({n: (path, s) for n, s in specs.items()}, runs, seed, workers, chunk_size, cal))
    console.print(f"report: {out / 'report.html'}  ({time.perf_counter() - t0:.1f} s)", markup=False, highlight=False)


@app.command("verify")
def verify_cmd(folder: Annotated[Path, typer.Argument(metavar="DIR", help="A result folder written by endstate.")]) -> None:
    """Check a result folder against its manifest: every file present, unchanged, none added (exit 0 ok, 2 otherwise)."""
    problems = verify(folder)
    if problems:
        err_console.print(f"[bold red]{len(problems)} problem(s) found[/] in {escape(str(folder))}", highlight=False)
        for p in problems:
            err_console.print(p, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    console.print(f"ok {folder}: every file matches manifest.json", markup=False, highlight=False)
