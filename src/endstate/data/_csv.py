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

from endstate.files import InputFileError, first_seen, read_text
from endstate.spec.bounds import FIRST_DATE as SPEC_FIRST_DATE
from endstate.spec.bounds import LAST_DATE as SPEC_LAST_DATE

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
    values; ``low`` and ``high`` bound numbers (``low=0`` for counts).
    Dates must lie in :data:`FIRST_DATE`-:data:`LAST_DATE` in every column.
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
    low: float | None = None
    high: float | None = None

    @property
    def out(self) -> str:
        return self.name or self.source


def human_format(fmt: str) -> str:
    """``%d/%m/%Y`` -> ``dd/mm/yyyy``."""
    return fmt.replace("%Y", "yyyy").replace("%m", "mm").replace("%d", "dd")


MAX_CSV_BYTES = 1024**3
"""Largest data file read (1 GiB): the largest shared file is under 4 MB, and event data for a whole continent
(ACLED, UCDP GED) stay well under a gigabyte."""
MAX_CSV_LINE_CHARS = 100_000
"""Longest line read: the widest shared file's rows are under 5,000 characters (RADPKO); a longer line is a runaway
(an unclosed quote, a binary file), refused before the CSV parser meets it."""
LEGACY_ENCODINGS = ("cp1252",)
"""Tried after UTF-8: spreadsheet exports on Windows write Windows-1252."""
FIRST_DATE = pd.Timestamp(SPEC_FIRST_DATE)
LAST_DATE = pd.Timestamp(SPEC_LAST_DATE)
"""Dates outside these are slips (a year 1500 or 9999), as in the spec (:mod:`endstate.spec.bounds`)."""


def _read_text(path: str | Path) -> str:
    try:
        return read_text(path, max_bytes=MAX_CSV_BYTES, max_line_chars=MAX_CSV_LINE_CHARS, legacy=LEGACY_ENCODINGS)
    except InputFileError as e:
        raise DataFileError([FileProblem(e.file, e.line, None, e.message)]) from None


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
        bad = present & (num.isna() | np.isinf(num))
        if col.kind == "float":
            return num.astype("float64").where(~bad), bad, "cannot read '{}' as a finite number"
        # Whole numbers past 2**53 are not exact as floats (and past 2**63 overflow): no count is that large.
        frac = present & ~bad & ((num % 1 != 0) | (num.abs() > 2**53))
        out = num.where(~frac & ~bad).round().astype("Int64")
        return out, bad | frac, "cannot read '{}' as a whole number"
    if col.kind == "date":
        d = pd.to_datetime(t.where(present), format=col.date_format, errors="coerce")
        return d.astype("datetime64[us]"), present & d.isna(), f"cannot read '{{}}' as a date ({human_format(col.date_format)})"
    low = t.str.lower()
    yes = low.isin(["yes", "y", "true", "1"])
    no = low.isin(["no", "n", "false", "0"])
    out = pd.Series(pd.NA, index=s.index, dtype="Int64").mask(yes, 1).mask(no, 0)
    return out, present & ~yes & ~no, "cannot read '{}' as yes/no"


def parse(path: str | Path, cols: Iterable[Col], key: tuple[str, ...] | None = None, repeats: bool = True) -> Parsed:
    """Read ``path`` and convert the declared columns, collecting every problem.

    A row that repeats an earlier one (or its ``key``) is a problem, unless
    ``repeats`` is false: a format whose rows may repeat by design (ACLED's
    monadic export writes one row per actor, identical where both actors have
    the same name) and whose loader de-duplicates on an event id.

    Raises :class:`DataFileError` only when the file cannot be read as CSV at
    all; other problems are in ``Parsed.problems``.  Declared columns that are
    absent come back all-missing and are named in ``Parsed.missing``.
    Rows repeating an earlier row's ``key`` (normalised names; default: the
    whole row) are problems too.  The file itself is checked first
    (:func:`endstate.files.read_text`: regular file, size, encoding, line
    length, NUL bytes); an empty or header-only file is refused.
    """
    cols = list(cols)
    name = str(path)
    text = _read_text(path)
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    if not any(h.strip() for h in header):
        raise DataFileError([FileProblem(name, 1, None, "the file is empty or has no header line")])
    _check_delimiter(name, header, cols)
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
    if raw_frame.empty:
        raise DataFileError([FileProblem(name, None, None, "the file has a header line but no data rows")])
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
        _check_range(parsed, col, values, bad, s)
        if col.allowed is not None:
            outside = values.notna() & ~bad & ~values.isin(list(col.allowed))
            choices = ", ".join(str(a) for a in sorted(col.allowed, key=str))
            parsed.report(outside, col.source, per_cell(f"'{{}}' is not one of: {choices}", s))
        out[col.out] = values
    parsed.frame = pd.DataFrame(out, index=raw_frame.index)
    if repeats:
        _check_repeats(parsed, raw_frame, key)
    return parsed


