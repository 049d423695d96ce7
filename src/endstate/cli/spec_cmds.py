"""Spec commands: ``validate``, ``schema`` and ``new``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from endstate.cli._app import EXIT_USAGE, UserError, app, console, err_console, report_spec_error, user_errors
from endstate.spec import SpecError, load_raw, strategy_specs, validate_data
from endstate.spec.schema import schema_json

TEMPLATES = ("lead_state", "committee")


@app.command()
def validate(
    specs: Annotated[list[Path], typer.Argument(help="Spec files (.yaml, .yml or .toml).")],
) -> None:
    """Check mission specs and list every problem, with file, line and field."""
    failed = 0
    for path in specs:
        try:
            data, pos = load_raw(path)
            spec = validate_data(data, str(path), pos)
            strategy_specs(spec, str(path), pos)
        except SpecError as e:
            failed += 1
            report_spec_error(e)
            continue
        n = len(spec.strategies)
        what = f"{path}  ({spec.mission.name}; {n} named strateg{'y' if n == 1 else 'ies'})"
        console.print(f"[green]ok[/] {escape(what)}", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(EXIT_USAGE)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of printing.")] = None,
) -> None:
    """Print the JSON Schema of mission specs."""
    text = schema_json()
    if out is None:
        typer.echo(text)
    else:
        with user_errors():
            _write(out, text)
        err_console.print(f"wrote {out}", markup=False, highlight=False)


@app.command()
def new(
    out: Annotated[Path, typer.Argument(help="Where to write the starter spec.")] = Path("mission.yaml"),
    template: Annotated[str, typer.Option("--template", "-t", help=f"One of: {', '.join(TEMPLATES)}.")] = "lead_state",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter spec."""
    with user_errors():
        if template not in TEMPLATES:
            raise UserError(f"unknown template '{template}'; choose one of: {', '.join(TEMPLATES)}")
        if out.exists() and not force:
            raise UserError(f"{out} exists; pass --force to overwrite it")
        text = resources.files("endstate.spec").joinpath("templates", f"{template}.yaml").read_text(encoding="utf-8")
        _write(out, text)
    console.print(f"wrote {out} (template '{template}'); check it with: endstate validate {out}", markup=False, highlight=False)


def _write(out: Path, text: str) -> None:
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as e:
        raise UserError(f"cannot write {out}: {e.strerror or e}") from None


__all__ = ["new", "schema", "validate"]
