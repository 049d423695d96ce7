"""Result folders written as a unit, with a manifest, and checked against it.

Core objects: :class:`ResultFolder` (the one helper every command that writes
a result uses), :func:`write_file_atomically` (a single output file, e.g. a
spell file or a calibration), :func:`verify` (a folder against its manifest)
and the provenance hashes :func:`spec_hash`, :func:`parameters_hash` and
:func:`file_sha256`.

Why a unit.  A result is a set of files that belong together (outcomes,
events, series, summary).  Replaced one by one, a full disk or a SIGKILL in
the middle leaves a folder that mixes two results.  So a result is written
into a temporary folder beside the target (same file system), closed with a
``manifest.json`` that records what produced it and the SHA-256 of every
file, flushed to disk, and only then put in place by one rename (an atomic
exchange with the old folder where the system has one, Linux
``renameat2(RENAME_EXCHANGE)``).  At any moment the target holds either the
complete old result or the complete new one.  An existing result is replaced
only when asked (``force``); the target is checked writable, with room,
before anything is computed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from endstate import __version__

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
MIN_FREE_BYTES = 64 * 1024 * 1024
"""Room a result needs at least, checked before computing: 64 MiB is several times a 10,000-run result
(about 2 MB of outcomes and 10 MB of events); commands that know better pass their own estimate."""
_TMP = ".tmp-"
_OLD = ".old-"


class ResultError(Exception):
    """A result cannot be written, or a folder does not match its manifest; the message says which file and why."""


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sha256_json(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def spec_hash(spec: Any) -> str:
    """SHA-256 of a mission spec's canonical JSON (pydantic ``model_dump`` with sorted keys): the same spec, the same hash."""
    return _sha256_json(spec.model_dump(mode="json"))


def parameters_hash(params: Any) -> str:
    """SHA-256 of every model parameter's value (after any calibration was laid over the defaults)."""
    return _sha256_json({n: params.v(n) for n in params.names()})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(parent: Path, name: str, kind: str = _TMP) -> Iterator[Path]:
    """Siblings of ``name`` (temporary, or old results set aside) left by processes that no longer run, e.g. after a SIGKILL."""
    for p in parent.glob(f".{name}{kind}*"):
        pid = p.name[len(f".{name}{kind}") :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            yield p


def _recover(target: Path) -> None:
    """Put back an old result set aside by a two-rename swap that was killed between its renames; remove older leftovers."""
    parent = target.absolute().parent
    if not parent.is_dir():
        return
    for p in sorted(_stale(parent, target.name, _OLD)):
        if not target.exists():
            os.rename(p, target)
        else:
            _remove(p)


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            p.unlink()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return int(fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)) == 0


