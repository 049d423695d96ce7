"""The sweep report: the page, its figures and the finding in words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from explore_support import BASE, points_for

from endstate.explore.analysis import Analysis, discover, regret, sensitivity
from endstate.explore.report import write_report
from endstate.explore.sweep import Sweep


def test_report_has_figures_tables_and_the_finding(tmp_path: Path):
    sweep = Sweep.model_validate({**BASE, "design": {"method": "lhs", "points": 200}})
    pts = points_for(sweep, lambda k, X: np.where((k == 1) & (X[:, 0] > 0.6), 1.0, 0.5) + 0.1 * X[:, 1])
    a = Analysis(sweep, pts, sensitivity(pts, sweep), discover(pts, sweep), regret(pts, sweep))
    page = write_report(a, tmp_path / "r")
    html = page.read_text()
    for fig in ("sensitivity.png", "prim_tradeoff.png", "prim_box.png", "regret.png"):
        assert (tmp_path / "r" / fig).stat().st_size > 1000
        assert fig in html
    assert a.discovery.text.split(" PRIM")[0] in html
    assert "a is above" in html and "max_regret" in html and "S1" in html