def _check_delimiter(name: str, header: list[str], cols: list[Col]) -> None:
    """A one-column header holding ``;``, tab or ``|`` is a file saved with another delimiter: say so."""
    if len(header) != 1 or len(cols) < 2:
        return
    for sep, label in ((";", "';'"), ("\t", "a tab"), ("|", "'|'")):
        if sep in header[0]:
            raise DataFileError(
                [FileProblem(name, 1, None, f"the delimiter looks like {label}, not ',': save the file as comma-separated values")]
            )


def _check_range(parsed: Parsed, col: Col, values: pd.Series, bad: pd.Series, text: pd.Series) -> None:
    """Numbers outside ``col.low``-``col.high`` and dates outside FIRST_DATE-LAST_DATE, one problem per cell."""
    if col.kind in ("int", "float"):
        num = pd.to_numeric(values, errors="coerce").astype("float64")
        ok = num.notna() & ~bad
        if col.low is not None:
            why = "cannot be negative" if col.low == 0 else f"must be at least {col.low:g}"
            parsed.report(ok & (num < col.low), col.source, per_cell(f"'{{}}' {why}", text))
        if col.high is not None:
            parsed.report(ok & (num > col.high), col.source, per_cell(f"'{{}}' must be at most {col.high:g}", text))
    elif col.kind == "date":
        out = values.notna() & ~bad & ((values < FIRST_DATE) | (values > LAST_DATE))
        span = f"{FIRST_DATE.year}-{LAST_DATE.year}"
        parsed.report(out, col.source, per_cell(f"'{{}}' is out of range: dates must lie in {span}", text))


def _check_repeats(parsed: Parsed, raw: pd.DataFrame, key: tuple[str, ...] | None) -> None:
    """Rows that repeat an earlier row, or its ``key`` (normalised column names), named with the earlier line.

    A file with its rows duplicated would otherwise count every case twice.
    """
    if key:
        k = parsed.frame[list(key)]
        complete = k.notna().all(axis=1).to_numpy()
        rows = list(k.astype("str").itertuples(index=False, name=None))
        what = f"{', '.join(key)} repeat{'s' if len(key) == 1 else ''} those of line {{}}"
    else:
        complete = np.ones(len(raw), dtype=bool)
        rows = list(raw.astype("str").itertuples(index=False, name=None))
        what = "the row repeats line {}"
    idx = np.flatnonzero(complete)
    repeats = {int(idx[a]): int(idx[b]) for a, b in first_seen(rows[i] for i in idx).items()}
    if not repeats:
        return
    mask = np.zeros(len(rows), dtype=bool)
    mask[list(repeats)] = True
    lines = parsed.lines()
    parsed.report(mask, None, lambda i: what.format(int(lines[repeats[i]]) if repeats[i] < lines.size else "?"))


def read_checked(path: str | Path, cols: Iterable[Col], what: str, key: tuple[str, ...] | None = None) -> pd.DataFrame:
    """:func:`parse`, then raise :class:`DataFileError` listing every problem, if any."""
    parsed = parse(path, cols, key)
    raise_problems(parsed, what)
    return parsed.frame


def raise_problems(parsed: Parsed, what: str, error: type[DataFileError] = DataFileError) -> None:
    if parsed.problems:
        problems = sorted(parsed.problems, key=lambda p: (p.line or 0, p.column or ""))
        raise error(problems, what)