def _describe(path: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {"sha256": file_sha256(path), "bytes": path.stat().st_size}
    if path.suffix == ".parquet":
        entry["rows"] = pq.ParquetFile(path).metadata.num_rows
    return entry


LEGACY_RESULT_FILES = frozenset({"summary.json", "outcomes.parquet", "report.html", "backtest.json"})
"""Files by which a result written before manifests existed is recognised."""


def _is_result(folder: Path) -> bool:
    """Whether ``folder`` may be replaced by a result: empty, or a result (with a manifest, or an older one without)."""
    names = {p.name for p in folder.iterdir()}
    return not names or MANIFEST in names or bool(names & LEGACY_RESULT_FILES)


def _writable_parent(target: Path, need_bytes: int, create: bool = True) -> Path:
    """The folder holding ``target`` (created if ``create``), after checking it can be written and has room."""
    parent = target.absolute().parent
    if not create and not parent.is_dir():
        raise ResultError(f"cannot write {target}: there is no folder {parent}")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ResultError(f"cannot create {parent}: {e.strerror or e}") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ResultError(f"cannot write to {parent}: permission denied")
    free = shutil.disk_usage(parent).free
    if free < need_bytes:
        raise ResultError(f"not enough room in {parent}: {free / 2**20:.0f} MiB free, a result needs about {need_bytes / 2**20:.0f} MiB")
    return parent


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a CSV cell as a formula (OWASP, "CSV injection")."""


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells that a spreadsheet would run as a formula start with a quote ``'``.

    A country named ``=HYPERLINK(...)`` in a spell file stays readable text in
    ``cases.csv``; numbers are untouched.
    """
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


class ResultFolder:
    """A result folder under construction: files go to a temporary sibling; :meth:`commit` puts them in place in one rename.

    Use as a context manager: an exception (a full disk, Ctrl-C) removes the
    temporary folder and leaves the target as it was.  Opening one checks that
    the target can be written, and has room, before anything is computed.

    Parameters
    ----------
    target : the result folder to write.
    force : replace an existing result; otherwise one is refused.
    need_bytes : free space required beside the target.
    """

    def __init__(self, target: Path, force: bool = False, need_bytes: int = MIN_FREE_BYTES):
        self.target = Path(target)
        self.force = force
        _recover(self.target)
        if self.target.exists() and not self.target.is_dir():
            raise ResultError(f"{self.target} exists and is not a folder")
        if self.target.is_dir() and not force:
            raise ResultError(f"{self.target} already holds a result; pass --force to replace it, or choose another --out")
        if self.target.is_dir() and not _is_result(self.target):
            raise ResultError(f"{self.target} is a folder that does not hold an endstate result; --force replaces only results: choose another --out")
        parent = _writable_parent(self.target, need_bytes)
        for p in _stale(parent, self.target.name):
            _remove(p)
        try:
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}{_TMP}{os.getpid()}-", dir=parent))
            self.tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a result folder gets the usual permissions
        except OSError as e:
            raise ResultError(f"cannot write to {parent}: {e.strerror or e}") from None
        self.committed = False
        _OPEN.append(self)

    def __enter__(self) -> ResultFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None or not self.committed:
            self.abort()
        if isinstance(value, OSError) and value.filename and Path(str(value.filename)).absolute().is_relative_to(self.tmp.absolute()):
            # a writer given :meth:`path` (an HTML report, a figure) failed: say so as plainly as the write_* methods do
            name = Path(str(value.filename)).absolute().relative_to(self.tmp.absolute())
            raise self.write_failed(str(name), value) from None

    def path(self, name: str) -> Path:
        """Where a file of the result goes while it is written (inside the temporary folder; sub-folders are created)."""
        p = self.tmp / name
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write_text(self, name: str, text: str) -> Path:
        return self._write(name, lambda p: p.write_text(text, encoding="utf-8"))

    def write_bytes(self, name: str, data: bytes) -> Path:
        return self._write(name, lambda p: p.write_bytes(data))

    def write_json(self, name: str, data: Any) -> Path:
        return self.write_text(name, json.dumps(data, indent=2) + "\n")

    def write_parquet(self, name: str, frame: pd.DataFrame) -> Path:
        return self._write(name, lambda p: pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), p))

    def write_csv(self, name: str, frame: pd.DataFrame, **to_csv: Any) -> Path:
        """Write ``frame`` as CSV with every text cell made safe to open in a spreadsheet (see :func:`csv_safe`)."""
        return self._write(name, lambda p: csv_safe(frame).to_csv(p, index=False, **to_csv))

    def _write(self, name: str, write: Callable[[Path], object]) -> Path:
        p = self.path(name)
        try:
            write(p)
        except OSError as e:
            raise self.write_failed(name, e) from None
        return p

    def write_failed(self, name: str, e: OSError) -> ResultError:
        """The error a user sees when the file ``name`` of this result could not be written, saying what was kept."""
        return ResultError(f"cannot write {self.target / name}: {e.strerror or e}; {self.kept()}")

    def kept(self) -> str:
        """One phrase saying what the target holds if this result is not committed."""
        if self.target.is_dir():
            return f"the existing result in {self.target} is kept unchanged"
        return f"nothing was written to {self.target}"

    def commit(self, provenance: Mapping[str, Any]) -> Path:
        """Write ``manifest.json`` (``provenance`` plus the version and every file's hash), then move the folder into place."""
        files = {p.relative_to(self.tmp).as_posix(): _describe(p) for p in sorted(self.tmp.rglob("*")) if p.is_file()}
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "endstate_version": __version__,
            "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "command": ["endstate", *sys.argv[1:]],
            **provenance,
            "files": files,
        }
        try:
            (self.tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
            for p in self.tmp.rglob("*"):
                if p.is_file():
                    with p.open("rb+") as f:
                        os.fsync(f.fileno())
            _fsync_dir(self.tmp)
        except OSError as e:
            raise self.write_failed(MANIFEST, e) from None
        self._swap()
        self.committed = True
        return self.target

    def _swap(self) -> None:
        if not self.target.exists():
            os.rename(self.tmp, self.target)
        elif _exchange(self.tmp, self.target):
            _remove(self.tmp)  # now holds the old result
        else:  # two renames: between them the old result waits beside the target, removed by the next writer
            old = self.target.with_name(f".{self.target.name}{_OLD}{os.getpid()}-{self.tmp.name[-8:]}")
            os.rename(self.target, old)
            os.rename(self.tmp, self.target)
            _remove(old)
        _fsync_dir(self.target.absolute().parent)

    def abort(self) -> None:
        """Remove the temporary folder; the target is left as it was."""
        _remove(self.tmp)


_OPEN: list[ResultFolder] = []
"""Result folders opened by the command now running (see :func:`begin_command`)."""


def begin_command() -> None:
    """Forget the folders of an earlier command in this process (the CLI calls this as each command starts)."""
    _OPEN.clear()


def interrupted_note() -> str:
    """One line for Ctrl-C: what the command wrote and what it kept (temporary files go as the stack unwinds)."""
    parts = [f"wrote {f.target}" if f.committed else f.kept() for f in _OPEN]
    return "interrupted: " + ("; ".join(parts) if parts else "nothing was written")


def check_file_target(target: Path, force: bool, need_bytes: int = 0) -> Path:
    """Check a single output file can be written (not a folder, not existing unless ``force``, in a writable folder that exists)."""
    if target.is_dir():
        raise ResultError(f"{target} is a folder; name the file to write")
    if target.exists() and not force:
        raise ResultError(f"{target} exists; pass --force to overwrite it")
    return _writable_parent(target, need_bytes, create=False)


def _umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file_atomically(target: Path, write: Callable[[Path], object], force: bool = True) -> Path:
    """Write one file through a temporary sibling and one rename: the target is the old file or the complete new one.

    ``write(path)`` writes the content to ``path``.  Without ``force`` an
    existing target is refused.
    """
    target = Path(target)
    parent = check_file_target(target, force)
    for p in _stale(parent, target.name):
        _remove(p)
    # the temporary name ends like the target's, so writers that pick a format by suffix (".csv.gz") pick the same one
    fd, name = tempfile.mkstemp(prefix=f".{target.name}{_TMP}{os.getpid()}-", suffix="".join(target.suffixes), dir=parent)
    os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it private; the file gets the usual permissions
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as e:
        raise ResultError(f"cannot write {target}: {e.strerror or e}; {target} was left as it was") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    _fsync_dir(parent)
    return target


def verify(folder: Path) -> list[str]:
    """Check ``folder`` against its manifest; returns the problems (empty: every file present, unchanged, nothing added)."""
    folder = Path(folder)
    manifest_path = folder / MANIFEST
    if not folder.is_dir():
        return [f"{folder} is not a folder"]
    if not manifest_path.is_file():
        return [f"{manifest_path} is missing: {folder} was not written by endstate {__version__} or is incomplete"]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files: dict[str, dict[str, Any]] = manifest["files"]
    except (ValueError, KeyError, TypeError) as e:
        return [f"{manifest_path} cannot be read: {e}"]
    problems = []
    for name, entry in files.items():
        p = folder / name
        if not p.is_file():
            problems.append(f"{p}: listed in the manifest but missing")
        elif p.stat().st_size != entry.get("bytes"):
            problems.append(f"{p}: size differs from the manifest ({p.stat().st_size} bytes, listed as {entry.get('bytes')}): the file was changed")
        elif file_sha256(p) != entry.get("sha256"):
            problems.append(f"{p}: SHA-256 differs from the manifest (the file was changed)")
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and rel != MANIFEST and rel not in files:
            problems.append(f"{p}: not in the manifest (added after the result was written)")
    return problems


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a result folder, as written."""
    return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


__all__ = [
    "MANIFEST",
    "ResultError",
    "begin_command",
    "check_file_target",
    "csv_safe",
    "ResultFolder",
    "file_sha256",
    "interrupted_note",
    "parameters_hash",
    "read_manifest",
    "spec_hash",
    "verify",
    "write_file_atomically",
]
