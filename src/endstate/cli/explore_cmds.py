"""Exploration commands: ``sweep`` (run a sweep file into a result store), ``query`` (SQL over it) and ``analyze``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from endstate.cli._app import UserError, app, console, err_console, user_errors
from endstate.engine.executors import Executor, make_executor
from endstate.outcomes.partitions import PartitionStore, StoreConflict


def _executor(workers: int, dask: bool, scheduler: str | None) -> Executor:
    if dask or scheduler:
        from endstate.engine.dask_executor import DaskExecutor

        return DaskExecutor(workers, scheduler)
    return make_executor(workers)


@app.command()
def sweep(
    sweep_path: Annotated[Path, typer.Argument(metavar="SWEEP", help="Sweep file (YAML): uncertainties, levers, outcomes, design, runs per point.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Result store folder; the same sweep resumes there, another one is refused.")],
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes (or local Dask workers).")] = 1,
    dask: Annotated[bool, typer.Option("--dask", help="Run on Dask distributed (a local cluster unless --scheduler).")] = False,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler (implies --dask; the workers must share --out).")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="Evaluations per task and partition (default: about 2,000 runs).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Start a different sweep in a folder that holds one (the earlier results are moved aside, not deleted).")] = False,
) -> None:
    """Run a sweep: every design point under every lever combination, paired on common random numbers."""
    from endstate.explore.run import run_sweep
    from endstate.explore.sweep import load_sweep

    with user_errors():
        study = load_sweep(sweep_path)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err_console, transient=True) as bar:
            task = bar.add_task("batches", total=None)
            try:
                res = run_sweep(study, out, _executor(workers, dask, scheduler), batch_size, force, lambda d, t: bar.update(task, completed=d, total=t))
            except StoreConflict as e:
                raise UserError(str(e)) from None
            except OSError as e:
                raise UserError(f"cannot write to {out}: {e.strerror or e}") from None
    console.print(
        f"{res.evaluations:,} evaluations in {res.batches:,} partitions ({res.skipped:,} already complete); "
        f"{res.runs:,} runs simulated in {res.seconds:.1f} s; store: {res.store.root}"
    )


@app.command()
def query(
    store_dir: Annotated[Path, typer.Argument(metavar="DIR", help="A result store written by endstate sweep.")],
    sql: Annotated[str, typer.Argument(metavar="SQL", help="DuckDB SQL over the views runs (one row per run) and points (one per evaluation).")],
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per row.")] = False,
) -> None:
    """Run SQL over a result store with DuckDB."""
    with user_errors():
        try:
            con = PartitionStore(store_dir).connect()
            frame = con.execute(sql).df()
        except StoreConflict as e:
            raise UserError(str(e)) from None
        except duckdb.Error as e:
            raise UserError(f"query failed: {e}") from None
    if as_csv:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif as_json:
        for row in frame.to_dict(orient="records"):
            typer.echo(json.dumps(row, default=str))
    else:
        t = Table()
        for c in frame.columns:
            t.add_column(str(c))
        for row in frame.itertuples(index=False):
            t.add_row(*(str(v) for v in row))
        console.print(t)


@app.command()
def analyze(
    store_dir: Annotated[Path, typer.Argument(metavar="DIR", help="A result store written by endstate sweep.")],
    strategy: Annotated[str | None, typer.Option("--strategy", help="Policy whose failures PRIM and CART explain (default: the second).")] = None,
    reference: Annotated[str | None, typer.Option("--reference", help="Policy it is compared with (default: the first).")] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help="Outcome that decides worse (default: the first).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Report folder (default: DIR/report).")] = None,
) -> None:
    """Sensitivity (SALib), scenario discovery (PRIM, CART) and regret; an HTML report with figures."""
    from endstate.explore.analysis import AnalysisError
    from endstate.explore.analysis import analyze as run_analysis
    from endstate.explore.report import write_report

    with user_errors():
        try:
            result = run_analysis(store_dir, strategy=strategy, reference=reference, outcome=outcome)
            path = write_report(result, out or store_dir / "report")
        except StoreConflict as e:
            raise UserError(str(e)) from None
        except AnalysisError as e:
            raise UserError(str(e)) from None
    console.print(result.discovery.text, highlight=False)
    console.print(f"report: {path}")
