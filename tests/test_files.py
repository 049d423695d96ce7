"""The shared input-file guard: regular files only, bounded size and lines, encodings named, repeats found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from endstate.files import InputFileError, check_lines, decode, first_seen, read_bytes, read_text


def test_regular_file_read_within_limits(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10)
    assert read_bytes(path, 10) == b"x" * 10
    with pytest.raises(InputFileError, match="10 bytes, over the limit of 9"):
        read_bytes(path, 9)
    with pytest.raises(InputFileError, match="file not found"):
        read_bytes(tmp_path / "nope", 9)


def test_special_files_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="a FIFO"):
        read_bytes(fifo, 100)
    with pytest.raises(InputFileError, match="a folder"):
        read_bytes(tmp_path, 100)
    if Path("/dev/zero").exists():
        with pytest.raises(InputFileError, match="a device"):
            read_bytes("/dev/zero", 100)


def test_decode_names_what_it_found() -> None:
    assert decode(b"\xef\xbb\xbf\xef\xbb\xbfa,b", "f") == "a,b"  # one or two byte-order marks dropped
    assert decode("Côte".encode("cp1252"), "f", legacy=("cp1252",)) == "Côte"
    with pytest.raises(InputFileError, match="UTF-16 text"):
        decode("a,b".encode("utf-16"), "f")
    with pytest.raises(InputFileError) as err:
        decode(b"a\nb\x00c", "f")
    assert err.value.line == 2 and "NUL byte" in err.value.message
    with pytest.raises(InputFileError, match="not UTF-8 text: byte 0xF4"):
        decode("Côte".encode("cp1252"), "f")


def test_line_length_limit() -> None:
    check_lines("ab\ncd", "f", 2)
    with pytest.raises(InputFileError) as err:
        check_lines("ab\ncde\nf", "f", 2)
    assert err.value.line == 2 and "line 2 is 3 characters long, over the limit of 2" in err.value.message


def test_read_text_applies_every_guard(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id\n" + "9" * 50 + "\n", encoding="utf-8")
    assert read_text(path, max_bytes=100, max_line_chars=50).startswith("id")
    with pytest.raises(InputFileError, match="line 2"):
        read_text(path, max_bytes=100, max_line_chars=49)


def test_first_seen() -> None:
    assert first_seen(["a", "b", "a", "c", "b", "a"]) == {2: 0, 4: 1, 5: 0}
    assert first_seen([]) == {}
