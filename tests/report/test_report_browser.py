"""The report in a real browser: headless Chromium (Playwright) loads it, every figure renders, no console errors.

Set ENDSTATE_SCREENSHOTS=DIR to keep the full-page screenshots for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from endstate.experiments.compare import compare, rows_as_dicts
from endstate.report.html import write_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (CI installs Debian's chromium)")


def _look(path: Path, shot: Path) -> dict[str, object]:
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri(), wait_until="load")
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => ({alt: e.alt, complete: e.complete, w: e.naturalWidth, h: e.naturalHeight, shown: e.getBoundingClientRect().width}))"
        )
        first = page.inner_text("header p.bottom-line")
        headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    return {"errors": errors, "images": images, "first": first, "headings": headings}


def test_every_figure_renders_in_chromium(strategy_results, tmp_path):
    rows = compare(strategy_results, "calendar_exit")
    report = write_report(tmp_path / "report.html", "Browser check", strategy_results, {"reference": "calendar_exit", "rows": rows_as_dicts(rows)})
    keep = os.environ.get("ENDSTATE_SCREENSHOTS")
    shot = Path(keep) / "report.png" if keep else tmp_path / "report.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    seen = _look(report, shot)
    assert seen["errors"] == []
    images = seen["images"]
    assert len(images) >= 12  # type: ignore[arg-type]
    for img in images:  # type: ignore[union-attr]
        assert img["complete"] and img["w"] > 0 and img["h"] > 0 and img["shown"] > 0, img
    alts = {img["alt"] for img in images}  # type: ignore[union-attr]
    assert {"Goal status", "Handover phases", "Spending and personnel over time", "Violence by region", "Schematic of violence by region"} <= alts
    assert seen["headings"][0] == "Fixed windows from the mission start"  # type: ignore[index]
    assert "Over the first" in str(seen["first"]) and "binding its exit" in str(seen["first"])
    assert shot.stat().st_size > 50_000
