"""endstate cases export CASE: the case spec written out for editing, valid as written, never overwritten silently."""

from __future__ import annotations

import subprocess
import sys

from endstate.experiments.replay import load_case
from endstate.spec import load_spec


def endstate(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from endstate.cli import main; main()", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_export_writes_a_spec_that_loads_as_the_case(tmp_path):
    r = endstate("cases", "export", "liberia_unmil", cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    out = tmp_path / "liberia_unmil.yaml"
    spec, _, path = load_case("liberia_unmil")
    assert out.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")  # comments and sources kept
    assert load_spec(out) == spec
    again = endstate("cases", "export", "liberia_unmil", cwd=str(tmp_path))
    assert again.returncode == 2 and "--force" in again.stderr
    assert endstate("cases", "export", "liberia_unmil", "--force", "-o", str(out)).returncode == 0


def test_export_of_an_unknown_case_suggests_one(tmp_path):
    r = endstate("cases", "export", "liberia", "-o", str(tmp_path / "x.yaml"))
    assert r.returncode == 2 and "liberia_unmil" in r.stderr and "Traceback" not in r.stderr


def test_cases_still_lists_the_library():
    r = endstate("cases")
    assert r.returncode == 0 and "liberia_unmil" in r.stdout
