"""Mechanism 6, the domestic force: intake, pipeline delay, attrition, mentoring, quality, loyalty."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from endstate.engine.runner import ChunkJob, RunBatch
from endstate.model.domestic_force import DomesticForceParams, attrition, intake, loyalty, mentoring, quality
from endstate.model.params import DEFAULTS
from endstate.model.state import values
from endstate.model.violence import violence_index
from endstate.spec import load_spec, validate_data

V = DEFAULTS.v
P = DomesticForceParams.of(values(DEFAULTS))
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def recruits(trainers=500.0, force=1000.0, pipeline=200.0, target=2800.0, legitimacy=0.5, violence=0.0, replacement=8.0):
    return intake(trainers, force, pipeline, target, legitimacy, violence, replacement, P)


def test_intake_by_hand_when_recruits_are_the_limit():
    # capacity 500*0.6 + 0.01*1000 = 310; demand 0.1*(2800-1000-200) + 8 = 168; willing (0.5+0.5)*(1.2-0) = 1.2
    assert math.isclose(recruits(), 168 * 1.2)


def test_intake_by_hand_when_training_capacity_is_the_limit():
    # capacity 50*0.6 + 10 = 40 < 168*1.2 volunteers: the trainers, not the volunteers, set the intake
    assert math.isclose(recruits(trainers=50.0), 40)
    assert math.isclose(recruits(trainers=0.0), V("domestic_self_training") * 1000)
    # willingness never lifts intake above the training capacity
    assert recruits(trainers=50.0, legitimacy=1.0) <= 40 + 1e-12


def test_more_recruits_when_the_government_looks_like_winning():
    assert math.isclose(recruits(legitimacy=0.9) / recruits(legitimacy=0.5), 1.4 / 1.0)
    assert math.isclose(recruits(violence=0.5) / recruits(violence=0.0), 1.0 / 1.2)
    assert recruits(target=1000.0, pipeline=0.0, replacement=0.0) == 0.0  # nothing to fill


def test_attrition_rises_with_violence_and_unpaid_wages():
    a = [attrition(v, 1.0, P) for v in (0.0, 0.5, 1.0)]
    assert np.allclose(a, [0.008, 0.008 + 0.03 * 0.5, 0.008 + 0.03])
    assert math.isclose(attrition(0.5, 0.7, P._replace(attrition_base=0.008, attrition_violence=0.03, attrition_pay=0.01)), 0.008 + 0.015 + 0.003)
    # about a tenth of the force leaves in a peaceful, paid year
    assert math.isclose(1 - (1 - V("attrition_base")) ** 12, 0.092, abs_tol=0.005)


def test_mentoring_saturates_with_trainers_per_force():
    assert math.isclose(mentoring(100.0, 1000.0), 1 - math.exp(-1))
    assert mentoring(0.0, 1000.0) == 0.0


def test_quality_rises_with_mentoring_and_mixes_in_graduates():
    g, dcy, gq = V("mentoring_gain"), V("quality_decay"), V("graduate_quality")
    m = 1 - math.exp(-1)
    q1 = 0.8 + g * m * 0.2 - dcy * (1 - m) * (0.8 - gq)
    out = quality(0.8, 900.0, 100.0, m, P)
    assert math.isclose(out, (q1 * 900 + gq * 100) / 1000)
    fade = quality(0.8, 900.0, 0.0, 0.0, P)
    assert math.isclose(fade, 0.8 - dcy * (0.8 - gq))
    assert quality(0.8, 0.0, 0.0, 0.0, P) == 0.8 - dcy * (0.8 - gq)


def test_without_mentors_only_skills_above_the_academy_standard_fade():
    gq = V("graduate_quality")
    assert quality(gq - 0.2, 1000.0, 0.0, 0.0, P) == gq - 0.2  # what the host's own academy teaches does not fade
    assert gq < quality(gq + 0.2, 1000.0, 0.0, 0.0, P) < gq + 0.2
    assert quality(gq - 0.2, 1000.0, 0.0, 0.5, P) > gq - 0.2  # mentoring still raises it


def test_the_mentoring_tempo_is_the_world_development_reports():
    # a fully mentored force goes from the post-war baseline 0.3 to the handover benchmark 0.5 in the fastest 20
    # reformers' 17 years (WDR 2011, Box 3.6); graduates and fading left out
    q = 0.3
    for _ in range(17 * 12):
        q = q + V("mentoring_gain") * (1.0 - q)
    assert abs(q - 0.5) < 0.005


def test_loyalty_tied_to_pay_and_legitimacy():
    assert np.allclose([loyalty(x, x, P) for x in (0.0, 1.0, 0.5)], [0.3, 1.0, 0.65])


def _months(spec, n_months: int, runs: int = 30):
    batch = RunBatch(ChunkJob(spec, DEFAULTS, 5, 0, runs, 0, None))
    force0 = batch.st.force.copy()
    leg0 = batch.st.legitimacy.copy()
    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    batch.max_months = n_months
    batch.run(lambda month, m, alive: rows.append((batch.st.force.copy(), batch.st.pipeline.copy(), m)))
    return batch, force0, leg0, rows


def test_graduates_arrive_exactly_training_months_later():
    L = int(V("training_months"))
    batch, force0, _, rows = _months(load_spec(EXAMPLE), L + 1)
    sc, pv = batch.sc, batch.pv
    assert batch.st.pipeline.shape[1] == L
    prev = force0
    recruits_month0 = rows[0][1][:, 0]
    assert np.all(recruits_month0 > 0)
    for month, (force, _, m) in enumerate(rows):
        vidx = violence_index((m.battle + m.civilian) / sc.pop * 1e5, pv.violence_index_scale) @ sc.share
        kept = prev * (1 - np.array([attrition(v, pay, P) for v, pay in zip(vidx, batch.st.pay, strict=True)]))
        graduates = recruits_month0 if month == L else 0.0
        assert np.allclose(force, kept + graduates, rtol=1e-12), month
        prev = force


def test_before_trainers_start_only_the_host_academy_trains():
    d = load_spec(EXAMPLE).model_dump(mode="json", exclude={"strategies"})
    d["tasks"]["constabulary_training_start"] = "2000-09-20"
    batch, force0, leg0, rows = _months(validate_data(d), 1)
    sc, pv = batch.sc, batch.pv
    m = rows[0][2]
    vidx = violence_index((m.battle + m.civilian) / sc.pop * 1e5, pv.violence_index_scale) @ sc.share
    willing = (0.5 + leg0) * (1.2 - 0.4 * vidx)
    capacity = pv.domestic_self_training * force0  # 15 recruits a month for a force of 1,500
    assert np.all(capacity < pv.recruitment_rate * (sc.constabulary_target - force0) * willing)
    assert np.allclose(rows[0][1][:, 0], capacity, rtol=1e-12)
