"""The shared Typer application, console and error handling."""

from __future__ import annotations

import json
import math
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from endstate import __version__
from endstate.engine.executors import WorkerLost
from endstate.model.params import DEFAULTS, Parameters
from endstate.outcomes.folder import ResultError, begin_command, file_sha256, interrupted_note, parameters_hash
from endstate.spec.loader import SpecError

app = typer.Typer(
    name="endstate",
    help="Plan, simulate and monitor peace support operations and their exit strategies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Tables stay readable when output is piped (Rich would otherwise assume 80 columns).
console = Console(width=None if sys.stdout.isatty() else 120)
err_console = Console(stderr=True)

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as shells report a command stopped by Ctrl-C."""

ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing result (otherwise it is kept and the command refuses).")]
CalibrationOpt = Annotated[
    Path | None,
    typer.Option("--calibration", help="A calibration file written by 'endstate calibrate --out' (default: the packaged model/calibrated.json)."),
]


class UserError(Exception):
    """A problem the user can fix; printed as a message, exit code 2."""


def _version(value: bool) -> None:
    if value:
        console.print(f"endstate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """endstate: exit strategies for peace support operations, simulated."""


def plain(value: object) -> Text:
    """User text (a mission, phase or file name) for a Rich table or title: shown as written, never read as markup."""
    return Text(str(value))


def load_calibration(path: Path | None) -> tuple[Parameters, dict[str, Any]]:
    """The model parameters with a calibration laid over the defaults, and the provenance a manifest records.

    ``None`` reads the packaged ``model/calibrated.json``.  A file that is not
    JSON, names no ``values``, or holds a value that is not a finite number is
    a :class:`UserError` naming the file (a truncated calibration used to make
    every later run crash).
    """
    if path is None:
        ref = resources.files("endstate.model").joinpath("calibrated.json")
        shown, text = "packaged model/calibrated.json", ref.read_text(encoding="utf-8") if ref.is_file() else None
        digest = file_sha256(Path(str(ref))) if ref.is_file() else None
    else:
        shown = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise UserError(f"cannot read the calibration {path}: {getattr(e, 'strerror', None) or e}") from None
        digest = file_sha256(path)
    values: dict[str, float] = {}
    if text is not None:
        try:
            data = json.loads(text)
        except ValueError as e:
            raise UserError(f"{shown}: not a calibration file (invalid JSON: {e}); write one with 'endstate calibrate --out FILE'") from None
        raw = data.get("values") if isinstance(data, dict) else None
        if not isinstance(raw, dict):
            raise UserError(f"{shown}: not a calibration file (no 'values' object)")
        names = set(DEFAULTS.names())
        for k, v in raw.items():
            if k not in names:
                raise UserError(f"{shown}: values.{k}: not a model parameter")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise UserError(f"{shown}: values.{k}: {v!r} is not a finite number")
            values[k] = float(v)
    params = DEFAULTS.with_values(**values)
    return params, {"calibration": shown, "calibration_sha256": digest, "parameters_sha256": parameters_hash(params)}


def report_spec_error(e: SpecError) -> None:
    err_console.print(f"[bold red]{len(e.problems)} problem(s) found[/]")
    for p in e.problems:
        err_console.print(str(p), markup=False, highlight=False, soft_wrap=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into a message and exit code 2; Ctrl-C or SIGTERM into one line and exit code 130."""
    begin_command()
    try:
        yield
    except SpecError as e:
        report_spec_error(e)
        raise typer.Exit(EXIT_USAGE) from None
    except (UserError, ResultError, WorkerLost) as e:
        err_console.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        err_console.print(interrupted_note(), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C: the pool is shut down, temporary files removed, the old result kept."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> Any:
    signal.signal(signal.SIGTERM, _terminated)
    return app(args=argv if argv is not None else sys.argv[1:])

