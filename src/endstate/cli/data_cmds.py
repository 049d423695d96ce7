"""Peace-spell commands: ``endstate spells build`` and ``endstate spells check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from endstate.cli._app import EXIT_USAGE, UserError, app, console, err_console, user_errors
from endstate.data import DataFileError, read_spells, relapse_summary, shared_data_dir, write_spells
from endstate.data.build import SOURCES, build_spells, source_paths
from endstate.outcomes.folder import write_file_atomically

spells_app = typer.Typer(
    help="Build and check peace-spell files (historical peace spells, one per row, for backtests).",
    no_args_is_help=True,
)
app.add_typer(spells_app, name="spells")

def _report_data_error(e: DataFileError) -> None:
    err_console.print(f"[bold red]{len(e.problems)} problem(s) found[/]")
    for p in e.problems:
        err_console.print(str(p), markup=False, highlight=False, soft_wrap=True)


def _resolve_dir(data_dir: Path | None) -> Path:
    folder = data_dir or shared_data_dir()
    if folder is None:
        raise UserError("no data folder: pass --data-dir DIR or set ENDSTATE_DATA")
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder")
    return folder


def _summary_table(df: pd.DataFrame, by: str, title: str) -> Table:
    s = relapse_summary(df, 5.0, by)
    table = Table(title=title)
    for col in (by, "spells", "observed 5y", "relapsed <=5y", "share"):
        table.add_column(col, justify="left" if col == by else "right")
    for key, row in s.iterrows():
        share = "-" if pd.isna(row["share"]) else f"{row['share']:.0%}"
        table.add_row(str(key), str(int(row["spells"])), str(int(row["observed"])), str(int(row["relapsed"])), share)
    return table


def _print_counts(df: pd.DataFrame) -> None:
    console.print(_summary_table(df, "war_outcome", "Relapse within 5 years, by how the war ended"))
    console.print(_summary_table(df, "mission_type", "Relapse within 5 years, by strongest mission"))


@spells_app.command("build")
def build(
    out: Annotated[Path, typer.Option("--out", "-o", help="The spell file to write (CSV).")],
    source: Annotated[str, typer.Option("--source", help=f"One of: {', '.join(SOURCES)}.")] = "ucdp",
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", "-d", help="Folder with the source files (default: ENDSTATE_DATA or ../shared/data)."),
    ] = None,
    relapse: Annotated[
        str, typer.Option(help="ucdp: relapse is a new episode of the same 'conflict' or any in the same 'country'.")
    ] = "conflict",
    min_intensity: Annotated[
        int, typer.Option(help="ucdp: 1 keeps every ended episode, 2 only those that reached 1,000 deaths a year.")
    ] = 1,
    non_un: Annotated[
        bool, typer.Option("--non-un/--un-only", help="ucdp: also match non-UN operations (unverified source).")
    ] = True,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Build a peace-spell file from UCDP conflict termination data or from Doyle & Sambanis."""
    with user_errors():
        if source not in SOURCES:
            raise UserError(f"unknown source '{source}'; choose one of: {', '.join(SOURCES)}")
        if relapse not in ("conflict", "country"):
            raise UserError(f"unknown relapse rule '{relapse}'; choose 'conflict' or 'country'")
        if min_intensity not in (1, 2):
            raise UserError("--min-intensity must be 1 or 2")
        if out.exists() and not force:
            raise UserError(f"{out} exists; pass --force to overwrite it")
        folder = _resolve_dir(data_dir)
        paths = source_paths(source, folder, non_un)
        absent = [p.name for p in paths.values() if not p.is_file()]
        if absent:
            raise UserError(f"missing input file(s) in {folder}:\n" + "\n".join(f"  {name}" for name in absent))
        try:
            df = _build(source, paths, relapse, min_intensity)
        except DataFileError as e:
            _report_data_error(e)
            raise typer.Exit(EXIT_USAGE) from None
        _write_checked(df, out, force)
    console.print(f"wrote {out}: {len(df)} spells from {source}, {int(df['relapsed'].sum())} relapsed", highlight=False)
    _print_counts(df)


def _write_checked(df: pd.DataFrame, out: Path, force: bool) -> None:
    """Write the spells beside ``out``, check them as ``spells check`` would, and only then move them into place.

    A build never leaves a file that its own check rejects (nor a half-written
    one): if the check fails, the problems are listed and nothing is written.
    """

    def write_and_check(path: Path) -> None:
        write_spells(df, path)
        read_spells(path)

    try:
        write_file_atomically(out, write_and_check, force=force)
    except DataFileError as e:
        err_console.print(f"[bold red]the spells built from these inputs fail the spell-file check; {escape(str(out))} was not written[/]")
        _report_data_error(e)
        raise typer.Exit(EXIT_USAGE) from None


def _build(source: str, paths: dict[str, Path], relapse: str, min_intensity: int) -> pd.DataFrame:
    with err_console.status("reading the source files") as status:
        return build_spells(source, paths, relapse, min_intensity, on_read=lambda name: status.update(f"reading {name}"))


@spells_app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="A peace-spell CSV file.")],
) -> None:
    """Check a peace-spell file and list every problem, with file, line and column."""
    try:
        df = read_spells(path)
    except DataFileError as e:
        _report_data_error(e)
        raise typer.Exit(EXIT_USAGE) from None
    console.print(f"[green]ok[/] {path}: {len(df)} spells, {int(df['relapsed'].sum())} relapsed", highlight=False)
    defaulted = df.attrs.get("defaulted", {})
    if defaulted:
        console.print("defaults applied: " + ", ".join(f"{k} {v}" for k, v in defaulted.items()), highlight=False)
    _print_counts(df)


__all__ = ["build", "check", "spells_app"]
