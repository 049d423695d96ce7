"""The indicator vocabulary: every indicator is defined in docs/indicators.md, and the justice one counts trials."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.indicators import indicator
from endstate.model.params import DEFAULTS
from endstate.model.step import Draws, step
from endstate.spec import load_spec
from endstate.types import INDICATORS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "east_timor_1999_lead_state.yaml"


def test_every_indicator_has_one_row_with_its_unit_and_a_monitor_source():
    rows = [line for line in (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    names = [line.split("`")[1] for line in rows]
    assert sorted(names) == sorted(INDICATORS)
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == 4 and all(cells), line


def test_justice_processing_is_trials_over_arrests_not_admissions():
    """Prisons with room for every arrest but courts trying none: the indicator falls, though every arrest was detained."""
    batch = RunBatch(ChunkJob(load_spec(EXAMPLE), DEFAULTS, 2, 0, 10, 0))
    sc, pv, st = batch.sc, batch.pv, batch.st
    st.places[:] = 1e6  # all arrests admitted
    d = sc.spec.model_copy(deep=True)
    d.understanding.justice.cases_per_month = 0.0  # no courts
    object.__setattr__(sc, "spec", d)
    rng = np.random.default_rng(0)
    wz, wu, wc = Draws.widths(sc.R, sc.C)
    m = step(sc, pv, batch.pt, st, Draws(rng.standard_normal((10, wz)), rng.random((10, wu)), rng.random((10, wc))), 0)
    value = indicator("justice_processing", sc, st, m)
    assert np.allclose(value, 0.5 + pv.justice_smoothing * (0.0 - 0.5))  # no trials: share 0 (advisers add at most 2 x 0)
    assert (st.detained > 0).all()
