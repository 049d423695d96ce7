"""Monitoring commands: ``monitor build``, ``status``, ``forecast`` and ``backtest``.

``build`` turns producers' files (ACLED, UCDP GED or Candidate, IPI, Geo-PKO,
a mission's indicator sheet) into the tidy observations file; ``status``
prints each goal against its threshold from the observations; ``forecast``
conditions the simulated ensemble on them and forecasts; ``backtest`` replays
past missions at rolling origins and scores the forecasts.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from endstate.cli._app import EXIT_USAGE, ForceOpt, UserError, app, console, err_console, user_errors
from endstate.data.acled import read_acled
from endstate.data.errors import DataFileError
from endstate.data.geopko import read_geopko
from endstate.data.ipi import read_ipi_mission_month
from endstate.data.ucdp_ged import latest_events, read_ucdp_ged
from endstate.monitor.backtest import pooled, rolling_origins
from endstate.monitor.filter import FilterSettings, assimilate
from endstate.monitor.forecast import compare_strategies, forecast_summary
from endstate.monitor.observations import (
    combine,
    from_events,
    from_geopko,
    from_ipi,
    read_observations,
    read_sheet,
    write_observations,
)
from endstate.monitor.report import render_monitor_report
from endstate.monitor.status import goal_status, phase_status
from endstate.outcomes.folder import ResultFolder, check_file_target, csv_safe, file_sha256, spec_hash, write_file_atomically
from endstate.spec import MissionSpec, load_spec

monitor_app = typer.Typer(help="Monitor a live mission: observations, threshold status, forecasts that assimilate the data.", no_args_is_help=True)
app.add_typer(monitor_app, name="monitor")

SpecArg = Annotated[Path, typer.Argument(help="The mission spec (YAML or TOML).")]
ObsArg = Annotated[Path, typer.Argument(help="The observations file (tidy CSV or Parquet; see docs/monitoring.md).")]


@contextmanager
def _errors() -> Iterator[None]:
    with user_errors():
        try:
            yield
        except DataFileError as e:
            err_console.print(f"[bold red]{len(e.problems)} problem(s) found[/]")
            for p in e.problems:
                err_console.print(str(p), markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USAGE) from None


def _load(spec_path: Path, obs_path: Path) -> tuple[MissionSpec, pd.DataFrame]:
    spec = load_spec(spec_path)
    if not obs_path.is_file():
        raise UserError(f"{obs_path}: no such file")
    return spec, read_observations(obs_path, spec)


@monitor_app.command("build")
def build(
    spec_path: SpecArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Observations file to write (.csv or .parquet).")],
    acled: Annotated[list[Path] | None, typer.Option("--acled", help="ACLED export (any layout); repeatable.")] = None,
    ged: Annotated[list[Path] | None, typer.Option("--ged", help="UCDP GED or Candidate release; repeatable (the latest release wins).")] = None,
    ipi: Annotated[Path | None, typer.Option("--ipi", help="IPI mission-month file.")] = None,
    geopko: Annotated[Path | None, typer.Option("--geopko", help="Geo-PKO file.")] = None,
    sheet: Annotated[list[Path] | None, typer.Option("--sheet", help="The mission's own indicator sheet (CSV: month, optional region, one column per indicator); repeatable.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Country as the event files name it (default: the spec's host country).")] = None,
    mission: Annotated[str | None, typer.Option("--mission", help="Mission acronym in IPI / Geo-PKO (e.g. MINUSMA).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing observations file.")] = False,
) -> None:
    """Build the tidy observations file from producers' own files."""
    with _errors():
        check_file_target(out, force)  # before the event files are read
        spec = load_spec(spec_path)
        where = country or spec.mission.host_country
        parts = [from_events(read_acled(p, where), spec, "ACLED", "acled", str(p)) for p in acled or []]
        if ged:
            releases = [read_ucdp_ged(p) for p in ged]
            events = latest_events([r[r["country"].str.casefold() == where.casefold()] for r in releases])
            if events.empty:
                raise UserError(f"no UCDP events in '{where}' in {', '.join(map(str, ged))} (give --country as UCDP names it)")
            parts.append(from_events(events, spec, "UCDP GED", "ucdp", ", ".join(map(str, ged))))
        if (ipi or geopko) and not mission:
            raise UserError("--mission is needed with --ipi or --geopko (the mission's acronym, e.g. MINUSMA)")
        if ipi:
            parts.append(from_ipi(read_ipi_mission_month(ipi), str(mission)))
        if geopko:
            parts.append(from_geopko(read_geopko(geopko), str(mission)))
        parts += [read_sheet(p, spec) for p in sheet or []]
        if not parts:
            raise UserError("give at least one input: --acled, --ged, --ipi, --geopko or --sheet")
        obs = combine(parts)
        write_observations(obs, out, force)
    console.print(f"wrote {out}: {len(obs)} observations, {obs['month'].min()} to {obs['month'].max()}, indicators: {', '.join(sorted(obs['indicator'].unique()))}", highlight=False)


