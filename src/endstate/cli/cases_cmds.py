"""Case commands: ``cases`` (the historical mission library) and ``replay``."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from endstate.cli._app import CalibrationOpt, ForceOpt, UserError, app, console, load_calibration, user_errors
from endstate.cli.run_cmds import JsonOpt, RunsOpt, SeedOpt, WorkersOpt, _print_comparison, provenance, summarise, write_outputs
from endstate.experiments.changes import SHORTCUTS, ChangeError
from endstate.experiments.compare import rows_as_dicts
from endstate.experiments.replay import ALL_CHANGES, UnknownCase, case_ids, history, load_case, replay
from endstate.outcomes.folder import ResultFolder, write_file_atomically
from endstate.report.html import write_report

cases_app = typer.Typer(help="The historical mission library: list the cases, or export one to edit.")
app.add_typer(cases_app, name="cases")


@cases_app.callback(invoke_without_command=True)
def cases(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    score: Annotated[bool, typer.Option("--score", help="Replay every case and score the record: the model's probability of each recorded exit reason, exit year and relapse, against the library's base rates.")] = False,
    runs: Annotated[int, typer.Option("--runs", "-n", min=1, help="Runs a case, with --score.")] = 1000,
    seed: SeedOpt = 0,
    workers: WorkersOpt = 1,
) -> None:
    """List the historical operations in the library, one line each; with --score, the record as a score (or: endstate cases export CASE)."""
    if ctx.invoked_subcommand is not None:
        return
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


@cases_app.command("export")
def export(
    case: Annotated[str, typer.Argument(help="Case id (see: endstate cases).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: CASE.yaml in the current folder).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a case's spec out as YAML, with its comments and sources, to edit and run as your own mission."""
    with user_errors():
        try:
            _, _, path = load_case(case)
        except UnknownCase as e:
            raise UserError(str(e).strip("'\"")) from None
        target = out or Path(f"{case}.yaml")
        text = path.read_text(encoding="utf-8")
        write_file_atomically(target, lambda p: p.write_text(text, encoding="utf-8"), force)
    console.print(f"wrote {target}; check it with: endstate validate {target}", markup=False, highlight=False)


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
    force: ForceOpt = False,
    calibration: CalibrationOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a historical case as it happened and, with --change, as it might have gone: one arm per change, and all together (paired runs)."""
    with user_errors():
        params, cal = load_calibration(calibration)
        try:
            _, _, case_path = load_case(case)  # an unknown case is refused before its folder is touched
        except UnknownCase as e:
            raise UserError(str(e).strip("'\"")) from None
        with ResultFolder(out / case, force) as folder:
            try:
                rep = replay(case, runs, seed, change or [], workers, params)
            except (UnknownCase, ChangeError) as e:
                raise UserError(str(e).strip("'\"")) from None
            arms = arm_folders(list(rep.results))
            for name, res in rep.results.items():
                write_outputs(folder, arms[name], res, summarise(res) | {"arm": name})
            checks = "".join(
                f"<tr><td>{html.escape(c['fact'])}</td><td>{c['model_probability']:.2f}</td><td>{html.escape(c.get('note', ''))}</td></tr>" for c in rep.checks
            )
            section = (
                "<table><tr><th>what happened</th><th>model probability</th><th>note</th></tr>" + checks + "</table>"
                f"<p>Sources and notes: {html.escape(str(rep.record.get('notes', '')))} {html.escape(', '.join(map(str, rep.record.get('sources', []))))}</p>"
            )
            write_report(
                folder.path("report.html"),
                f"Replay: {rep.spec.mission.name}",
                rep.results,
                {"reference": "as it happened", "rows": rows_as_dicts(rep.rows)} if rep.rows else None,
                [f"arms (outcome folders): {'; '.join(f'{n} ({f})' for n, f in arms.items())}" if change else "no changes: the case as it happened"],
                [("The historical record against the model", section)],
            )
            folder.commit(provenance({"as it happened": (case_path, rep.spec)}, runs, seed, workers, 10_000, cal) | {"changes": change or []})
        report = out / case / "report.html"
    if as_json:
        payload = {"case": case, "runs": runs, "seed": seed, "changes": change or [], "arms": list(rep.results), "history": rep.checks,
                   "rows": rows_as_dicts(rep.rows), "report": str(report)}  # fmt: skip
        typer.echo(json.dumps(payload, default=str))
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


def arm_folders(arms: list[str]) -> dict[str, str]:
    """Folder names for replay arms: ``as_it_happened``, ``change_1`` ..., ``all_changes`` (a change is not a safe file name)."""
    out: dict[str, str] = {}
    for i, name in enumerate(arms):
        out[name] = "as_it_happened" if i == 0 else ("all_changes" if name == ALL_CHANGES else f"change_{i}")
    return out
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
