"""The compiled month (endstate.model.kernel, through endstate.model.step.step): branches the default scenario skips, dtypes."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd

from endstate.engine.reference import simulate_reference
from endstate.engine.runner import WINDOW_YEARS, ChunkJob, RunBatch, simulate
from endstate.model.params import load_parameters
from endstate.model.scenario import compile_spec
from endstate.model.step import Draws, step
from endstate.spec import load_spec, validate_data

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"
EXACT = ["exit_month", "exit_reason", "trigger_month", "relapse_month", "conflict_recurrence_month", "war_recurrence_month",
         "phases_handed_over", "tasks_handed_over", "numerical_error", *(f"relapse_by_{y}y" for y in WINDOW_YEARS)]  # fmt: skip
CLOSE = ["battle_deaths", "civilian_deaths", "mission_fatalities", "cost_usd", "peak_personnel", "domestic_force_at_exit"]


def test_reallocation_to_hotspots_and_regional_autonomy_agree_with_the_reference() -> None:
    """UNMIL's dated and phased schedule under a lead state that reallocates to hotspots, with regional autonomy."""
    from endstate.experiments.replay import load_case

    d = load_case("liberia_unmil")[0].model_dump(mode="json", exclude={"strategies"})
    d["force"]["command"], d["force"]["lead"] = "lead_state", d["force"]["contributors"][0]["id"]
    d["tasks"]["allocation"] = "reallocate_to_hotspots"
    d["politics"]["regional_autonomy"] = True
    d["resources"]["horizon_months"] = 60
    d["exit"]["post_exit_years"] = 1
    spec = validate_data(d)
    sc = compile_spec(spec)
    assert sc.reallocate and sc.regional_autonomy and sc.has_schedule
    fast = simulate(spec, 12, seed=3, chunk_size=5, series_runs=0).outcomes
    slow = simulate_reference(spec, 12, seed=3).outcomes
    pd.testing.assert_frame_equal(slow[EXACT], fast[EXACT])
    pd.testing.assert_frame_equal(slow[CLOSE], fast[CLOSE], check_exact=False, rtol=1e-9, atol=0.0)


def test_integer_personnel_in_the_state_are_stepped_as_floats() -> None:
    """A state array of another dtype (whole numbers from a spec) is replaced by a float copy, not truncated by the kernel."""
    job = ChunkJob(load_spec(EXAMPLE), load_parameters(), 1, 0, 5, 0)
    a, b = RunBatch(job), RunBatch(job)
    a.st.places = np.round(a.st.places).astype(np.int64)
    b.st.places = np.round(b.st.places)
    z, u, uc = a.streams.month(*a.widths)
    for month in range(3):
        step(a.sc, a.pv, a.pt, a.st, Draws(z, u, uc), month)
        step(b.sc, b.pv, b.pt, b.st, Draws(z, u, uc), month)
    assert a.st.places.dtype == np.float64
    for f in fields(a.st):
        np.testing.assert_array_equal(getattr(a.st, f.name), getattr(b.st, f.name), err_msg=f.name)


def test_reused_month_arrays_give_the_same_months_as_fresh_ones() -> None:
    """A batch writes each month into the same arrays (RunBatch.run); the same months stepped with fresh ones are equal."""
    import pytest

    from endstate.model.step import month_arrays

    job = ChunkJob(load_spec(EXAMPLE), load_parameters(), 2, 0, 7, 0)
    a, b = RunBatch(job), RunBatch(job)
    out = month_arrays(7, a.sc.R)
    for month in range(4):
        z, u, uc = a.streams.month(*a.widths)
        ma = step(a.sc, a.pv, a.pt, a.st, Draws(z, u, uc), month, out=out)
        mb = step(b.sc, b.pv, b.pt, b.st, Draws(z, u, uc), month)
        for f in fields(ma):
            x, y = getattr(ma, f.name), getattr(mb, f.name)
            if isinstance(x, np.ndarray):
                assert x is not y
                np.testing.assert_array_equal(x, y, err_msg=f.name)
    for f in fields(a.st):
        np.testing.assert_array_equal(getattr(a.st, f.name), getattr(b.st, f.name), err_msg=f.name)
    with pytest.raises(ValueError, match="month arrays"):
        step(a.sc, a.pv, a.pt, a.st, Draws(z, u, uc), 4, out=month_arrays(4, a.sc.R))  # (compiled code does not check bounds)


def test_resumed_wars_get_the_rate_of_their_intensity_and_quantile_even_when_written_in_place() -> None:
    """resume_wars copies rates computed once for the state's arrays; one computed again when the numbers it came from
    were written in place (or the array replaced) is the rate of the numbers now."""
    from endstate.model.step import resume_wars
    from endstate.model.violence import resumed_war_rate

    st = RunBatch(ChunkJob(load_spec(EXAMPLE), load_parameters(), 4, 0, 50, 0)).st
    sigma = 0.9
    rng = np.random.default_rng(0)

    def check() -> None:
        relapsed = rng.random(50) < 0.3
        before = st.war_rate.copy()
        resume_wars(st, relapsed, sigma)
        want = before.copy()
        want[relapsed] = resumed_war_rate(st.war_log_intensity[relapsed], st.war_quantile[relapsed], sigma)
        np.testing.assert_array_equal(st.war_rate.view(np.int64), want.view(np.int64))

    check()
    check()
    st.war_quantile[::2] = rng.random(25)  # in place
    check()
    st.war_log_intensity[3] += 1.0
    check()
    st.war_quantile = rng.random(50)  # a new array
    check()
    check()
