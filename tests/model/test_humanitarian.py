"""Mechanism 8, humanitarian access: raids unless escorted; aid delivered lowers grievance."""

from __future__ import annotations

import math

import numpy as np

from endstate.model.grievance import grievance
from endstate.model.humanitarian import access
from endstate.model.params import DEFAULTS

V = DEFAULTS.v
RATE, SCALE = V("raid_rate"), V("convoy_scale_per_1000")


def acc(fighters, escorts):
    return float(access(np.array(fighters), np.array(escorts), RATE, SCALE))


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
    need = np.array([0.6])
    g_blocked = grievance(np.array([[0.4]]), need, np.array([[0.5]]), np.array([0.5]), np.array([[0.0]]), V("grievance_rate"))
    g_open = grievance(np.array([[0.4]]), need, np.array([[1.0]]), np.array([0.5]), np.array([[0.0]]), V("grievance_rate"))
    # the target falls by 0.4 * need * 0.5 = 0.12, a tenth of it in the first month
    assert math.isclose(float(g_blocked[0, 0] - g_open[0, 0]), V("grievance_rate") * 0.4 * 0.6 * 0.5)
