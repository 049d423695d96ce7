"""The shared Typer application, console and error handling."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from endstate import __version__
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


def report_spec_error(e: SpecError) -> None:
    err_console.print(f"[bold red]{len(e.problems)} problem(s) found[/]")
    for p in e.problems:
        err_console.print(str(p), markup=False, highlight=False, soft_wrap=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into a message and exit code 2."""
    try:
        yield
    except SpecError as e:
        report_spec_error(e)
        raise typer.Exit(EXIT_USAGE) from None
    except UserError as e:
        err_console.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None


def main(argv: list[str] | None = None) -> Any:
    return app(args=argv if argv is not None else sys.argv[1:])

