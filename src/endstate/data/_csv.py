"""Reading producers' CSV files with every problem placed by line and column.

Core objects: :class:`Col` (one expected column: its name in the file, its
normalised name, type and checks), :class:`Parsed` (the normalised table, the
problems found and the map from rows to file lines) and :func:`parse` /
:func:`read_checked`.

The file is read by pyarrow with every column as text, then each declared
column is converted with pandas in one vectorised pass; rows that fail are
found with ``errors="coerce"`` and reported by line.  Line numbers are only
worked out (with the standard ``csv`` module, which follows quoted newlines
exactly as pyarrow does) when there is something to report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pac
import pyarrow.csv as pacsv

from .errors import DataFileError, FileProblem

Kind = Literal["str", "int", "float", "date", "yesno"]

NULL_TOKENS = ["", "NA", "N/A", "NaN", "nan", "NULL", "null"]
"""Cell texts read as missing in every file (R, Stata and spreadsheet conventions)."""

_DTYPES: dict[str, Any] = {"str": "str", "int": "Int64", "float": "float64", "date": "datetime64[us]", "yesno": "Int64"}


@dataclass(frozen=True)
class Col:
    """One column a loader expects.

    ``source`` is the name in the producer's file, ``name`` the normalised
    name in the returned frame (default: ``source``).  ``na`` lists extra cell
    texts that mean "missing" in this column; ``pre`` rewrites the text before
    conversion (e.g. a decimal comma); ``allowed`` restricts the converted
    values.
    """

    source: str
    name: str | None = None
    kind: Kind = "str"
    required: bool = True
    not_null: bool = False
    date_format: str = "%Y-%m-%d"
    allowed: frozenset[Any] | None = None
    na: tuple[str, ...] = ()
    pre: Callable[[pd.Series], pd.Series] | None = None

    @property
    def out(self) -> str:
        return self.name or self.source


def human_format(fmt: str) -> str:
    """``%d/%m/%Y`` -> ``dd/mm/yyyy``."""
    return fmt.replace("%Y", "yyyy").replace("%m", "mm").replace("%d", "dd")


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (never fails)."""
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


