"""``endstate evidence``: the published findings run as experiments on the committed model, one table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from endstate.cli._app import app, console, err_console, user_errors
from endstate.experiments.evidence import curves, run_checks, table_rows, write_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "evidence.md"


@app.command("evidence")
def evidence_cmd(
    runs: Annotated[int, typer.Option("--runs", "-n", min=10, help="Simulated runs per experiment.")] = 200,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, help="Random seed; the same seed gives the same results.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as one JSON object (and nothing else).")] = False,
    doc: Annotated[
        Path | None, typer.Option("--doc", help="Where to write the scorecard with its figures (default: docs/evidence.md in a checkout).")
    ] = None,
    no_doc: Annotated[bool, typer.Option("--no-doc", help="Do not write the markdown scorecard.")] = False,
) -> None:
    """Run each published finding as a small experiment and print finding, source, published, model, tolerance, result.

    Exit code 1 when a check fails."""
    with user_errors():
        checks = run_checks(runs, seed, progress=None if as_json else lambda s: err_console.print(f"[dim]{s}[/]"))
        target = doc or (DOC if DOC.parent.is_dir() else None)
        if not no_doc and target is not None:
            write_markdown(checks, curves(max(runs // 2, 10), seed), target, runs, seed)
        if as_json:
            typer.echo(json.dumps({"runs": runs, "seed": seed, "checks": [c.as_dict() for c in checks]}, indent=2))
        else:
            t = Table(title=f"Evidence scorecard ({sum(c.passed for c in checks)} of {len(checks)} pass)")
            for col in ("finding", "source", "published", "model", "tolerance", "result"):
                t.add_column(col, justify="right" if col in ("model",) else "left", overflow="fold")
            for row in table_rows(checks):
                t.add_row(*row[:-1], f"[green]{row[-1]}[/]" if row[-1] == "pass" else f"[bold red]{row[-1]}[/]")
            console.print(t)
            if target is not None and not no_doc:
                err_console.print(f"wrote {target}")
        if not all(c.passed for c in checks):
            raise typer.Exit(1)
