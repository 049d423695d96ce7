"""Mechanism 16, elections: the relapse hazard ratio in a window after early elections."""

from __future__ import annotations

import math

import numpy as np

from endstate.model.elections import log_ratio, log_ratios
from endstate.model.params import DEFAULTS

V = DEFAULTS.v
RATIO, WINDOW, EARLY = V("election_hazard_ratio"), V("election_window_months"), V("election_early_years")


def lr(month, elections):
    return log_ratio(month, np.array(elections, dtype=np.int64), RATIO, WINDOW, EARLY)


def test_window_starts_at_the_election_and_lasts_window_months():
    assert lr(22, [23]) == 0.0
    assert math.isclose(lr(23, [23]), math.log(RATIO))
    assert math.isclose(lr(23 + int(WINDOW) - 1, [23]), math.log(RATIO))
    assert lr(23 + int(WINDOW), [23]) == 0.0


def test_only_early_elections_count():
    late = int(12 * EARLY)
    assert lr(late, [late]) == 0.0
    assert math.isclose(lr(late - 1, [late - 1]), math.log(RATIO))


def test_no_elections_and_overlapping_windows():
    assert lr(5, []) == 0.0
    assert math.isclose(lr(25, [23, 24]), math.log(RATIO))  # overlapping windows do not compound



def test_every_month_at_once_is_each_month_alone():
    months = np.array([3, 23, 30, 61], dtype=np.int64)
    em = np.arange(120)
    got = log_ratios(em, months, RATIO, WINDOW, EARLY)
    assert [float(x) for x in got] == [log_ratio(int(m), months, RATIO, WINDOW, EARLY) for m in em]
    assert got[23] > 0.0 and got[0] == 0.0
    np.testing.assert_array_equal(log_ratios(em, np.zeros(0, dtype=np.int64), RATIO, WINDOW, EARLY), np.zeros(120))