@dataclass
class Parsed:
    """A parsed file: normalised ``frame``, ``problems`` so far, and line lookup."""

    path: str
    text: str
    header: list[str]
    frame: pd.DataFrame
    problems: list[FileProblem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    _lines: np.ndarray | None = None

    def lines(self) -> np.ndarray:
        """File line (1-based, header = 1) where each row of ``frame`` starts."""
        if self._lines is None:
            starts, counts = _records(self.text, self.path)
            self._lines = starts[counts == len(self.header)]
        return self._lines

    def report(self, mask: pd.Series | np.ndarray, column: str | None, message: Callable[[int], str] | str) -> None:
        """Add one problem per row where ``mask`` is true; ``message(i)`` gets the row position."""
        rows = np.flatnonzero(pd.Series(np.asarray(mask)).astype("boolean").fillna(False).to_numpy(dtype=bool))
        if rows.size == 0:
            return
        lines = self.lines()
        for i in rows:
            text = message(int(i)) if callable(message) else message
            line = int(lines[i]) if i < lines.size else None
            self.problems.append(FileProblem(self.path, line, column, text))

    def has(self, name: str) -> bool:
        """Whether the normalised column ``name`` was in the file."""
        return name in self.frame.columns and name not in self.missing


def per_cell(template: str, values: pd.Series) -> Callable[[int], str]:
    """A :meth:`Parsed.report` message: ``template`` formatted with the row's value."""
    return lambda i: template.format(values.iloc[i])


def _records(text: str, path: str, strict: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Start line and field count of every non-blank record after the header.

    ``strict`` also fails on a quoted value still open at the end of the file.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
    starts: list[int] = []
    counts: list[int] = []
    prev = 0
    try:
        for i, rec in enumerate(reader):
            if i > 0 and rec:
                starts.append(prev + 1)
                counts.append(len(rec))
            prev = reader.line_num
    except csv.Error as e:
        problem = FileProblem(
            path, prev + 1, None, f"a quoted value is never closed, or a field is too large ({e}): is the file cut short?"
        )
        raise DataFileError([problem]) from None
    return np.asarray(starts, dtype=np.int64), np.asarray(counts, dtype=np.int64)


def _to_number(t: pd.Series) -> pd.Series:
    """Floats, NaN where missing or unreadable: arrow's cast when every cell reads, else pandas' coerce."""
    try:
        arr = pac.cast(pa.array(t, type=pa.string(), from_pandas=True), pa.float64())
        return pd.Series(arr.to_numpy(zero_copy_only=False), index=t.index)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.to_numeric(t, errors="coerce")


def _convert(s: pd.Series, col: Col) -> tuple[pd.Series, pd.Series, str]:
    """Converted values, mask of cells that failed, and the reason template."""
    if col.kind == "str":
        return s, pd.Series(False, index=s.index), ""
    t = s.str.strip()
    present = t.notna() & (t != "")
    if col.kind in ("int", "float"):
        num = _to_number(t.where(present))
        bad = present & num.isna()
        if col.kind == "float":
            return num.astype("float64"), bad, "cannot read '{}' as a number"
        frac = present & ~bad & (num % 1 != 0)
        out = num.where(~frac).round().astype("Int64")
        return out, bad | frac, "cannot read '{}' as a whole number"
    if col.kind == "date":
        d = pd.to_datetime(t.where(present), format=col.date_format, errors="coerce")
        return d.astype("datetime64[us]"), present & d.isna(), f"cannot read '{{}}' as a date ({human_format(col.date_format)})"
    low = t.str.lower()
    yes = low.isin(["yes", "y", "true", "1"])
    no = low.isin(["no", "n", "false", "0"])
    out = pd.Series(pd.NA, index=s.index, dtype="Int64").mask(yes, 1).mask(no, 0)
    return out, present & ~yes & ~no, "cannot read '{}' as yes/no"


def parse(path: str | Path, cols: Iterable[Col]) -> Parsed:
    """Read ``path`` and convert the declared columns, collecting every problem.

    Raises :class:`DataFileError` only when the file cannot be read as CSV at
    all; other problems are in ``Parsed.problems``.  Declared columns that are
    absent come back all-missing and are named in ``Parsed.missing``.
    """
    cols = list(cols)
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise DataFileError([FileProblem(name, None, None, f"cannot read the file: {e.strerror or e}")]) from None
    text = _decode(raw)
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if not any(h.strip() for h in header):
        raise DataFileError([FileProblem(name, 1, None, "the file is empty or has no header line")])
    ragged = 0

    def on_invalid(_row: Any) -> str:
        nonlocal ragged
        ragged += 1
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                null_values=NULL_TOKENS,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as e:
        raise DataFileError([FileProblem(name, None, None, f"cannot be read as CSV: {e}")]) from None
    raw_frame = table.to_pandas()
    parsed = Parsed(name, text, header, pd.DataFrame(index=raw_frame.index))
    if text.count('"') % 2:  # an odd number of quotes: perhaps a quoted value cut off by the end of the file
        try:
            _records(text, name, strict=True)
        except DataFileError as e:
            parsed.problems.extend(e.problems)
    if ragged:
        starts, counts = _records(text, name)
        n = len(header)
        for line, k in zip(starts[counts != n], counts[counts != n], strict=True):
            column = header[k] if k < n else None
            what = "the row is cut short" if k < n else "the row has extra fields"
            parsed.problems.append(FileProblem(name, int(line), column, f"expected {n} fields, found {k}: {what}"))
    seen: set[str] = set()
    for h in header:
        if h in seen and any(c.source == h for c in cols):
            parsed.problems.append(FileProblem(name, 1, h, "the column appears more than once"))
        seen.add(h)
    out: dict[str, pd.Series] = {}
    for col in cols:
        if col.source not in raw_frame.columns:
            if col.required:
                parsed.problems.append(FileProblem(name, 1, col.source, "required column is missing"))
            parsed.missing.append(col.out)
            out[col.out] = pd.Series(pd.NA if col.kind != "float" else np.nan, index=raw_frame.index).astype(_DTYPES[col.kind])
            continue
        s = raw_frame[col.source]
        if isinstance(s, pd.DataFrame):  # duplicated header: use the first
            s = s.iloc[:, 0]
        if col.na:
            s = s.mask(s.str.strip().isin(col.na))
        if col.pre is not None:
            s = col.pre(s)
        values, bad, reason = _convert(s, col)
        if bad.any():
            parsed.report(bad, col.source, per_cell(reason, s))
        if col.not_null:
            parsed.report(s.isna() | (s.str.strip() == ""), col.source, "a value is required")
        if col.allowed is not None:
            outside = values.notna() & ~bad & ~values.isin(list(col.allowed))
            choices = ", ".join(str(a) for a in sorted(col.allowed, key=str))
            parsed.report(outside, col.source, per_cell(f"'{{}}' is not one of: {choices}", s))
        out[col.out] = values
    parsed.frame = pd.DataFrame(out, index=raw_frame.index)
    return parsed


def read_checked(path: str | Path, cols: Iterable[Col], what: str) -> pd.DataFrame:
    """:func:`parse`, then raise :class:`DataFileError` listing every problem, if any."""
    parsed = parse(path, cols)
    raise_problems(parsed, what)
    return parsed.frame


def raise_problems(parsed: Parsed, what: str, error: type[DataFileError] = DataFileError) -> None:
    if parsed.problems:
        problems = sorted(parsed.problems, key=lambda p: (p.line or 0, p.column or ""))
        raise error(problems, what)
