"""Mechanism 8, humanitarian access: raids unless escorted; aid delivered lowers grievance."""

from __future__ import annotations

import math

from endstate.model.grievance import GrievanceParams, grievance
from endstate.model.humanitarian import HumanitarianParams, access
from endstate.model.params import DEFAULTS
from endstate.model.state import values

V = DEFAULTS.v
RATE, SCALE = V("raid_rate"), V("convoy_scale_per_1000")


def acc(fighters, escorts):
    return access(fighters, escorts, HumanitarianParams.of(values(DEFAULTS)))


def test_unescorted_convoys_lose_half_at_five_fighters_per_1000():
    assert math.isclose(acc(5.0, 0.0), 0.5)
    assert acc(0.0, 0.0) == 1.0
    assert acc(50.0, 0.0) == 0.0  # raided share is capped at 1


def test_escorts_raise_access_by_the_formula():
    # one escort per 1,000 covers 1 - exp(-1) of the convoys
    assert math.isclose(acc(5.0, 1.0), 1 - 0.5 * math.exp(-1))
    assert math.isclose(acc(5.0, 2.0) - acc(5.0, 1.0), 0.5 * (math.exp(-1) - math.exp(-2)))
    assert acc(5.0, 0.0) < acc(5.0, 1.0) < acc(5.0, 2.0) < 1.0


def test_aid_delivered_lowers_grievance():
    p = GrievanceParams.of(values(DEFAULTS))
    g_blocked = grievance(0.4, 0.6, 0.5, 0.5, 0.0, p)
    g_open = grievance(0.4, 0.6, 1.0, 0.5, 0.0, p)
    # the target falls by 0.4 * need * 0.5 = 0.12, a tenth of it in the first month
    assert math.isclose(g_blocked - g_open, V("grievance_rate") * 0.4 * 0.6 * 0.5)
