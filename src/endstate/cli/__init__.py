"""The ``endstate`` command line.

One Typer app; each group of commands lives in its own module and registers
itself on :data:`app` (spec commands, simulation commands, data commands, case
commands).  Every command turns the errors a user can cause into a clear
message and exit code 2, never a traceback.
"""

from __future__ import annotations

from endstate.cli import (  # noqa: F401  (registers commands)
    calibrate_cmds,  # noqa: F401
    cases_cmds,
    data_cmds,  # noqa: F401  (registers commands)
    evidence_cmds,  # noqa: F401  (registers commands)
    explore_cmds,  # noqa: F401  (registers commands)
    monitor_cmds,  # noqa: F401  (registers commands)
    run_cmds,
    spec_cmds,
)
from endstate.cli._app import app, main

__all__ = ["app", "main"]
