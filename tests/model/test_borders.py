"""Mechanism 5, borders: border coverage, arms inflow and the weapons stock; a paired end-to-end check."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.borders import BordersParams, arms_inflow, arms_stock, border_coverage
from endstate.model.params import DEFAULTS
from endstate.model.state import values
from endstate.spec import load_spec, validate_data

V = DEFAULTS.v
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"
SCALE = V("border_personnel_scale")
EFFECT = V("border_control_effect")
P = BordersParams.of(values(DEFAULTS))


def inflow(personnel, base=50.0, exposure=1.0, support=0.5):
    cov = border_coverage(personnel, exposure, P)
    return arms_inflow(base, exposure, support, cov, P)


def test_border_coverage_saturates_with_personnel_per_exposure():
    assert math.isclose(border_coverage(SCALE, 1.0, P), 1 - math.exp(-1))
    # a region holding half the border needs half the personnel for the same coverage
    assert math.isclose(border_coverage(SCALE / 2, 0.5, P), 1 - math.exp(-1))
    assert border_coverage(0.0, 1.0, P) == 0.0


def test_uncontrolled_inflow_by_hand():
    # base 50 weapons, whole border, outside support 0.5: 50 * 1 * (0.5 + 0.5)
    assert inflow(0.0) == 50.0
    assert math.isclose(inflow(0.0, support=0.0), 25.0)


def test_doubling_border_personnel_lowers_inflow_by_the_formula():
    one, two = inflow(SCALE), inflow(2 * SCALE)
    assert math.isclose(one, 50 * (1 - EFFECT * (1 - math.exp(-1))))
    assert math.isclose(two, 50 * (1 - EFFECT * (1 - math.exp(-2))))
    assert math.isclose(one - two, 50 * EFFECT * (math.exp(-1) - math.exp(-2)))  # about 9.3 weapons a month


def test_a_sealed_border_still_leaks():
    assert math.isclose(inflow(1e9), 50 * (1 - EFFECT))


def test_arms_stock_decays_is_seized_and_grows():
    out = arms_stock(100.0, 10.0, 0.5, P)
    assert math.isclose(out, 100 * (1 - 0.02 - 0.03 * 0.5) + 10)
    assert arms_stock(1.0, 0.0, 1.0, P._replace(arms_decay=0.9, seizure_rate=0.9)) == 0.0


def _with_more_border_personnel(extra: float):
    d = load_spec(EXAMPLE).model_dump(mode="json", exclude={"strategies"})
    for c in d["force"]["contributors"]:
        if c["id"] == "australia":
            c["troops"] += extra
    d["resources"]["personnel_ceiling"] += extra
    for a in d["tasks"]["assignments"]:
        if a["contributor"] == "australia" and a["task"] == "border_control" and a["region"] == "west_border":
            a["personnel"] += extra
    return validate_data(d)


def _inflows(spec, months: int, runs: int = 60):
    batch = RunBatch(ChunkJob(spec, DEFAULTS, 3, 0, runs, 0, None))
    out: list[np.ndarray] = []
    batch.max_months = months
    batch.run(lambda month, m, alive: out.append(m.inflow.copy()))
    return batch, np.stack(out)  # (months, N, R)


def test_more_border_personnel_in_the_spec_lowers_arms_inflow_paired():
    base_batch, base = _inflows(load_spec(EXAMPLE), 24)
    more_batch, more = _inflows(_with_more_border_personnel(1000.0), 24)
    sc, pv = base_batch.sc, base_batch.pv
    west = sc.spec.region_ids.index("west_border")
    exposure = sc.border_exposure[west]
    # month 0 with the same draws: the documented equations give the exact ratio of the two inflows
    st0 = RunBatch(ChunkJob(sc.spec, DEFAULTS, 3, 0, 60, 0, None)).st
    loyal = 0.3 + 0.4 * st0.pay + 0.3 * st0.legitimacy
    dom = pv.domestic_border_share * st0.force * st0.force_quality * loyal * exposure / sc.border_exposure.sum()

    def cov(batch, personnel):
        # lead state, four contributors, no transformation goals; the caveated share falls as Australia adds troops
        coh = pv.coherence_lead_state - 3 * pv.coherence_per_contributor - pv.coherence_caveats * batch.sc.caveat_share
        return 1 - np.exp(-(personnel * coh + dom) / (SCALE * exposure))

    expected = (1 - EFFECT * cov(more_batch, 3800.0)) / (1 - EFFECT * cov(base_batch, 2800.0))
    assert np.allclose(more[0, :, west] / base[0, :, west], expected, rtol=1e-12)
    assert np.all(expected < 1)
    # over two years, every run sees less smuggling in the west, and on average the country does too
    assert np.all(more[:, :, west].mean(axis=0) < base[:, :, west].mean(axis=0))
    assert more.sum(axis=2).mean() < base.sum(axis=2).mean()
