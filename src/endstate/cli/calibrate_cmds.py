"""Grounding commands: ``endstate backtest`` (the model against historical peace spells) and ``endstate calibrate``."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Annotated, Any

import typer
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
from endstate.data import DataFileError, read_spells
from endstate.experiments.backtest import BRIER_YEARS, BacktestResult, backtest, html_report
from endstate.outcomes.folder import ResultFolder, check_file_target, file_sha256, write_file_atomically

RunsOpt = Annotated[int, typer.Option("--runs", "-n", min=1, help="Simulated runs per spell shape (spells alike share runs).")]
SeedOpt = Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed; the same seed gives the same results.")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")]


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err_console, transient=True
    )


def _report_data_error(e: DataFileError) -> None:
    err_console.print(f"[bold red]{len(e.problems)} problem(s) found[/]")
    for p in e.problems:
        err_console.print(str(p), markup=False, highlight=False, soft_wrap=True)


def _fmt(x: Any) -> str:
    return "-" if x is None or x != x else f"{x:.3f}"


def _print_backtest(res: BacktestResult, source: str) -> None:
    m = res.metrics
    console.print(f"{source}: {int(m['spells'])} spells, {int(m['relapsed'])} relapsed", markup=False, highlight=False)
    t = Table(title="Scores (lower Brier is better; C: 0.5 chance, 1 perfect)")
    for c in ("metric", "model", "base rate", "spells known"):
        t.add_column(c, justify="left" if c == "metric" else "right")
    for y in BRIER_YEARS:
        if f"brier_{y}y" in m:
            t.add_row(f"Brier, relapse within {y} years", _fmt(m[f"brier_{y}y"]), _fmt(m[f"brier_{y}y_base"]), str(int(m[f"known_{y}y"])))
    t.add_row("concordance index (10 years)", _fmt(m["c_index"]), "0.500", str(int(m["spells"])))
    console.print(t)
    s = res.survival
    years = sorted(s["years"].unique())
    t = Table(title="Share still at peace: observed (Kaplan-Meier) / model")
    t.add_column("group")
    t.add_column("spells", justify="right")
    for y in years:
        t.add_column(f"{y}y", justify="right")
    for (by, group), g in s.groupby(["by", "group"], sort=False):
        cells = [f"{o:.2f} / {p:.2f}" for o, p in zip(g["observed"], g["predicted"], strict=True)]
        t.add_row(plain(group if by == "peacekeepers" else f"war ended in {group}"), str(int(g["spells"].iloc[0])), *cells)
    console.print(t)


@app.command("backtest")
def backtest_cmd(
    spells_path: Annotated[Path, typer.Argument(metavar="SPELLS.csv", help="A peace-spell file (see 'endstate spells build').")],
    runs: RunsOpt = 200,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object on stdout, instead of tables.")] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for report.html, cases.csv, backtest.json and manifest.json.")] = None,
    ucdp_rule: Annotated[
        bool,
        typer.Option(
            "--ucdp-rule",
            help="The spells are UCDP conflict episodes: no relapse can be coded before 1 January of the second year after "
            "the war's end, so predictions are conditioned on none before then.",
        ),
    ] = False,
    force: ForceOpt = False,
    calibration: CalibrationOpt = None,
) -> None:
    """Run the model on every historical peace spell and score it: relapse probabilities, Brier, C-index, survival."""
    with user_errors():
        try:
            spells = read_spells(spells_path)
        except DataFileError as e:
            _report_data_error(e)
            raise typer.Exit(EXIT_USAGE) from None
        if spells.empty:
            raise UserError(f"{spells_path} holds no spells")
        params, cal = load_calibration(calibration)
        with ResultFolder(out, force) if out is not None else contextlib.nullcontext() as folder:
            with _progress() as bar:
                task = bar.add_task("simulating spells", total=len(spells))
                res = backtest(spells, runs=runs, seed=seed, params=params, workers=workers, progress=lambda d, t: bar.update(task, completed=d),
                               entry="ucdp" if ucdp_rule else "none")
            res.meta["source"] = str(spells_path)
            if folder is not None:
                folder.write_text("report.html", html_report(res, spells_path.name))
                folder.write_csv("cases.csv", res.cases, float_format="%.4f", date_format="%Y-%m-%d")
                folder.write_json("backtest.json", res.to_json())
                folder.commit({"data_files": {str(spells_path): file_sha256(spells_path)}, **cal, "runs": runs, "seed": seed, "workers": workers,
                               "entry_rule": "ucdp" if ucdp_rule else "none"})  # fmt: skip
    if as_json:
        typer.echo(json.dumps(res.to_json()))
        return
    _print_backtest(res, str(spells_path))
    if out is not None:
        console.print(f"wrote {out}: report.html, cases.csv, backtest.json, manifest.json", markup=False, highlight=False)


@app.command("calibrate")
def calibrate_cmd(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="The calibration file to write (JSON, written atomically); use it with --calibration FILE, never written into an installed package."
        ),
    ],
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", "-d", help="Folder with the reference data (default: ENDSTATE_DATA or ../shared/data).")
    ] = None,
    runs: RunsOpt = 200,
    seed: SeedOpt = 0,
    holdout: Annotated[float, typer.Option("--holdout", min=0.0, max=0.9, help="Share of spells held out of the fit (by a seeded hash of their ids).")] = 0.3,
    workers: WorkersOpt = 1,
    figure: Annotated[
        Path | None, typer.Option("--figure", help="Also write the calibration figure (PNG), and the checks figure beside it (NAME_checks.png).")
    ] = None,
    markdown_out: Annotated[Path | None, typer.Option("--markdown", help="Also write the result tables (Markdown).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")] = False,
) -> None:
    """Fit the relapse parameters to historical peace spells (UCDP, Doyle & Sambanis) and published findings."""
    from endstate.calibrate import calibrate, write_calibration
    from endstate.calibrate.report import checks_figure_png, figure_png, markdown
    from endstate.calibrate.sources import missing_files
    from endstate.data import shared_data_dir
    from endstate.model.params import DEFAULTS

    with user_errors():
        folder = data_dir or shared_data_dir()
        if folder is None:
            raise UserError("no data folder: pass --data-dir DIR or set ENDSTATE_DATA")
        if not folder.is_dir():
            raise UserError(f"{folder} is not a folder")
        absent = missing_files(folder)
        if absent:
            raise UserError("missing input file(s): " + ", ".join(str(p) for p in absent))
        targets = [p for p in (out, figure, figure and _checks_path(figure), markdown_out) if p is not None]
        for p in targets:
            _check_output(p, force)
        try:
            with _progress() as bar:
                task = bar.add_task("simulating spells", total=None)
                cal, prep = calibrate(folder, runs, seed, holdout, workers, lambda d, t: bar.update(task, completed=d, total=t))
        except DataFileError as e:
            _report_data_error(e)
            raise typer.Exit(EXIT_USAGE) from None
        write_file_atomically(out, lambda p: write_calibration(cal, p))
        params = DEFAULTS.with_values(**cal.values)
        if figure is not None:
            png, checks_png = figure_png(prep, params, cal), checks_figure_png(cal)
            write_file_atomically(figure, lambda p: p.write_bytes(png))
            write_file_atomically(_checks_path(figure), lambda p: p.write_bytes(checks_png))
        if markdown_out is not None:
            text = markdown(cal, prep, params)
            write_file_atomically(markdown_out, lambda p: p.write_text(text, encoding="utf-8"))
    _print_calibration(cal)
    console.print(f"wrote {out}; use it with --calibration {out}", markup=False, highlight=False)


def _checks_path(figure: Path) -> Path:
    return figure.with_name(f"{figure.stem}_checks{figure.suffix}")


def _check_output(path: Path, force: bool) -> None:
    """Before a long calibration: refuse a path inside an installed package, an existing file without --force, an unwritable folder."""
    import endstate

    package = Path(endstate.__file__).resolve().parent
    resolved = path.resolve()
    if resolved.is_relative_to(package) and any(part in ("site-packages", "dist-packages") for part in package.parts):
        raise UserError(f"{path} is inside the installed endstate package; write the calibration elsewhere and pass it with --calibration")
    check_file_target(path, force)


def _print_calibration(cal: Any) -> None:
    t = Table(title="Calibrated values")
    for c in ("parameter", "default", "calibrated"):
        t.add_column(c, justify="left" if c == "parameter" else "right")
    for n, v in cal.values.items():
        t.add_row(n, f"{cal.provenance['defaults'][n]:.4g}", f"{v:.4g}")
    console.print(t)
    t = Table(title="Fit (Brier: model / base rate; lower is better)")
    for c in ("spells", "source", "Brier 2y", "Brier 5y", "C-index"):
        t.add_column(c, justify="left" if c in ("spells", "source") else "right")
    for part in ("in_sample", "out_of_sample"):
        for name, s in cal.fit["calibrated"][part].items():
            if not isinstance(s, dict) or "brier_2y" not in s:
                continue
            t.add_row(part.replace("_", "-"), name, f"{s['brier_2y']:.4f} / {s['brier_2y_base']:.4f}", f"{s['brier_5y']:.4f} / {s['brier_5y_base']:.4f}", f"{s['c_index']:.3f}")
    console.print(t)
    ch = cal.fit.get("checks")
    if ch:
        tc, dc = ch["battle_deaths_vs_personnel"], ch["mission_durations"]
        t = Table(title="Checks (not fitted): data / model")
        t.add_column("target")
        t.add_column("data", justify="right")
        t.add_column("model", justify="right")
        d, m = tc["data"]["dynamic"], tc["model"]["dynamic"]
        t.add_row("log battle deaths on last year's log personnel (within unit, lagged deaths)",
                  f"{d['personnel']:+.3f} ± {1.96 * d['personnel_se']:.3f}", f"{m['personnel']:+.3f} ± {1.96 * m['personnel_se']:.3f}")
        for group in ("multidimensional, started from 2000", "multidimensional, started before 2000"):
            dr, mr = dc["data"].get(group), dc["model"].get(group)  # the same era on both sides
            if dr and mr:
                t.add_row(f"median months present: {group}, UN / model deciding", _months(dr["median_months"]), _months(mr["median_months"]))
        console.print(t)
    f = cal.fit
    console.print(
        f"objective {f['objective_start']:.1f} -> {f['objective']:.1f} over {f['targets']} targets"
        + (f"; at a bound: {', '.join(f['at_bound'])}" if f["at_bound"] else ""),
        highlight=False,
    )


def _months(x: float | None) -> str:
    return "never half" if x is None else f"{x:.0f}"