@monitor_app.command("check")
def check(spec_path: SpecArg, obs_path: ObsArg) -> None:
    """Check an observations file against the spec; list every problem with file, line and field."""
    with _errors():
        _, obs = _load(spec_path, obs_path)
    console.print(f"[green]ok[/] {obs_path}: {len(obs)} observations", highlight=False)


@monitor_app.command("status")
def status(spec_path: SpecArg, obs_path: ObsArg, as_json: Annotated[bool, typer.Option("--json", help="Print the result as one JSON object on stdout, instead of tables.")] = False) -> None:
    """Each goal's latest observed value against its threshold, months held, and which handover phases are ready."""
    with _errors():
        spec, obs = _load(spec_path, obs_path)
        goals = goal_status(spec, obs)
        phases = phase_status(spec, goals)
    if as_json:
        console.print_json(json.dumps({"goals": goals, "phases": phases}))
        return
    t = Table(title=f"{spec.mission.name}: threshold status")
    for c in ("goal", "indicator", "region", "latest", "threshold", "held", "remaining", "data"):
        t.add_column(c)
    for g in goals:
        latest = "no data" if g["latest"] is None else f"{g['latest']:.3g}"
        data = "" if g["month"] is None else f"{g['month']} ({g['source']})"
        t.add_row(g["goal"], g["indicator"], g["region"], latest, f"{g['comparator']} {g['threshold']:g}", f"{g['held_months']}/{g['sustain_months']}", str(g["remaining_months"]), data)
    console.print(t)
    for p in phases:
        state = "[green]ready[/]" if p["ready"] else "waiting for " + ", ".join(p["waiting_for"])
        console.print(f"phase {p['phase']} ({p['name']}): {state}", highlight=False)


@monitor_app.command("forecast")
def forecast(
    spec_path: SpecArg,
    obs_path: ObsArg,
    particles: Annotated[int, typer.Option("--particles", min=100, help="Particles (model runs) in the filter.")] = 5000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed; the same seed gives the same result.")] = 0,
    until: Annotated[str | None, typer.Option("--until", help="Use observations up to this month (YYYY-MM); default: all.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for report.html, forecast.json, diagnostics.csv, bands.csv.")] = None,
    strategies: Annotated[bool, typer.Option("--strategies/--no-strategies", help="Compare the spec's exit strategies from the filtered state.")] = True,
    force: ForceOpt = False,
) -> None:
    """Condition the simulated ensemble on the observations month by month (particle filter) and forecast."""
    with _errors():
        spec, obs = _load(spec_path, obs_path)
        try:
            cut = pd.Period(until, freq="M") if until else None
        except ValueError:
            raise UserError(f"--until {until!r} is not a month written YYYY-MM") from None
        with ResultFolder(out, force) if out is not None else contextlib.nullcontext() as folder:  # checked before filtering
            with err_console.status(f"filtering {particles} particles"):
                f = assimilate(spec, obs, FilterSettings(particles=particles, seed=seed), until=cut)
                summary = forecast_summary(f)
                comp = compare_strategies(f) if strategies and f.state_now is not None else None
            goals = goal_status(spec, obs if cut is None else obs[obs["month"] <= cut])
            _print_forecast(summary, f.diagnostics, comp)
            if folder is not None:
                result: dict[str, Any] = {**summary, "meta": f.meta}
                if comp is not None:
                    result["strategies"] = comp.to_dict("records")
                folder.write_json("forecast.json", result)
                folder.write_csv("diagnostics.csv", f.diagnostics)
                folder.write_csv("bands.csv", f.bands, float_format="%.6g")
                folder.write_text("report.html", render_monitor_report(f, obs, summary, goals, comp))
                folder.commit(
                    {"spec": {"file": str(spec_path), "file_sha256": file_sha256(spec_path), "spec_hash": spec_hash(spec)},
                     "data": {str(obs_path): file_sha256(obs_path)}, "particles": particles, "seed": seed, "until": until}
                )  # fmt: skip
        if out is not None:
            console.print(f"wrote {out}: report.html, forecast.json, diagnostics.csv, bands.csv, manifest.json", markup=False, highlight=False)


