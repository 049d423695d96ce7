"""The scenario's per-region share of fighters whose fighting is aimed at a foreign force (model.scenario.fighter_party_share)."""

from __future__ import annotations

import math

import numpy as np

from endstate.experiments.replay import load_case
from endstate.model.params import DEFAULTS
from endstate.model.peacekeeping import PeacekeepingParams
from endstate.model.scenario import compile_spec, fighter_party_share
from endstate.model.state import values
from endstate.spec import validate_data

T_REF = DEFAULTS.v("pk_reference_targeting")
PK = PeacekeepingParams.of(values(DEFAULTS))


def party(t: float) -> float:
    return max(t - T_REF, 0.0) / (1.0 - T_REF)


def test_groups_without_their_own_targeting_take_the_theatres_everywhere() -> None:
    d = load_case("somalia_unosom2")[0].model_dump(mode="json", exclude={"strategies"})
    for sp in d["understanding"]["spoilers"]:
        sp["targeting_of_foreign_forces"] = None
    sc = compile_spec(validate_data(d))
    np.testing.assert_allclose(fighter_party_share(sc, PK), party(0.8))


def test_a_region_holds_the_party_share_of_the_groups_there_weighted_by_their_strength() -> None:
    spec = load_case("somalia_unosom2")[0]
    sc = compile_spec(spec)
    share = fighter_party_share(sc, PK)
    ids = spec.region_ids
    # Aidid's SNA (targeting 0.8) alone in Mogadishu and the centre; the other militias (0.3, no party share) elsewhere
    assert math.isclose(share[ids.index("mogadishu")], party(0.8))
    assert share[ids.index("south_juba")] == 0.0
    # a region both hold: the mean of their party shares weighted by their central strengths there
    d = spec.model_dump(mode="json", exclude={"strategies"})
    d["understanding"]["spoilers"][1]["regions"].append("mogadishu")
    sc2 = compile_spec(validate_data(d))
    m = ids.index("mogadishu")
    sna, others = sc2.spoiler_fighters[0, m], sc2.spoiler_fighters[1, m]
    assert sna > 0 and others > 0
    assert math.isclose(fighter_party_share(sc2, PK)[m], party(0.8) * sna / (sna + others))


def test_a_region_with_no_group_takes_the_theatres_share() -> None:
    spec = load_case("somalia_unosom2")[0]
    sc = compile_spec(spec)
    empty = np.flatnonzero(sc.spoiler_fighters.sum(axis=0) == 0)
    assert empty.size  # Somaliland (the northwest) holds none of the spec's groups
    np.testing.assert_allclose(fighter_party_share(sc, PK)[empty], party(0.8))
