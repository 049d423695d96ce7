"""A simulation written into its result folder chunk by chunk, keeping in memory only what its statistics read.

Core objects: :class:`ParquetStream` (one Parquet file written in fixed row
groups), :func:`write_streamed` (a strategy's outcomes, events, series and
regional series from :func:`endstate.engine.runner.simulate_parts`),
:class:`Keep` (what of a result stays in memory while it streams past: the
outcome columns a summary reads, some kinds of events) and
:func:`stream_result` (a result written as it comes, its kept share returned).

What stays in memory is what the caller's statistics need: ``endstate run``
keeps the 21 outcome columns its summary reads (129 bytes a run),
``compare`` 24 columns and the goal events its bottom line reads (225-280
bytes a run and strategy on the default scenario); the rest of each chunk
(the other columns, the other events, the sampled series) goes to the files
and is let go.  The kept outcome columns are filled in place into arrays
allocated once for all runs, so the peak is the kept share plus a few chunks.

Each table is cut into row groups of exactly ``row_group`` rows (the last one
shorter), whatever the chunk sizes it arrived in, so the files are the same
bytes for any chunk size and number of workers.  The files go into a
:class:`~endstate.outcomes.folder.ResultFolder`, which writes them in its
temporary folder and puts them in place with its manifest by one rename.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from endstate.engine.runner import Part, Results, result_meta
from endstate.exits.events import EV
from endstate.spec.models import MissionSpec

from .folder import ResultFolder

ROW_GROUP = 65_536
"""Rows in each Parquet row group: a million-run outcome table is 16 groups of a few MB, read column by column."""


class ParquetStream:
    """One Parquet file written in row groups of ``row_group`` rows from frames of any size, added in order."""

    def __init__(self, path: Path, row_group: int = ROW_GROUP):
        self.path = path
        self.row_group = row_group
        self.rows = 0
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._writer: pq.ParquetWriter | None = None

    def add(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        table = pa.Table.from_pandas(frame, preserve_index=False)
        self._buffer.append(table)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        while self._buffered >= self.row_group:
            self._write(self.row_group)

    def _write(self, rows: int) -> None:
        table = pa.concat_tables(self._buffer).combine_chunks()
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema)
        self._writer.write_table(table.slice(0, rows), row_group_size=rows)
        rest = table.slice(rows)
        self._buffer, self._buffered = [rest], rest.num_rows

    def close(self) -> bool:
        """Write what is left; False when no row was ever added (no file written)."""
        if self._buffered:
            self._write(self._buffered)
        if self._writer is None:
            return False
        self._writer.close()
        return True


def write_streamed(folder: ResultFolder, prefix: str, parts: Iterable[Part], row_group: int = ROW_GROUP) -> int:
    """Write each part's tables into ``folder`` (under ``prefix/`` when given) as it comes; returns the runs written.

    ``events.parquet`` is written even when empty; ``series.parquet`` and
    ``regions.parquet`` only when some run was sampled (as
    :func:`endstate.cli.run_cmds.write_outputs` does).  Nothing is kept:
    pass the parts through :func:`stream_result` to keep what a summary needs.
    """
    base = f"{prefix}/" if prefix else ""
    names = ("outcomes", "events", "series", "regions")
    streams = {n: ParquetStream(folder.path(f"{base}{n}.parquet"), row_group) for n in names}
    empty_events: pd.DataFrame | None = None
    n = names[0]
    try:
        for part in parts:
            for n in names:
                streams[n].add(getattr(part, n))
            if empty_events is None:
                empty_events = part.events.iloc[:0]
        for n in names:
            if not streams[n].close() and n == "events" and empty_events is not None:
                folder.write_parquet(f"{base}events.parquet", empty_events)
    except OSError as e:  # a full disk, a file system gone read-only: said as plainly as the folder's own writes say it
        raise folder.write_failed(f"{base}{n}.parquet", e) from None
    return streams["outcomes"].rows


@dataclass(frozen=True)
class Keep:
    """What of each streamed part stays in memory: the default, everything (the in-memory result of ``simulate``).

    Attributes
    ----------
    columns : the outcome columns kept, in this order; None keeps every column.
    events : the names of the events kept (:data:`endstate.exits.events.EV`); None keeps every event, ``()`` none.
    series : whether the sampled monthly series (country and regions) are kept; they are bounded by the
        sampled runs, not the run count.
    """

    columns: tuple[str, ...] | None = None
    events: tuple[str, ...] | None = None
    series: bool = True

    def including(self, other: Keep) -> Keep:
        """This share with ``other``'s added: every column and event either keeps (None, every one, wins), series if either does."""

        def union(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...] | None:
            return None if a is None or b is None else a + tuple(x for x in b if x not in a)

        return Keep(union(self.columns, other.columns), union(self.events, other.events), self.series or other.series)

    def share(self, part: Part) -> Part:
        """The kept share of one part (copies, so the part itself can be let go)."""
        outcomes = part.outcomes if self.columns is None else part.outcomes[list(self.columns)]
        events = part.events
        if self.events is not None:
            events = events[events["event"].isin([EV[name] for name in self.events]).to_numpy()]
        if self.series:
            return Part(outcomes, events, part.series, part.regions)
        return Part(outcomes, events, part.series.iloc[:0], part.regions.iloc[:0])