@monitor_app.command("backtest")
def backtest(
    spec_path: SpecArg,
    obs_path: ObsArg,
    every: Annotated[int, typer.Option("--every", min=1, help="Months between forecast origins.")] = 6,
    particles: Annotated[int, typer.Option("--particles", min=100, help="Particles per forecast.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed.")] = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="CSV file for every origin's scores.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing scores file.")] = False,
) -> None:
    """Replay a past mission as if live: forecast at rolling origins, score against what followed (CRPS, Brier)."""
    with _errors():
        if out is not None:
            check_file_target(out, force)  # before the forecasts
        spec, obs = _load(spec_path, obs_path)
        with err_console.status("forecasting at each origin"):
            scores = rolling_origins(spec, obs, every=every, particles=particles, seed=seed)
        if scores.empty:
            raise UserError(f"{obs_path}: no origin has 12 months of battle_deaths observations after it")
        _, overall = pooled(scores)
        if out is not None:
            write_file_atomically(out, lambda p: csv_safe(scores).to_csv(p, index=False, float_format="%.6g"), force)
    t = Table(title=f"{spec.mission.name}: {scores['origin'].nunique()} origins (lower is better)")
    for c in overall.columns:
        t.add_column(str(c))
    for r in overall.to_dict("records"):
        t.add_row(*[f"{v:.4g}" if isinstance(v, float) else str(v) for v in r.values()])
    console.print(t)


def _print_forecast(summary: dict[str, Any], diag: pd.DataFrame, comp: pd.DataFrame | None) -> None:
    console.print(f"data to {summary['as_of']}; {summary['particles']} particles; {summary['resampling_events']} resampling events; "
                  f"min ESS {summary['min_ess'] if summary['min_ess'] is None else round(summary['min_ess'])}; log evidence {summary['log_evidence']:.1f}", highlight=False)
    t = Table(title="When each goal is met and held")
    for c in ("goal", "holding now", "met and held by the horizon", "median", "90% interval"):
        t.add_column(c)
    for g in summary["goals"]:
        t.add_row(g["goal"], f"{g['holding_now']:.0%}", f"{g['share']:.0%}", str(g["median"]), f"{g['p05']} to {g['p95']}")
    for label in ("handover_complete", "exit"):
        d = summary[label]
        t.add_row(label.replace("_", " "), "", f"{d['share']:.0%}", str(d["median"]), f"{d['p05']} to {d['p95']}")
    console.print(t)
    console.print(f"war within 12 months: {summary['war_within_12_months']:.0%}; within 24 months: {summary['war_within_24_months']:.0%}", highlight=False)
    if len(diag):
        d = Table(title="Filter diagnostics (last 12 observed months)")
        for c in ("month", "observations", "loglik", "ess", "resampled"):
            d.add_column(c)
        for r in diag.tail(12).itertuples():
            d.add_row(r.date, str(r.observations), f"{r.loglik:.2f}", f"{r.ess:.0f}", "yes" if r.resampled else "")
        console.print(d)
    if comp is not None and len(comp):
        s = Table(title="Exit strategies from the filtered state (paired)")
        for c in comp.columns:
            s.add_column(str(c))
        for r in comp.to_dict("records"):
            s.add_row(*[f"{v:.3g}" if isinstance(v, float) else str(v) for v in r.values()])
        console.print(s)


__all__ = ["backtest", "build", "check", "forecast", "monitor_app", "status"]
