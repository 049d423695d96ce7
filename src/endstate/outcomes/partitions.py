"""A result store of Parquet partitions: atomic, keyed, resumable, queried with DuckDB.

Core objects: :class:`PartitionStore` (a folder with ``manifest.json`` and
``parts/*.parquet``) and :class:`StoreConflict` (the folder holds other
results).  Each partition is written to a hidden temporary file, flushed to
disk and renamed into place, so a partition either exists whole or not at all;
its name is a deterministic key, so a process killed at any moment and started
again finds what is complete, redoes only the rest and never writes a
partition twice.  An existing store is only reused for the same identity (the
manifest records it); another identity is refused, or with ``force`` the
earlier files are moved aside into ``replaced-<UTC time>/``, never deleted.

The partitions are plain Parquet: ``pandas.read_parquet(root / "parts")`` and
``duckdb.sql("FROM 'root/parts/*.parquet'")`` read them directly;
:meth:`PartitionStore.connect` opens DuckDB with a ``runs`` view over them and
any views the manifest declares (``{runs}`` in their SQL stands for the files).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

MANIFEST = "manifest.json"
PARTS = "parts"
FORMAT = 1


class StoreConflict(Exception):
    """The folder holds results of something else (or files that are not a store)."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for k in sorted(set(a) | set(b), key=str):
            out += _differences(a.get(k), b.get(k), f"{where}.{k}" if where else str(k))
        return out
    return [] if a == b else [where or "(all)"]


class PartitionStore:
    """The partitions of one result set under ``root``."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.parts = self.root / PARTS

    @classmethod
    def open(cls, root: str | Path, identity: dict[str, Any], views: dict[str, str] | None = None, force: bool = False) -> PartitionStore:
        """Create the store, or reopen it for the same ``identity`` (to resume); refuse another one unless ``force``."""
        store = cls(Path(root))
        manifest = store.root / MANIFEST
        if manifest.exists():
            old = store.manifest()
            if old.get("identity") == identity:
                store._clean_temporaries()
                return store
            if not force:
                diff = ", ".join(_differences(old.get("identity"), identity)[:6])
                raise StoreConflict(
                    f"{store.root} holds the results of a different sweep (it differs in: {diff}); choose another --out, "
                    "or pass --force to move the earlier results aside (nothing is deleted)"
                )
            store._move_aside()
        elif store.root.exists() and any(store.root.iterdir()) and not force:
            raise StoreConflict(f"{store.root} exists and is not an endstate result store; choose an empty or new folder, or pass --force to add the store beside its files")
        store.parts.mkdir(parents=True, exist_ok=True)
        body = {"format": FORMAT, "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "identity": identity, "views": views or {}}
        _write_atomic(manifest, lambda p: p.write_text(json.dumps(body, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"))
        return store

    def manifest(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StoreConflict(f"{self.root} is not an endstate result store (no {MANIFEST})") from None
        except (OSError, ValueError) as e:
            raise StoreConflict(f"{self.root / MANIFEST} cannot be read: {e}") from None
        return data

    def _move_aside(self) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        dest = self.root / f"replaced-{stamp}"
        dest.mkdir()
        for name in (MANIFEST, PARTS):
            if (self.root / name).exists():
                (self.root / name).replace(dest / name)

    def _clean_temporaries(self) -> None:
        """Remove half-written partitions left by a killed writer (they never carry a final name)."""
        for tmp in self.parts.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)

    def done(self) -> set[str]:
        """Names of the complete partitions."""
        return {p.stem for p in self.parts.glob("*.parquet")}

    def paths(self) -> list[Path]:
        return sorted(self.parts.glob("*.parquet"))

    def write(self, name: str, table: pa.Table) -> Path:
        """Write one partition atomically; the same name and table always give the same bytes."""
        path = self.parts / f"{name}.parquet"
        _write_atomic(path, lambda p: pq.write_table(table, p, compression="zstd"))
        return path

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB with a ``runs`` view over the partitions and the manifest's views.

        One thread, so aggregates over the store sum in file order and give the same bits every time.
        """
        views = self.manifest().get("views", {})
        if not self.paths():
            raise StoreConflict(f"{self.root} has no complete partitions yet")
        con = duckdb.connect(config={"threads": 1})
        glob = str(self.parts / "*.parquet").replace("'", "''")
        files = f"read_parquet('{glob}')"
        con.execute(f"CREATE VIEW runs AS SELECT * FROM {files}")
        for name, sql in views.items():
            con.execute(f'CREATE VIEW "{name}" AS {sql.format(runs="runs")}')
        return con