KEEP_ALL = Keep()
"""Keep everything: the whole result in memory, as :func:`endstate.engine.runner.simulate` returns it."""


class _Filled:
    """A table of a known number of rows, filled part by part, in order, into arrays allocated once.

    Pieces joined at the end (``pd.concat``) hold the table twice at the
    peak, and the memory of many small pieces, once freed, is too scattered
    for the joined arrays to reuse; filled in place, the peak is the table
    plus one part.  Columns are NumPy-typed, categorical (codes kept) or
    nullable boolean (values and mask kept), the types of the outcome table.
    """

    def __init__(self, rows: int):
        self.rows = rows
        self.filled = 0
        self.dtypes: dict[str, Any] = {}
        self.arrays: dict[str, tuple[np.ndarray, ...]] = {}

    def add(self, frame: pd.DataFrame) -> None:
        if not self.dtypes:
            self.dtypes = dict(frame.dtypes)
            for c, dt in self.dtypes.items():
                if isinstance(dt, pd.CategoricalDtype):
                    self.arrays[c] = (np.empty(self.rows, dtype=frame[c].cat.codes.dtype),)
                elif isinstance(dt, pd.BooleanDtype):
                    self.arrays[c] = (np.empty(self.rows, dtype=bool), np.empty(self.rows, dtype=bool))
                else:
                    self.arrays[c] = (np.empty(self.rows, dtype=dt),)
        rows = slice(self.filled, self.filled + len(frame))
        for c, dt in self.dtypes.items():
            col, out = frame[c], self.arrays[c]
            if isinstance(dt, pd.CategoricalDtype):
                out[0][rows] = col.cat.codes.to_numpy()
            elif isinstance(dt, pd.BooleanDtype):
                out[0][rows], out[1][rows] = col.to_numpy(dtype=bool, na_value=False), col.isna().to_numpy()
            else:
                out[0][rows] = col.to_numpy()
        self.filled = rows.stop

    def frame(self) -> pd.DataFrame:
        """The table (its arrays, not copies); every row must have been filled."""
        if self.filled != self.rows:
            raise ValueError(f"{self.filled:,} of {self.rows:,} rows were filled")
        cols: dict[str, Any] = {}
        for c, dt in self.dtypes.items():
            out = self.arrays.pop(c)
            if isinstance(dt, pd.CategoricalDtype):
                cols[c] = pd.Categorical.from_codes(out[0], dtype=dt)
            elif isinstance(dt, pd.BooleanDtype):
                cols[c] = pd.arrays.BooleanArray(out[0], out[1])
            else:
                cols[c] = out[0]
        return pd.DataFrame(cols, copy=False)


class _Gathered:
    """The kept shares of the parts that passed: the outcome rows filled in place, the kept events and series joined at the end."""

    def __init__(self, keep: Keep, runs: int):
        self.keep = keep
        self.outcomes = _Filled(runs)
        self.pieces: dict[str, list[pd.DataFrame]] = {"events": [], "series": [], "regions": []}
        self.numerical_errors = 0

    def passing(self, parts: Iterable[Part]) -> Iterator[Part]:
        """Each part passed on unchanged, after its kept share is taken and its flagged runs counted."""
        for part in parts:
            self.numerical_errors += int(part.outcomes["numerical_error"].sum())
            share = self.keep.share(part)
            self.outcomes.add(share.outcomes)
            for name, pieces in self.pieces.items():
                pieces.append(getattr(share, name))
            yield part

    def results(self, meta: dict[str, Any]) -> Results:
        """The kept share as a :class:`Results`, its frames those :func:`endstate.engine.runner.simulate` gives, cut to it."""
        events = pd.concat(self.pieces["events"], ignore_index=True)
        series, regions = (_joined([f for f in self.pieces[n] if not f.empty]) for n in ("series", "regions"))
        self.pieces = {}
        return Results(self.outcomes.frame(), events, series, meta, regions)


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def stream_result(
    spec: MissionSpec, runs: int, seed: int, parts: Iterable[Part], keep: Keep, folder: ResultFolder | None = None, prefix: str = ""
) -> Results:
    """The parts of one result written into ``folder`` (under ``prefix/``) as they come, when given; the share ``keep`` names, returned.

    ``meta`` is complete (its count of flagged runs is taken from every
    part, kept column or not); the tables hold what ``keep`` names, the same
    frames :func:`endstate.engine.runner.simulate` returns, cut to it.
    """
    gathered = _Gathered(keep, runs)
    passing = gathered.passing(parts)
    if folder is not None:
        write_streamed(folder, prefix, passing)
    else:
        for _ in passing:
            pass
    return gathered.results(result_meta(spec, runs, seed, gathered.numerical_errors))
