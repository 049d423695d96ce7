"""The shared survival statistics against hand counts and brute force: Kaplan-Meier, Greenwood, c-index, Brier."""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from endstate.outcomes.survival import (
    base_rate,
    brier,
    c_index,
    greenwood_se,
    kaplan_meier,
    relapsed_by,
    survival_at,
    survival_before,
)


def test_kaplan_meier_hand_example_with_censoring():
    # times 1 2 2+ 3 4+ 5 (+ censored).  At risk: 6, 5, 3, 1.
    times, surv = kaplan_meier(np.array([1, 2, 2, 3, 4, 5]), np.array([1, 1, 0, 1, 0, 1], dtype=bool))
    assert times.tolist() == [1, 2, 3, 5]
    np.testing.assert_allclose(surv, [5 / 6, 5 / 6 * 4 / 5, 5 / 6 * 4 / 5 * 2 / 3, 0.0])
    assert survival_at(times, surv, 0.5) == 1.0
    assert survival_at(times, surv, 2) == pytest.approx(2 / 3)
    assert survival_at(times, surv, 4.5) == pytest.approx(4 / 9)


def test_kaplan_meier_ties_and_events_at_zero():
    # two events at 0 of 5, then one of 3 at risk at 3 (one censored at 3 stays at risk), one censored at 7.
    times, surv = kaplan_meier(np.array([0, 0, 3, 3, 7]), np.array([1, 1, 1, 0, 0], dtype=bool))
    assert times.tolist() == [0, 3]
    np.testing.assert_allclose(surv, [3 / 5, 3 / 5 * 2 / 3])


def test_kaplan_meier_without_censoring_is_the_empirical_survival():
    d = np.array([4, 1, 9, 4, 2, 7, 7, 3])
    times, surv = kaplan_meier(d, np.ones(d.size, dtype=bool))
    np.testing.assert_allclose(surv, [(d > t).mean() for t in times])


def test_kaplan_meier_rejects_bad_input():
    with pytest.raises(ValueError):
        kaplan_meier(np.array([1.0, -1.0]), np.array([True, False]))
    with pytest.raises(ValueError):
        kaplan_meier(np.array([1.0, 2.0]), np.array([True]))
    with pytest.raises(ValueError):
        kaplan_meier(np.array([1.0, np.inf]), np.array([True, False]))
    times, surv = kaplan_meier(np.array([]), np.array([], dtype=bool))
    assert times.size == 0 and surv.size == 0
    assert survival_before(np.array([]), np.array([], dtype=bool), [0, 5]).tolist() == [1.0, 1.0]


def test_survival_before_is_the_step_function_just_before_each_time():
    d = np.array([1, 2, 2, 3, 4, 5.0])
    e = np.array([1, 1, 0, 1, 0, 1], dtype=bool)
    times, surv = kaplan_meier(d, e)
    for a in (0, 1, 1.5, 2, 3, 4, 5, 6):
        assert survival_before(d, e, [a])[0] == pytest.approx(survival_at(times, surv, a - 1e-9))


def brute_c_index(risk: np.ndarray, time: np.ndarray, event: np.ndarray) -> float:
    num = den = 0.0
    for i, j in itertools.permutations(range(len(risk)), 2):
        if event[i] and (time[i] < time[j] or (time[i] == time[j] and not event[j])):
            den += 1
            num += 1.0 if risk[i] > risk[j] else 0.5 if risk[i] == risk[j] else 0.0
    return num / den if den else float("nan")


def test_c_index_against_a_brute_force_count() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        n = 25
        time = rng.integers(0, 15, n)
        event = rng.random(n) < 0.6
        risk = np.round(rng.random(n), 1)
        assert c_index(risk, time, event) == pytest.approx(brute_c_index(risk, time, event))


def test_c_index_extremes() -> None:
    time = np.array([1, 2, 3, 4])
    event = np.array([True, True, True, False])
    assert c_index(np.array([4.0, 3, 2, 1]), time, event) == 1.0
    assert c_index(np.array([1.0, 2, 3, 4]), time, event) == 0.0
    assert c_index(np.ones(4), time, event) == 0.5


def test_kaplan_meier_and_greenwood() -> None:
    months = np.array([3, 5, 5, 8, 10, 12])
    event = np.array([True, False, True, True, False, False])
    # at risk 6 at month 3 (1 relapse), 5 at month 5 (1), 3 at month 8 (1)
    s = survival_before(months, event, [0, 4, 6, 9, 13])
    np.testing.assert_allclose(s, [1, 5 / 6, 5 / 6 * 4 / 5, 5 / 6 * 4 / 5 * 2 / 3, 5 / 6 * 4 / 5 * 2 / 3])
    no_censoring = np.array([1, 2, 2, 7])
    np.testing.assert_allclose(survival_before(no_censoring, np.ones(4, bool), [2, 3, 8]), [0.75, 0.25, 0.0])
    assert greenwood_se(months, event, 4) == pytest.approx(np.sqrt((5 / 6) ** 2 * (1 / (6 * 5))))


def test_brier_and_base_rate_leave_out_spells_censored_early() -> None:
    months = np.array([5, 30, 10, 40])
    event = np.array([True, True, False, False])  # the third was watched 10 months only
    y, known = relapsed_by(months, event, 24)
    assert y.tolist() == [True, False, False, False] and known.tolist() == [True, True, False, True]
    assert base_rate(months, event, 24) == pytest.approx(1 / 3)
    b, n = brier(np.array([1.0, 0.0, 0.7, 0.5]), months, event, 24)
    assert n == 3 and b == pytest.approx(0.25 / 3)



spell_sets = st.integers(0, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 6), min_size=n, max_size=n),
        st.lists(st.integers(0, 8), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(spell_sets)
def test_c_index_is_the_pair_count_for_any_ties(data: tuple[list[int], list[int], list[bool]]) -> None:
    risk, time, event = (np.array(x) for x in data)
    got, want = c_index(risk.astype(float), time.astype(float), event.astype(bool)), brute_c_index(risk, time, event.astype(bool))
    assert (np.isnan(got) and np.isnan(want)) or got == pytest.approx(want, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(spell_sets)
def test_survival_before_is_the_product_limit_by_hand(data: tuple[list[int], list[int], list[bool]]) -> None:
    _, months, event = (np.array(x) for x in data)
    event = event.astype(bool)
    for a in range(0, 10):
        s = 1.0
        for t in sorted(set(months[event].tolist())):
            if t < a:
                s *= 1.0 - np.sum(event & (months == t)) / np.sum(months >= t)
        assert survival_before(months, event, [a])[0] == pytest.approx(s)


def test_c_index_of_200000_spells_in_linear_memory():
    """The all-pairs c-index built n-by-n matrices: 200,000 spells asked for 37 GiB.  Now the peak stays in megabytes."""
    rng = np.random.default_rng(3)
    n = 200_000
    time = rng.integers(0, 121, n).astype(float)
    event = rng.random(n) < 0.3
    risk = rng.random(n)
    tracemalloc.start()
    c = c_index(risk, time, event)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert 0.48 < c < 0.52  # random risks: chance
    assert peak < 200 * n  # 40 MB: a few arrays of n numbers, not n * n
