"""Case commands: ``cases`` (the historical mission library) and ``replay``."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from endstate.cli._app import UserError, app, console, user_errors
from endstate.cli.run_cmds import JsonOpt, RunsOpt, SeedOpt, WorkersOpt, _print_comparison, summarise, write_outputs
from endstate.experiments.changes import SHORTCUTS, ChangeError
from endstate.experiments.compare import rows_as_dicts
from endstate.experiments.replay import UnknownCase, case_ids, history, load_case, replay
from endstate.report.html import write_report


@app.command()
def cases(
    as_json: JsonOpt = False,
    score: Annotated[bool, typer.Option("--score", help="Replay every case and score the record: the model's probability of each recorded exit reason, exit year and relapse, against the library's base rates.")] = False,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Runs a case, with --score.")] = 1000,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
) -> None:
    """List the historical operations in the library, one line each; with --score, the record as a score."""
    if score:
        _score(as_json, runs, seed, workers)
        return
    rows: list[dict[str, Any]] = []
    hist = history()
    for cid in case_ids():
        spec, record, _ = load_case(cid)
        rows.append(
            {
                "case": cid,
                "name": spec.mission.name,
                "start": spec.mission.start_date.isoformat(),
                "command": spec.force.command,
                "peak_personnel": round(sum(c.troops + c.police for c in spec.force.contributors)),
                "exit_reason": hist.get(cid, {}).get("exit_reason"),
                "relapse": hist.get(cid, {}).get("relapse"),
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, default=str))
        return
    t = Table(title=f"{len(rows)} historical operations")
    for col in ("case", "name", "start", "command", "personnel", "how it ended", "war resumed"):
        t.add_column(col)
    for r in rows:
        relapse = {True: "yes", False: "no"}.get(r["relapse"], "?") if isinstance(r["relapse"], bool) else "?"
        t.add_row(r["case"], r["name"], r["start"], r["command"], f"{r['peak_personnel']:,}", str(r["exit_reason"]), relapse)
    console.print(t)


@app.command("replay")
def replay_cmd(
    case: Annotated[str, typer.Argument(help="Case id (see: endstate cases).")],
    runs: RunsOpt = 2000,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
    change: Annotated[
        list[str] | None,
        typer.Option("--change", "-c", help=f"PATH=VALUE, repeatable. Shortcuts: {', '.join(SHORTCUTS)}; or any spec path, e.g. exit.end_date=2003-01-01."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report and outcome files.")] = Path("results/replay"),
    as_json: JsonOpt = False,
) -> None:
    """Run a historical case as it happened and, with --change, as it might have gone (paired runs)."""
    with user_errors():
        try:
            rep = replay(case, runs, seed, change or [], workers)
        except (UnknownCase, ChangeError) as e:
            raise UserError(str(e).strip("'\"")) from None
        folder = out / case
        for name, res in rep.results.items():
            write_outputs(folder / name.replace(" ", "_"), res, summarise(res))
        checks = "".join(
            f"<tr><td>{html.escape(c['fact'])}</td><td>{c['model_probability']:.2f}</td><td>{html.escape(c.get('note', ''))}</td></tr>" for c in rep.checks
        )
        section = (
            "<table><tr><th>what happened</th><th>model probability</th><th>note</th></tr>" + checks + "</table>"
            f"<p>Sources and notes: {html.escape(str(rep.record.get('notes', '')))} {html.escape(', '.join(map(str, rep.record.get('sources', []))))}</p>"
        )
        report = write_report(
            folder / "report.html",
            f"Replay: {rep.spec.mission.name}",
            rep.results,
            {"reference": "as it happened", "rows": rows_as_dicts(rep.rows)} if rep.rows else None,
            [f"changes: {' '.join(change)}" if change else "no changes: the case as it happened"],
            [("The historical record against the model", section)],
        )
    if as_json:
        typer.echo(json.dumps({"case": case, "runs": runs, "seed": seed, "changes": change or [], "history": rep.checks, "rows": rows_as_dicts(rep.rows), "report": str(report)}, default=str))
        return
    t = Table(title=f"{rep.spec.mission.name}: the record against the model ({runs:,} runs)")
    t.add_column("what happened")
    t.add_column("model probability", justify="right")
    t.add_column("note")
    for c in rep.checks:
        t.add_row(c["fact"], f"{c['model_probability']:.2f}", c.get("note", ""))
    console.print(t)
    if rep.rows:
        _print_comparison(rep.rows)
    console.print(f"report: {report}")


def _score(as_json: bool, runs: int, seed: int, workers: int) -> None:
    from endstate.experiments.case_score import score_library

    with user_errors():
        lib, _ = score_library(runs, seed, workers)
    if as_json:
        typer.echo(json.dumps(lib.as_dict(), default=str))
        return
    t = Table(title=f"The case record as a score ({runs:,} runs a case, seed {seed})")
    for col in ("case", "recorded exit", "model's most likely", "P(reason)", "P(exit year)", "P(relapse record)", "log score", "base rates"):
        t.add_column(col, justify="right" if col.startswith(("P(", "log", "base")) else "left")
    for c in lib.cases:
        year = "-" if c.p_exit_year is None else f"{c.p_exit_year:.2f}"
        mark = "" if c.reason_is_most_likely else " (miss)"
        t.add_row(c.case, c.recorded_reason, c.most_likely_reason + mark, f"{c.p_reason:.2f}", year, f"{c.p_relapse:.2f}", f"{c.log_score:.2f}", f"{c.baseline_log_score:.2f}")
    console.print(t)
    verdict = "beats" if lib.mean_log_score > lib.mean_baseline_log_score else "does not beat"
    console.print(
        f"recorded exit reason is the model's most likely in {lib.n_reason_most_likely} of {len(lib.cases)} cases; "
        f"mean log score {lib.mean_log_score:.2f} against {lib.mean_baseline_log_score:.2f} for the base rates: the model {verdict} them."
    )
