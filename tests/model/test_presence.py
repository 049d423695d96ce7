"""Where the mission's personnel are: task weights, quality, phase factors, handover and withdrawal."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.params import DEFAULTS
from endstate.model.presence import (
    BLOCK,
    Deployment,
    F,
    by_function,
    deploy,
    features,
    headcount_by_contributor,
    personnel,
    phase_factor,
    scheduled_strength,
    tables,
    withdrawal_scale,
)
from endstate.model.scenario import TASK_INDEX, compile_spec
from endstate.model.state import ACTIVE, AFTER_EXIT, DONE, WITHDRAWING, values
from endstate.model.step import Draws, step
from endstate.spec import load_spec, validate_data

V = DEFAULTS.v
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def setup(spec=None):
    sc = compile_spec(spec or load_spec(EXAMPLE))
    return sc, tables(sc, values(DEFAULTS))


def feat_at(sc, pt, factors, weight=None):
    w = np.ones((1, sc.C)) if weight is None else weight
    return features(pt, w, np.asarray(factors, dtype=float)[None, :], sc.R)[0]


def test_phase_factors_fall_linearly_over_the_drawdown():
    assert phase_factor(-1, 13, 6) == 1.0  # not handed over
    assert phase_factor(10, 10, 6) == 1.0
    assert phase_factor(10, 13, 6) == 0.5
    assert phase_factor(10, 16, 6) == 0.0
    assert phase_factor(10, 30, 6) == 0.0
    assert phase_factor(10, 10, 0) == 0.0  # no drawdown: gone at once


def test_security_feature_weights_tasks_by_hand():
    sc, pt = setup()
    f = feat_at(sc, pt, [1, 1, 1, 1])
    r = {rid: i for i, rid in enumerate(sc.spec.region_ids)}
    # Dili: public order 1,200 + 600 (weight 1), key-site guard 600 (0.5), trainers 300 (0.1),
    # and Dili's fifth of the spread-out convoy escorts (0.3), trainers, justice advisers (0.1); engineers count 0
    spread = 0.20
    dili = 1800 * 1.0 + 600 * V("weight_key_site_guard") + 300 * 0.1 + (200 + 300) * spread * V("weight_convoy_protection") + (500 + 400) * spread * 0.1
    assert math.isclose(f[F["security"], r["dili"]], dili)
    assert math.isclose(f[F["mobile"], r["dili"]], 1800.0)
    assert math.isclose(f[F["border"], r["west_border"]], 2800.0)
    assert math.isclose(f[F["engineers"]].sum(), 600.0)
    assert math.isclose(f[F["headcount"]].sum(), 10_000.0)


def test_a_task_outside_a_contributors_capabilities_counts_at_the_incapable_quality():
    d = load_spec(EXAMPLE).model_dump(mode="json", exclude={"strategies"})
    for c in d["force"]["contributors"]:
        if c["id"] == "asean":
            c["capabilities"].remove("presence_patrol")
    sc0, pt0 = setup()
    sc1, pt1 = setup(validate_data(d))
    east = sc0.spec.region_ids.index("east")
    before = feat_at(sc0, pt0, [1, 1, 1, 1])
    after = feat_at(sc1, pt1, [1, 1, 1, 1])
    assert math.isclose(before[F["security"], east] - after[F["security"], east], 1100 * (1 - V("incapable_task_quality")))
    assert after[F["headcount"], east] == before[F["headcount"], east]  # as many people, doing it half as well


def test_handing_over_a_phase_removes_exactly_its_personnel():
    sc, pt = setup()
    r = {rid: i for i, rid in enumerate(sc.spec.region_ids)}
    full = feat_at(sc, pt, [1, 1, 1, 1])
    dili_done = feat_at(sc, pt, [1, 1, 0, 1])  # phase 2: public order and key-site guard in Dili
    gone = full - dili_done
    assert math.isclose(gone[F["headcount"], r["dili"]], 1200 + 600 + 600)
    assert math.isclose(gone[F["headcount"]].sum(), 2400)
    assert dili_done[F["riot"], r["dili"]] == 0.0
    assert np.allclose(gone[:, [r["east"], r["centre"], r["west_border"], r["oecusse"]]], 0.0)
    half = feat_at(sc, pt, [1, 1, 0.5, 1])
    assert np.allclose(full - half, gone / 2)
    # phase 1 hands over patrols and escorts in the east and centre
    east_done = feat_at(sc, pt, [1, 0, 1, 1])
    assert math.isclose((full - east_done)[F["headcount"], r["east"]], 1100 + (200 + 300) * 0.25)


def test_a_cell_listed_in_two_phases_belongs_to_the_first():
    sc, pt = setup()
    T = TASK_INDEX
    east = sc.spec.region_ids.index("east")
    # convoy escorts in the east are in phases 1 and 3 of the example: phase 1 owns them
    assert sc.phase_mask[0, T["convoy_protection"], east] and sc.phase_mask[2, T["convoy_protection"], east]
    assert pt.group_of_cell[T["convoy_protection"], east] == 1
    assert pt.group_of_cell[T["border_control"], east] == 3


def test_a_contributor_that_left_contributes_nothing():
    sc, pt = setup()
    w = np.ones((1, sc.C))
    w[0, sc.spec.contributor_ids.index("new_zealand")] = 0.0
    f = feat_at(sc, pt, [1, 1, 1, 1], w)
    assert math.isclose(f[F["headcount"]].sum(), 9000.0)
    assert math.isclose(f[F["border"]].sum(), 2300.0)


def test_headcount_and_exposure_by_contributor():
    sc, pt = setup()
    danger = np.zeros((1, sc.R))
    danger[0, sc.spec.region_ids.index("west_border")] = 2.0
    hc, exposed = headcount_by_contributor(pt, np.ones((1, sc.C)), np.ones((1, 4)), danger)
    assert np.allclose(hc[0], [5000, 1000, 2500, 1500])
    west_nz = 800 + 200 * 0.16
    assert math.isclose(exposed[0, sc.spec.contributor_ids.index("new_zealand")], 2.0 * west_nz)


def test_withdrawal_scale_falls_linearly_to_zero():
    runs = [(ACTIVE, 0, -1), (WITHDRAWING, 4, 10), (WITHDRAWING, 0, 10), (AFTER_EXIT, 0, 3), (DONE, 0, 3)]  # status, within, trigger
    assert [withdrawal_scale(s, w, t, False, 12) for s, w, t in runs] == [1.0, 0.5, 0.0, 0.0, 0.0]
    assert [withdrawal_scale(s, w, t, False, 10) for s, w, t in runs] == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert withdrawal_scale(WITHDRAWING, 4, 10, False, 20) == 0.0


def test_an_orderly_drawdown_keeps_the_force_whole_while_phases_shrink():
    assert withdrawal_scale(WITHDRAWING, 4, 10, True, 12) == 1.0
    assert withdrawal_scale(WITHDRAWING, 4, 10, False, 12) == 0.5


def _liberia():
    from endstate.experiments.replay import load_case

    spec, _, _ = load_case("liberia_unmil")
    return spec, compile_spec(spec)


def _uniformed(sc, phase_start, month):
    lay = tables(sc, values(DEFAULTS)).layout
    factors = np.array([[1.0] + [phase_factor(s, month, sc.drawdown_months) for s in phase_start]])
    return sum(scheduled_strength(lay.sched_month, lay.sched_c, lay.sched_p, lay.sched_level, c, factors, 0, month) * sc.headcount[c] for c in range(sc.C))


def test_a_dated_schedule_ramps_up_linearly_between_its_steps():
    spec, sc = _liberia()
    assert sc.has_schedule
    # UNMIL: about 4,500 troops in Oct 2003 (ECOMIL re-hatted) to 14,700 by the end of March 2004, plus 1,100 police throughout
    assert math.isclose(_uniformed(sc, [-1, -1, -1], 0), 3500 + 500 + 500 + 1100)
    end_march = spec.month_of(__import__("datetime").date(2004, 3, 31))
    assert math.isclose(_uniformed(sc, [-1, -1, -1], end_march), 14700 + 1100)
    mid = _uniformed(sc, [-1, -1, -1], end_march // 2)
    assert 5600 < mid < 15800
    assert math.isclose(_uniformed(sc, [-1, -1, -1], 100), 14700 + 1100)  # held after the last dated step


def test_unmil_benchmark_drawdown_is_a_phase_schedule():
    """Once the first benchmark phase is handed over the force falls from about 15,800 to 9,750 uniformed over the phase's drawdown."""
    spec, sc = _liberia()
    handed = 40
    assert math.isclose(_uniformed(sc, [-1, -1, -1], 60), 15800)  # no benchmark met: no drawdown, whatever the date
    halfway = _uniformed(sc, [handed, -1, -1], handed + sc.drawdown_months // 2)
    after = _uniformed(sc, [handed, -1, -1], handed + sc.drawdown_months)
    assert math.isclose(after, 2600 + 3590 + 2310 + 1100)  # 9,600: 8,500 troops and the police
    assert math.isclose(halfway, (15800 + after) / 2)
    second = _uniformed(sc, [handed, handed + 60, -1], handed + 60 + sc.drawdown_months)
    assert math.isclose(second, 1150 + 1580 + 1020 + 1100)  # the 2013-15 drawdown to about 3,750 troops


def test_without_a_schedule_the_weight_is_presence_times_withdrawal_scale():
    sc, pt = setup()
    st = RunBatch(ChunkJob(sc.spec, DEFAULTS, 0, 0, 4, 0)).st
    st.present = np.random.default_rng(0).random((4, sc.C))
    st.status[:] = [ACTIVE, WITHDRAWING, WITHDRAWING, AFTER_EXIT]
    st.trigger_month[:], st.within[:] = 10, 4
    dep = Deployment.empty(pt, 4)
    dep.update(pt, st, 12)
    assert not sc.has_schedule
    np.testing.assert_array_equal(dep.scale, [1.0, 0.5, 0.5, 0.0])
    np.testing.assert_array_equal(dep.weight, st.present * dep.scale[:, None])


def test_personnel_are_the_linear_sum_over_contributors_and_groups():
    """The compiled sum (one run at a time, fixed order) against NumPy's product of weights, factors and tables."""
    sc, pt = setup()
    rng = np.random.default_rng(1)
    weight, factors = rng.random((7, sc.C)), rng.random((7, pt.n_groups))
    x = (weight[:, :, None] * factors[:, None, :]).reshape(7, -1)
    np.testing.assert_allclose(by_function(pt, weight, factors), np.einsum("nk,fkr->fnr", x, pt.table), rtol=1e-12, atol=0)
    dep = Deployment.empty(pt, 7)
    hc, _ = headcount_by_contributor(pt, weight, factors, np.zeros((7, sc.R)))
    lay = pt.layout
    personnel(lay.cells, lay.by_cell, lay.headcount_by_group, weight, factors, dep.feat, dep.hc_c, np.arange(7))
    np.testing.assert_allclose(dep.hc_c, hc, rtol=1e-12, atol=0)


def _plain_personnel(pt, weight, factors, runs, feat, hc_c):
    """The fixed-order sum of :func:`personnel`, one run and one term at a time in Python floats: every term added."""
    lay = pt.layout
    Gp = factors.shape[1]
    K, FR = lay.by_cell.shape
    R = feat.shape[1]
    for n in runs:
        for i in range(FR):
            acc = 0.0
            for j in range(K):
                c, g = divmod(int(lay.cells[j]), Gp)
                acc += float(weight[n, c]) * float(factors[n, g]) * float(lay.by_cell[j, i])
            feat[i // R, i % R, n] = acc
        for c in range(weight.shape[1]):
            acc = 0.0
            for g in range(Gp):
                acc += float(factors[n, g]) * float(lay.headcount_by_group[g, c])
            hc_c[n, c] = acc * float(weight[n, c])


@pytest.mark.parametrize("n, chosen", [(0, []), (1, [0]), (BLOCK + 44, "every third"), (BLOCK + 44, "all")])
def test_personnel_by_blocks_of_runs_is_the_plain_sum_bit_for_bit(n, chosen):
    """Blocks of runs, terms of zero skipped: the same bits as adding every term in order, with weights of 0 (a contributor
    that left), factors of 0 (a phase handed over), and an infinite and a NaN weight (0 times them is NaN: nothing skipped)."""
    sc, pt = setup()
    rng = np.random.default_rng(2)
    weight = np.asfortranarray(rng.random((n, sc.C)) * (rng.random((n, sc.C)) < 0.7))
    factors = np.asfortranarray(rng.random((n, pt.n_groups)) * (rng.random((n, pt.n_groups)) < 0.7))
    if n > 10:
        weight[3, 1], weight[BLOCK + 7, 0] = np.inf, np.nan  # one in each block
    runs = np.arange(n) if chosen == "all" else np.arange(0, n, 3) if chosen == "every third" else np.array(chosen, dtype=np.int64)
    F_, _, R = pt.table.shape
    got_feat, got_hc = np.full((F_, R, n), -1.0), np.full((n, sc.C), -1.0, order="F")
    want_feat, want_hc = got_feat.copy(), got_hc.copy()
    lay = pt.layout
    personnel(lay.cells, lay.by_cell, lay.headcount_by_group, weight, factors, got_feat, got_hc, runs)
    _plain_personnel(pt, weight, factors, runs, want_feat, want_hc)
    assert got_feat.tobytes() == want_feat.tobytes() and got_hc.tobytes() == want_hc.tobytes()  # runs not chosen untouched (-1)
    if n > 10 and chosen == "all":
        assert np.isnan(got_feat[:, :, BLOCK + 7]).any() and np.isnan(got_feat[:, :, 3]).any()


def test_deploy_weights_are_the_scalar_mechanisms_run_by_run():
    """UNMIL (a dated and phased schedule), runs in every status and phase: the weights and factors deploy computes stage by
    stage for all runs are withdrawal_scale, phase_factor and scheduled_strength of each run."""
    spec, sc = _liberia()
    batch = RunBatch(ChunkJob(spec, DEFAULTS, 0, 0, 40, 0))
    st, lay = batch.st, batch.pt.layout
    rng = np.random.default_rng(3)
    st.status[:] = rng.choice([ACTIVE, WITHDRAWING, AFTER_EXIT, DONE], 40)
    st.orderly[:] = rng.random(40) < 0.5
    st.within[:], st.trigger_month[:], st.exit_month[:] = rng.integers(0, 6, 40), rng.integers(20, 40, 40), rng.integers(-1, 40, 40)
    st.phase_start[:] = np.where(rng.random(st.phase_start.shape) < 0.5, rng.integers(0, 40, st.phase_start.shape), -1)
    st.present = np.asfortranarray(rng.random((40, sc.C)))
    dep = Deployment.empty(batch.pt, 40)
    month = 41
    assert dep.update(batch.pt, st, month) == 40
    for n in range(40):
        s = withdrawal_scale(st.status[n], st.within[n], st.trigger_month[n], st.orderly[n], month)
        factors = [1.0] + [phase_factor(p, month, sc.drawdown_months) for p in st.phase_start[n]]
        assert dep.scale[n] == s and dep.factors[n].tolist() == factors
        fac = np.array([factors])
        w = [st.present[n, c] * s * scheduled_strength(lay.sched_month, lay.sched_c, lay.sched_p, lay.sched_level, c, fac, 0, month) for c in range(sc.C)]
        assert dep.weight[n].tolist() == w


def test_deploying_two_ranges_of_runs_equals_deploying_all():
    """``[lo, hi)`` ranges (as threads would update them): the same numbers and counts as one call over every run."""
    spec, sc = _liberia()
    batch = RunBatch(ChunkJob(spec, DEFAULTS, 0, 0, 9, 0))
    st = batch.st
    st.status[:] = [ACTIVE, WITHDRAWING, AFTER_EXIT, DONE, ACTIVE, WITHDRAWING, AFTER_EXIT, ACTIVE, ACTIVE]
    st.trigger_month[:], st.within[:], st.exit_month[:] = 30, 4, 31
    st.phase_start[4, 0] = 29
    args = st.compiled_arrays((("present",), np.float64), (("phase_start", "status", "within", "trigger_month", "exit_month"), np.int64), (("orderly",), np.bool_))
    present, phase_start, status, within, trigger_month, exit_month, orderly = args
    whole, parts = Deployment.empty(batch.pt, 9), Deployment.empty(batch.pt, 9)
    names = ("scale", "factors", "weight", "follow", "feat", "hc_c")

    def run(d, lo, hi):
        return deploy(batch.pt.layout, present, phase_start, status, within, trigger_month, orderly, exit_month, 32, *(getattr(d, k) for k in names), lo, hi)

    assert run(whole, 0, 9) == 9 and run(parts, 0, 4) + run(parts, 4, 9) == 9
    for k in names:
        assert getattr(whole, k).tobytes() == getattr(parts, k).tobytes(), k
    assert run(whole, 0, 9) == 0 and run(parts, 4, 9) == 0  # nothing changed since


def _step_checking_deployment(spec, runs, months):
    """Step a batch month by month keeping its Deployment, and check it against a fresh one every month; the share recomputed."""
    batch = RunBatch(ChunkJob(spec, DEFAULTS, 5, 0, runs, 0))
    kept = Deployment.empty(batch.pt, runs)
    recomputed = []
    seen = set()
    for month in range(months):
        recomputed.append(kept.update(batch.pt, batch.st, month))
        fresh = Deployment.empty(batch.pt, runs)
        assert fresh.update(batch.pt, batch.st, month) == runs
        for name in ("scale", "factors", "weight", "follow", "feat", "hc_c"):
            np.testing.assert_array_equal(getattr(kept, name), getattr(fresh, name), err_msg=f"{name}, month {month}")
        seen |= set(batch.st.status.tolist())
        seen |= {"handover"} if (batch.st.phase_start >= 0).any() else set()
        seen |= {"follow-on"} if (kept.follow > 0).any() else set()
        z, u, uc = batch.streams.month(*batch.widths)
        m = step(batch.sc, batch.pv, batch.pt, batch.st, Draws(z, u, uc), month, deployment=kept)
        batch.rules.apply(batch.st, m, month, batch.log)
    return np.array(recomputed), seen


def test_a_kept_deployment_recomputes_only_changed_runs_and_equals_a_fresh_one():
    """UNMIL (dated and phased schedule, benchmark handovers, a follow-on force): the kept presence is the fresh one, every month."""
    from endstate.experiments.replay import load_case

    spec = load_case("liberia_unmil")[0]
    sc = compile_spec(spec)
    recomputed, seen = _step_checking_deployment(spec, 40, sc.horizon + sc.post_exit_months)
    assert {ACTIVE, WITHDRAWING, AFTER_EXIT, "handover", "follow-on"} <= seen  # the sample moves through every kind of change
    assert recomputed[0] == 40  # every run in its first month
    assert recomputed.sum() < 0.5 * recomputed.size * 40  # and most run-months reuse last month's


def test_without_changes_no_run_is_recomputed():
    sc, pt = setup()
    st = RunBatch(ChunkJob(sc.spec, DEFAULTS, 0, 0, 6, 0)).st
    dep = Deployment.empty(pt, 6)
    assert dep.update(pt, st, 3) == 6
    before = dep.feat.copy()
    assert dep.update(pt, st, 4) == 0  # all present, nothing handed over, no schedule
    st.phase_start[2, 0] = 4  # run 2 hands over phase 1 this month
    st.present[4, 1] = 0.0  # run 4's second contributor leaves
    assert dep.update(pt, st, 5) == 2
    changed = np.flatnonzero((dep.feat != before).any(axis=(0, 1)))
    np.testing.assert_array_equal(changed, [2, 4])
    taken = dep.take(np.array([4, 0]))
    np.testing.assert_array_equal(taken.feat, dep.feat[:, :, [4, 0]])
    assert taken.feat.flags.c_contiguous and all(getattr(taken, k).flags.f_contiguous for k in ("scale", "factors", "weight", "follow", "hc_c"))
    for k in ("scale", "factors", "weight", "follow", "hc_c"):
        np.testing.assert_array_equal(getattr(taken, k), getattr(dep, k)[[4, 0]])


def test_a_mission_without_personnel_deploys_nothing():
    """No (contributor, group) row has personnel (a spell without a mission, as the backtests simulate): every sum is 0."""
    sc, _ = setup()
    sc = dataclasses.replace(sc, assign=np.zeros_like(sc.assign))
    pt = tables(sc, values(DEFAULTS))
    assert pt.layout.cells.size == 0
    st = RunBatch(ChunkJob(sc.spec, DEFAULTS, 0, 0, 3, 0)).st
    dep = Deployment.empty(pt, 3)
    assert dep.update(pt, st, 0) == 3
    np.testing.assert_array_equal(dep.feat, 0.0)
    np.testing.assert_array_equal(dep.hc_c, 0.0)


def test_a_deployment_of_other_runs_is_refused():
    sc, pt = setup()
    st = RunBatch(ChunkJob(sc.spec, DEFAULTS, 0, 0, 3, 0)).st
    with pytest.raises(ValueError, match="3 runs"):
        Deployment.empty(pt, 5).update(pt, st, 0)
