"""Where the shared reference data live.

Core object: :func:`shared_data_dir`.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "ENDSTATE_DATA"


def shared_data_dir() -> Path | None:
    """The folder holding the reference data files, or ``None``.

    The environment variable ``ENDSTATE_DATA`` wins when it names a folder (so
    a user can point at freshly downloaded files); otherwise ``../shared/data``
    next to the repository root (the source checkout this package runs from,
    or the current directory's parent), if it exists.
    """
    env = os.environ.get(ENV_VAR)
    if env and Path(env).is_dir():
        return Path(env)
    repo = Path(__file__).resolve().parents[3]
    for root in (repo, Path.cwd()):
        candidate = root.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate.resolve()
    return None
