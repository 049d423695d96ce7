"""Errors raised by the data layer.

Core objects: :class:`FileProblem` (one thing wrong, placed at file, line and
column) and :class:`DataFileError` (every problem found in one file).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_LISTED = 20
"""Problems spelt out in an error message; the rest are counted (all stay in ``.problems``)."""


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong with a data file.

    ``line`` is 1-based and counts the header as line 1 (``None`` when the
    problem concerns the whole file); ``column`` is the column's name as
    written in the file (``None`` when the problem concerns a whole row).
    """

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        col = f" column '{self.column}':" if self.column is not None else ""
        return f"{where}:{col} {self.message}"


class DataFileError(Exception):
    """A data file that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[FileProblem], what: str = "data file"):
        self.problems = problems
        files = sorted({p.file for p in problems})
        head = f"{len(problems)} problem(s) in {what} {', '.join(files)}"
        lines = [str(p) for p in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:
            lines.append(f"... and {len(problems) - MAX_LISTED} more")
        super().__init__("\n".join([head, *lines]))
