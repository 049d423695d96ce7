"""Reading a user's input file safely: the guards every reader applies before it parses.

Core objects: :class:`InputFileError` (what is wrong, with file and line),
:func:`read_text` (refuse anything but a regular file, cap the size, decode
with the encoding named when it cannot be read, cap the line length, refuse
NUL bytes) and :func:`first_seen` (for each repeated key, where it was first
seen).  Both the spec loader (``spec/loader.py``) and the producers' CSV
readers (``data/_csv.py``) use them, so that a FIFO, ``/dev/zero``, a 200 MB
line or a UTF-16 file gets the same clear message everywhere.  No numpy here:
the spec layer imports this module.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Hashable, Iterable
from pathlib import Path


class InputFileError(Exception):
    """An input file refused before (or while) parsing; ``line`` is 1-based or ``None``."""

    def __init__(self, file: str, message: str, line: int | None = None):
        self.file = file
        self.line = line
        self.message = message
        super().__init__(f"{file}{'' if line is None else f':{line}'}: {message}")


_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bytes(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; FIFOs, devices and folders are refused unread.

    The file is checked with ``stat`` before it is opened, opened without
    blocking (a FIFO swapped in meanwhile cannot hang the reader), checked
    again on the open descriptor, and read up to ``max_bytes + 1`` bytes, so
    that neither ``/dev/zero`` nor a growing file can exhaust memory.
    """
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputFileError(name, "file not found") from None
    except OSError as e:
        raise InputFileError(name, f"cannot read the file: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(name, f"refused: this is {_kind(st.st_mode)}, not a regular file")
    if st.st_size > max_bytes:
        raise InputFileError(name, f"the file is {st.st_size:,} bytes, over the limit of {max_bytes:,} for this kind of file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise InputFileError(name, f"cannot read the file: {e.strerror or e}") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise InputFileError(name, f"refused: this is {_kind(mode)}, not a regular file")
        try:
            raw = f.read(max_bytes + 1)
        except OSError as e:
            raise InputFileError(name, f"cannot read the file: {e.strerror or e}") from None
    if len(raw) > max_bytes:
        raise InputFileError(name, f"the file is over the limit of {max_bytes:,} bytes for this kind of file")
    return raw


def _line_at(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode(raw: bytes, name: str, legacy: tuple[str, ...] = ()) -> str:
    """``raw`` as text: UTF-8 (with or without a byte-order mark), else each of ``legacy`` in turn.

    A UTF-16 or UTF-32 file (byte-order mark), NUL bytes (binary data, or
    UTF-16 without a mark), and bytes that none of the encodings read are
    refused, naming what was found and where.
    """
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            raise InputFileError(name, f"the file is {enc} text (byte-order mark found); save it as UTF-8")
    nul = raw.find(b"\0")
    if nul >= 0:
        hint = "UTF-16 text without a byte-order mark" if raw[1::2].count(0) > len(raw) // 4 else "a binary file"
        raise InputFileError(name, f"NUL byte found: this looks like {hint}, not UTF-8 text", _line_at(raw, nul))
    # A file saved twice by a BOM-writing editor starts with two marks; none is part of the text.
    try:
        return raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as e:
        first = e
    for enc in legacy:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    tried = " or ".join(["UTF-8", *legacy])
    byte = raw[first.start : first.start + 1].hex().upper()
    raise InputFileError(name, f"not {tried} text: byte 0x{byte} cannot be read; save the file as UTF-8", _line_at(raw, first.start))


def check_lines(text: str, name: str, max_chars: int) -> None:
    """Refuse a line longer than ``max_chars`` characters (a runaway line is never a real record)."""
    if len(text) <= max_chars:
        return
    start, line = 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > max_chars:
            raise InputFileError(name, f"line {line} is {end - start:,} characters long, over the limit of {max_chars:,}", line)
        start, line = end + 1, line + 1


def read_text(path: str | Path, *, max_bytes: int, max_line_chars: int, legacy: tuple[str, ...] = ()) -> str:
    """:func:`read_bytes`, :func:`decode` and :func:`check_lines` in one call."""
    name = str(path)
    text = decode(read_bytes(path, max_bytes), name, legacy)
    check_lines(text, name, max_line_chars)
    return text


def first_seen(keys: Iterable[Hashable]) -> dict[int, int]:
    """For each position whose key occurred before, the position where it first occurred (one pass)."""
    first: dict[Hashable, int] = {}
    out: dict[int, int] = {}
    for i, k in enumerate(keys):
        j = first.setdefault(k, i)
        if j != i:
            out[i] = j
    return out
