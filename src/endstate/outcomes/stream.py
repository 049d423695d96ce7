"""A simulation written into its result folder chunk by chunk, so that memory is bounded by the chunk, not the run count.

Core objects: :class:`ParquetStream` (one Parquet file written in fixed row
groups) and :func:`write_streamed` (a strategy's outcomes, events, series and
regional series from :func:`endstate.engine.runner.simulate_parts`).

Each table is cut into row groups of exactly ``row_group`` rows (the last one
shorter), whatever the chunk sizes it arrived in, so the files are the same
bytes for any chunk size and number of workers.  The files go into a
:class:`~endstate.outcomes.folder.ResultFolder`, which writes them in its
temporary folder and puts them in place with its manifest by one rename.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from endstate.engine.runner import Part

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


def write_streamed(folder: ResultFolder, prefix: str, parts: Iterable[Part], row_group: int = ROW_GROUP) -> pd.DataFrame:
    """Write each part's tables into ``folder`` (under ``prefix/`` when given) as it comes; the outcome table, read back.

    ``events.parquet`` is written even when empty; ``series.parquet`` and
    ``regions.parquet`` only when some run was sampled (as
    :func:`endstate.cli.run_cmds.write_outputs` does).  The outcome table is
    read back from its file for the summary: what stays in memory is its
    columns, not the events or the series.
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
    return pd.read_parquet(folder.path(f"{base}outcomes.parquet"))
