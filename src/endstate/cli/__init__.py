"""The ``endstate`` command line.

One Typer app; each group of commands lives in its own module and registers
itself on :data:`app` (spec commands, simulation commands, data commands, case
commands).  Every command turns the errors a user can cause into a clear
message and exit code 2, never a traceback.
"""

from __future__ import annotations

from endstate.cli._app import app, main
from endstate.cli import cases_cmds, run_cmds, spec_cmds  # noqa: F401  (registers commands)
from endstate.cli import data_cmds  # noqa: F401  (registers commands)
from endstate.cli import calibrate_cmds  # noqa: F401

__all__ = ["app", "main"]
