"""Mechanism 10, public order: expected riots, containment, and riot-control capability."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from endstate.model.params import DEFAULTS
from endstate.model.presence import F, features, tables
from endstate.model.public_order import PublicOrderParams, contained_share, expected_riots, meet_riots
from endstate.model.scenario import compile_spec
from endstate.model.state import values
from endstate.spec import load_spec, validate_data

V = DEFAULTS.v
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"


def riots(pop=100_000.0, urban=0.5, tension=0.5, policies=0.0):
    return expected_riots(pop / 1e5, urban, tension, policies, PublicOrderParams.of(values(DEFAULTS)))


def test_expected_riots_by_hand():
    # 0.3 a month per 100,000 * (0.5 + urban 0.5) * tension 0.5
    assert math.isclose(riots(), 0.3 * 1.0 * 1.0 * 0.5)
    assert math.isclose(riots(pop=400_000.0, urban=0.9) / riots(), 4 * 1.4)
    assert riots(tension=0.0) == 0.0


def test_new_policies_bring_riots():
    assert math.isclose(riots(policies=2.0) / riots(), 1 + V("riot_policy_shock") * 2)


def test_containment_saturates_with_capacity_per_riot():
    scale = V("riot_capacity_scale")
    assert math.isclose(contained_share(scale, 1.0, scale), 1 - math.exp(-1))
    assert math.isclose(contained_share(2 * scale, 2.0, scale), 1 - math.exp(-1))
    assert contained_share(0.0, 1.0, scale) == 0.0
    assert contained_share(10.0, 0.0, scale) == 1.0  # no riots, nothing uncontained


def _riot_capacity(spec):
    sc = compile_spec(spec)
    pv = values(DEFAULTS)
    pt = tables(sc, pv)
    P = sc.phase_mask.shape[0]
    feat = features(pt, np.ones((1, sc.C)), np.ones((1, P + 1)), sc.R)
    return feat[0, F["riot"], sc.spec.region_ids.index("dili")]


def test_troops_without_riot_control_count_a_quarter():
    spec = load_spec(EXAMPLE)
    assert _riot_capacity(spec) == 1200 + 600  # Australian and civilian-police public-order units, both riot-trained
    d = spec.model_dump(mode="json", exclude={"strategies"})
    for c in d["force"]["contributors"]:
        if c["id"] == "australia":
            c["capabilities"].remove("riot_control")
    assert math.isclose(_riot_capacity(validate_data(d)), 1200 * V("untrained_riot_share") + 600)


def test_riot_deaths_follow_the_density_of_riot_capable_personnel_not_presence():
    p = PublicOrderParams.of(values(DEFAULTS))
    none, _ = meet_riots(4.0, 0.0, 0.0, 0.5, 1.0, p)
    assert math.isclose(none, 4.0)  # nobody able to contain them: all uncontained
    few, d_few = meet_riots(4.0, 50.0, 0.0, 0.5, 1.0, p)
    many, d_many = meet_riots(4.0, 2000.0, 0.0, 0.5, 1.0, p)
    assert many < few < 4.0
    assert math.isclose(d_few, V("deaths_per_uncontained_riot") * few)
    # the domestic police count too
    dom, _ = meet_riots(4.0, 0.0, 1000.0, 0.5, 1.0, p)
    assert dom < 4.0
