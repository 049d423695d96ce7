"""The event log: rows in compact types, in run, month and event order, whatever the number of months and rows."""

from __future__ import annotations

import numpy as np

from endstate.exits.events import COLUMNS, EV, EventLog


def test_rows_are_kept_across_growth_and_converted_as_astype_converts() -> None:
    rng = np.random.default_rng(2)
    log = EventLog(offset=100)
    want: list[tuple[np.ndarray, ...]] = []
    for month in range(40):
        k = int(rng.integers(0, 300)) if month != 7 else 5000  # one month larger than the log so far
        if month == 20:
            log.rows = rng.permutation(1000)  # compacted: batch rows -> run positions
        idx = rng.integers(0, 1000, k)
        event = rng.integers(0, len(EV), k).astype(np.int8)
        detail = rng.integers(-5, 2**33, k)  # beyond 32 bits: truncated as astype truncates
        value = np.where(rng.random(k) < 0.05, np.nan, rng.normal(0.0, 1e3, k)) * np.where(rng.random(k) < 0.02, 1e300, 1.0)
        run = idx if log.rows is None else log.rows[idx]
        with np.errstate(over="ignore"):  # (as the engine steps: values too large for a float32 are flagged later)
            log.extend(month, idx, event, detail, value)
            want.append(((run + 100).astype(np.int64), np.full(k, month, dtype=np.int32), event, detail.astype(np.int32), value.astype(np.float32)))
    got = log.arrays()
    cols = [np.concatenate(c) for c in zip(*want, strict=True)]
    order = np.lexsort((cols[2], cols[1], cols[0]))
    for (name, dtype), col in zip(COLUMNS, cols, strict=True):
        assert got[name].dtype == dtype
        np.testing.assert_array_equal(got[name].view(np.uint8), col[order].view(np.uint8), err_msg=name)


def test_an_empty_log_and_events_added_from_masks() -> None:
    log = EventLog(offset=3)
    empty = log.arrays()
    assert [(k, v.dtype, v.size) for k, v in empty.items()] == [(k, np.dtype(t), 0) for k, t in COLUMNS]
    log.add("exit", 5, np.array([False, True, True]), detail=np.array([0, 2, 1]), value=0.5)
    log.add("goal_met", 4, np.array([True, False, False]), detail=1)
    log.add("relapse", 6, np.zeros(3, dtype=bool))
    got = log.arrays()
    np.testing.assert_array_equal(got["run"], [3, 4, 5])
    np.testing.assert_array_equal(got["month"], [4, 5, 5])
    np.testing.assert_array_equal(got["event"], [EV["goal_met"], EV["exit"], EV["exit"]])
    np.testing.assert_array_equal(got["detail"], [1, 2, 1])
    np.testing.assert_array_equal(got["value"], np.array([0.0, 0.5, 0.5], dtype=np.float32))


def test_the_order_is_that_of_lexsort_by_run_month_and_event_even_for_runs_too_far_apart_for_one_key() -> None:
    rng = np.random.default_rng(4)
    for spread in (1, 2**61):  # (the second: runs too far apart for one integer key)
        log = EventLog()
        log.rows = np.array([0, 7, spread, 3])
        cols: list[list[np.ndarray]] = [[], [], [], []]
        for month in (5, 2, 9, 2):
            idx, ev, det = rng.integers(0, 4, 50), rng.integers(0, 3, 50).astype(np.int8), np.arange(50)
            log.extend(month, idx, ev, det, rng.random(50))
            for c, x in zip(cols, (log.rows[idx], np.full(50, month), ev, det), strict=True):
                c.append(x)
        run, mon, ev, det = (np.concatenate(c) for c in cols)
        order = np.lexsort((ev, mon, run))
        got = log.arrays()
        np.testing.assert_array_equal(got["run"], run[order])
        np.testing.assert_array_equal(got["detail"], det[order])  # ties kept in the order logged
