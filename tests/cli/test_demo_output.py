"""The demo leads with the common clock: its first table is every strategy on fixed windows from the mission start."""

from __future__ import annotations

import subprocess
import sys


def test_demo_first_table_is_the_fixed_windows_and_the_report_opens_with_the_bottom_line(tmp_path):
    args = ["demo", "--runs", "40", "--workers", "1", "--out", str(tmp_path / "demo")]
    r = subprocess.run([sys.executable, "-c", "from endstate.cli import main; main()", *args], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    titles = [line.strip() for line in r.stdout.splitlines() if line.strip() and line.strip()[0] not in "┏┃┡│└━"]
    first_table = next(t for t in titles if "(" in t and not t.startswith("3 strategies"))
    assert first_table.startswith("Fixed windows from the mission start")
    assert r.stdout.index("Fixed windows from the mission start") < r.stdout.index("minus calendar_exit")
    html = (tmp_path / "demo" / "report.html").read_text(encoding="utf-8")
    body = html[html.index("<body>") :]
    assert body.index('class="bottom-line"') < body.index("<table") and "Over the first" in body[: body.index("<table")]
    assert (tmp_path / "demo" / "security_keeping" / "regions.parquet").exists()
