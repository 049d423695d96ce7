"""The partition store: atomic keyed partitions, identity checks, DuckDB views, plain Parquet."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from endstate.outcomes.partitions import PartitionStore, StoreConflict

VIEWS = {"totals": "SELECT k, sum(v) AS v FROM {runs} GROUP BY k ORDER BY k"}


def _table(k: int) -> pa.Table:
    return pa.table({"k": [k, k], "v": [1.5, 2.5]})


def test_write_done_and_query(tmp_path: Path):
    store = PartitionStore.open(tmp_path / "s", {"what": 1}, VIEWS)
    store.write("000000-a", _table(0))
    store.write("000001-b", _table(1))
    assert store.done() == {"000000-a", "000001-b"}
    assert store.connect().execute("SELECT * FROM totals").fetchall() == [(0, 4.0), (1, 4.0)]
    assert len(pd.read_parquet(tmp_path / "s" / "parts")) == 4
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/s/parts/*.parquet'").fetchall() == [(4,)]


def test_same_table_same_bytes(tmp_path: Path):
    a = PartitionStore.open(tmp_path / "a", {"what": 1}).write("p", _table(3))
    b = PartitionStore.open(tmp_path / "b", {"what": 1}).write("p", _table(3))
    assert a.read_bytes() == b.read_bytes()


def test_reopen_same_identity_cleans_half_written_files(tmp_path: Path):
    store = PartitionStore.open(tmp_path / "s", {"what": 1})
    store.write("p", _table(0))
    (store.parts / ".q.parquet.123.tmp").write_bytes(b"half")
    again = PartitionStore.open(tmp_path / "s", {"what": 1})
    assert again.done() == {"p"} and not list(again.parts.glob(".*"))


def test_other_identity_refused_force_moves_aside(tmp_path: Path):
    PartitionStore.open(tmp_path / "s", {"what": 1, "seed": 1}).write("p", _table(0))
    with pytest.raises(StoreConflict, match="seed"):
        PartitionStore.open(tmp_path / "s", {"what": 1, "seed": 2})
    new = PartitionStore.open(tmp_path / "s", {"what": 1, "seed": 2}, force=True)
    assert new.done() == set()
    assert [p.name for p in (tmp_path / "s").glob("replaced-*/parts/*")] == ["p.parquet"]


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(StoreConflict, match="not an endstate result store"):
        PartitionStore.open(tmp_path, {"what": 1})
    with pytest.raises(StoreConflict, match="no complete partitions"):
        PartitionStore.open(tmp_path, {"what": 1}, force=True).connect()
    assert (tmp_path / "mine.txt").read_text() == "keep me"
