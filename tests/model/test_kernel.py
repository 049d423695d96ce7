"""The compiled month (endstate.model.kernel, through endstate.model.step.step) against the vectorised NumPy month."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.params import load_parameters
from endstate.model.scenario import compile_spec
from endstate.model.state import DONE
from endstate.model.step import Draws, Month, step, step_numpy
from endstate.spec import MissionSpec, load_spec, strategy_specs, validate_data

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"
RTOL = 1e-10
"""Both evaluate the same formulas in the same order; they differ only where NumPy sums or multiplies matrices
(BLAS and pairwise summation order) and in the last bit of ``exp`` and ``log``, a few ulp that grow to ~1e-12."""

MONTH_FIELDS = ("battle", "civilian", "coverage", "inflow", "riots", "access", "headcount", "loyalty", "one_sided", "expected_battle", "expected_civilian")


def _batches(spec: MissionSpec, runs: int, seed: int) -> tuple[RunBatch, RunBatch]:
    return RunBatch(ChunkJob(spec, load_parameters(), seed, 0, runs, 0)), RunBatch(ChunkJob(spec, load_parameters(), seed, 0, runs, 0))


def _assert_months_agree(spec: MissionSpec, runs: int, seed: int) -> int:
    """Step both to the end on the same draws; every state field and Month array agrees after every month. Months stepped."""
    a, b = _batches(spec, runs, seed)
    for month in range(a.max_months):
        z, u, uc = a.streams.month(*a.widths)
        ma, mb = step(a.sc, a.pv, a.pt, a.st, Draws(z, u, uc), month), step_numpy(b.sc, b.pv, b.pt, b.st, Draws(z, u, uc), month)
        a.rules.apply(a.st, ma, month, a.log)
        b.rules.apply(b.st, mb, month, b.log)
        _assert_month_agrees(ma, mb, month)
        for f in fields(a.st):
            x, y = getattr(a.st, f.name), getattr(b.st, f.name)
            if y.dtype.kind == "f":
                np.testing.assert_allclose(x, y, rtol=RTOL, atol=0.0, err_msg=f"month {month}, {f.name}")
            else:
                np.testing.assert_array_equal(x, y, err_msg=f"month {month}, {f.name}")
        if not (a.st.status < DONE).any():
            return month + 1
    return a.max_months


def _assert_month_agrees(ma: Month, mb: Month, month: int) -> None:
    for name in MONTH_FIELDS:
        np.testing.assert_allclose(getattr(ma, name), getattr(mb, name), rtol=RTOL, atol=1e-14, err_msg=f"month {month}, {name}")
    np.testing.assert_array_equal(ma.relapsed_now, mb.relapsed_now)
    np.testing.assert_array_equal(ma.war_ended_now, mb.war_ended_now)
    assert ma.mission is not None and mb.mission is not None
    np.testing.assert_allclose(ma.mission.deterrence, mb.mission.deterrence, rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize("name", sorted(strategy_specs(load_spec(EXAMPLE))))
def test_compiled_month_agrees_with_numpy_on_the_default_scenario(name: str) -> None:
    assert _assert_months_agree(strategy_specs(load_spec(EXAMPLE))[name], 40, 7) > 24


def test_compiled_month_agrees_on_a_scheduled_force_with_reallocation_and_autonomy() -> None:
    """UNMIL's dated and phased schedule under a lead state that reallocates to hotspots, with regional autonomy (branches the default skips)."""
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
    assert _assert_months_agree(spec, 12, 3) > 12


def test_integer_personnel_in_the_state_are_stepped_as_floats() -> None:
    """A state array of another dtype (whole numbers from a spec) is replaced by a float copy, not truncated by the kernel."""
    a, b = _batches(validate_data(load_spec(EXAMPLE).model_dump(mode="json", exclude={"strategies"})), 5, 1)
    a.st.places = a.st.places.astype(np.int64)
    b.st.places = b.st.places.astype(np.int64)
    z, u, uc = a.streams.month(*a.widths)
    step(a.sc, a.pv, a.pt, a.st, Draws(z, u, uc), 0)
    step_numpy(b.sc, b.pv, b.pt, b.st, Draws(z, u, uc), 0)
    assert a.st.places.dtype == np.float64
    np.testing.assert_allclose(a.st.places, b.st.places, rtol=RTOL)
