"""Mechanism 7, the justice chain: admission while places are free, trials, releases, building, court throughput."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model import justice
from endstate.model.params import DEFAULTS
from endstate.model.state import values
from endstate.model.step import Draws, step
from endstate.spec import load_spec

V = DEFAULTS.v
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def chain(detained=20.0, places=100.0, arrested=30.0, courts=5.0, advisers=0.0, engineers=0.0, processing=0.5):
    return justice.step(detained, places, arrested, courts, advisers, engineers, processing, justice.JusticeParams.of(values(DEFAULTS)))


def test_free_places_admit_every_arrest():
    detained, places, released, processing = chain()
    assert released == 0.0
    assert detained == 20 + 30 - 5  # five cases tried
    assert places == 100.0
    # every arrest is detained, but the courts try only 5 of the 30: the chain is not working
    assert math.isclose(processing, 0.5 + 0.2 * (5 / 30 - 0.5))


def test_full_detention_releases_every_arrest():
    detained, _, released, processing = chain(detained=50.0, places=50.0)
    assert released == 30.0
    assert detained == 45.0
    assert math.isclose(processing, 0.5 + 0.2 * (5 / 30 - 0.5))  # the courts still try five of those held


def test_partly_full_detention_admits_the_free_places():
    detained, _, released, processing = chain(detained=90.0, places=100.0)
    assert released == 20.0
    assert detained == 90 + 10 - 5
    assert math.isclose(processing, 0.5 + 0.2 * (5 / 30 - 0.5))


def test_advisers_add_trials_and_engineers_build_places():
    d0, p0, _, _ = chain(courts=20.0)
    d1, p1, _, _ = chain(courts=20.0, advisers=100.0, engineers=200.0)
    assert math.isclose(d0 - d1, V("trials_per_adviser_month") * 100)  # 20 more trials
    assert math.isclose(p1 - p0, V("places_per_engineer_month") * 200)  # 10 more places
    # courts cannot try more than are held
    assert chain(detained=0.0, arrested=2.0, courts=50.0)[0] == 0.0


def test_processing_unchanged_without_arrests():
    assert chain(arrested=0.0, processing=0.37)[3] == 0.37


def test_processing_converges_to_trials_over_arrests():
    p = 0.5
    for _ in range(60):
        p = chain(detained=90.0, places=100.0, courts=12.0, processing=p)[3]
    assert math.isclose(p, 12 / 30, abs_tol=1e-4)
    # courts that try more than are arrested (a backlog) count as fully working, not more
    assert math.isclose(chain(detained=100.0, arrested=10.0, courts=50.0, processing=1.0)[3], 1.0)


def test_advisers_help_courts_but_do_not_replace_destroyed_ones():
    """A thousand advisers add 200 trials to working courts but only twice what destroyed courts (2 a month) try."""
    many = 1000.0
    working = chain(detained=500.0, places=1000.0, arrested=300.0, courts=100.0, advisers=many)[0]
    assert math.isclose(working, 500 + 300 - 100 - V("trials_per_adviser_month") * many)
    destroyed = chain(detained=500.0, places=1000.0, arrested=300.0, courts=2.0, advisers=many)[0]
    assert math.isclose(destroyed, 500 + 300 - 2 - V("adviser_court_multiple") * 2)


def test_in_the_step_released_fighters_return_next_month():
    batch = RunBatch(ChunkJob(load_spec(EXAMPLE), DEFAULTS, 2, 0, 20, 0))
    sc, pv, st = batch.sc, batch.pv, batch.st
    st.places = st.detained.copy()  # prisons full: every arrest is released
    spoilers_before = st.spoilers.copy()
    rng = np.random.default_rng(1)
    wz, wu, wc = Draws.widths(sc.R, sc.C)
    m = step(sc, pv, batch.pt, st, Draws(rng.standard_normal((20, wz)), rng.random((20, wu)), rng.random((20, wc))), 0)
    arrested_r = pv.spoiler_arrest_rate * m.coverage * spoilers_before
    assert np.all(arrested_r.sum(axis=1) > 0)
    assert np.allclose(st.returned, pv.release_return_share * arrested_r.sum(axis=1))
    assert np.allclose(st.arrest_share, arrested_r / arrested_r.sum(axis=1, keepdims=True))
    assert np.allclose(st.processing, 0.5 + pv.justice_smoothing * (0.0 - 0.5))
