"""Survival statistics every layer above the engine shares: one Kaplan-Meier, one c-index, one Brier score.

Core objects: :func:`kaplan_meier` (product-limit survival with right
censoring), :func:`survival_at` and :func:`survival_before` (its step function
read at given times), :func:`greenwood_se` (its standard error),
:func:`c_index` (Harrell's concordance index) and :func:`brier` (the Brier
score over the items known either way at a horizon).

Every function is O(n log n) in time or better, apart from :func:`c_index`
(O(n log^2 n): log2(n) vectorised passes of one sort and one binary search),
and O(n) in memory, so a backtest of 200,000 spells needs megabytes, not the
n-by-n pair matrices (37 GiB) an all-pairs c-index would.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _check(durations: np.ndarray, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    if d.shape != e.shape or d.ndim != 1:
        raise ValueError("durations and events must be 1-D arrays of the same length")
    if not np.isfinite(d).all() or (d < 0).any():
        raise ValueError("durations must be finite and non-negative")
    return d, e


def _risk_table(d: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct event times, events at each and items at risk at each (an item censored at ``t`` is at risk at ``t``)."""
    times, deaths = np.unique(d[e], return_counts=True)
    at_risk = d.size - np.searchsorted(np.sort(d), times, side="left")
    return times, deaths, at_risk


def kaplan_meier(durations: np.ndarray, events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Product-limit estimate of the probability of no event by time ``t``.

    Parameters
    ----------
    durations : array of float
        Time to the event, or to the end of observation for censored items (>= 0).
    events : array of bool
        True where the event was observed, False where the item was censored.

    Returns
    -------
    times, survival : arrays
        The distinct event times in ascending order and the survival just after
        each.  An item censored at ``t`` still counts as at risk at ``t``.
    """
    times, deaths, at_risk = _risk_table(*_check(durations, events))
    return times, np.cumprod(1.0 - deaths / at_risk)


def survival_at(times: np.ndarray, survival: np.ndarray, t: float) -> float:
    """The Kaplan-Meier step function of :func:`kaplan_meier` evaluated at ``t`` (events at ``t`` counted)."""
    i = int(np.searchsorted(times, t, side="right"))
    return 1.0 if i == 0 else float(survival[i - 1])


def survival_before(durations: np.ndarray, events: np.ndarray, at: Sequence[float]) -> np.ndarray:
    """Kaplan-Meier probability of no event before each ``a`` in ``at`` (events at ``a`` not counted).

    With durations in whole months, ``survival_before(months, event, [k])`` is
    the probability of no event in months ``0..k-1``.
    """
    times, surv = kaplan_meier(durations, events)
    i = np.searchsorted(times, np.asarray(at, dtype=float), side="left")
    return np.where(i == 0, 1.0, surv[np.maximum(i - 1, 0)] if surv.size else 1.0)


def greenwood_se(durations: np.ndarray, events: np.ndarray, a: float) -> float:
    """Standard error of the Kaplan-Meier event share before ``a`` (Greenwood's formula)."""
    times, deaths, n = _risk_table(*_check(durations, events))
    keep = times < a
    d, n = deaths[keep], n[keep]
    s = float(np.prod(1.0 - d / n))
    ok = n > d
    return float(np.sqrt(s * s * float(np.sum(d[ok] / (n[ok] * (n[ok] - d[ok]))))))


def _suffix_smaller(rank: np.ndarray, pos: np.ndarray, start: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each query item ``i``: items ``j`` with ``pos[j] >= start[i]`` and ``rank[j] < rank[i]``, and those with ``rank[j] == rank[i]``.

    ``rank`` holds dense ranks ``0..m-1``.  The smaller ones are counted bit by
    bit of the rank: at bit ``k`` an item whose bit is 1 counts the items of the
    same higher bits whose bit is 0, found by one sort of (prefix, position)
    and a binary search; every smaller rank is counted at exactly one bit.
    """
    n = rank.size
    width = n + 1
    smaller = np.zeros(query.size, dtype=np.int64)
    qr, qs = rank[query], start[query]
    for k in range(max(int(rank.max(initial=0)).bit_length(), 1)):
        prefix = rank >> (k + 1)
        zero = ((rank >> k) & 1) == 0
        keys = np.sort(prefix[zero] * width + pos[zero])
        ask = ((qr >> k) & 1) == 1
        qp = qr[ask] >> (k + 1)
        smaller[ask] += np.searchsorted(keys, (qp + 1) * width, side="left") - np.searchsorted(keys, qp * width + qs[ask], side="left")
    keys = np.sort(rank * width + pos)
    equal = np.searchsorted(keys, (qr + 1) * width, side="left") - np.searchsorted(keys, qr * width + qs, side="left")
    return smaller, equal


def c_index(risk: np.ndarray, time: np.ndarray, event: np.ndarray) -> float:
    """Harrell's concordance index: among comparable pairs, the share where the earlier event had the higher risk.

    A pair is comparable when the item with the shorter time had the event (a
    tie in time counts when only one of the two had it: the other outlived it).
    Ties in risk count one half.  0.5 is chance, 1 perfect; NaN when no pair
    is comparable.  Memory O(n), time O(n log^2 n).
    """
    risk = np.asarray(risk, dtype=float)
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    if not (risk.shape == time.shape == event.shape) or risk.ndim != 1:
        raise ValueError("risk, time and event must be 1-D arrays of the same length")
    if np.isnan(risk).any() or np.isnan(time).any():
        raise ValueError("risk and time must not be NaN")
    n = risk.size
    # order by (time, censored after events): the items comparable with an event at t are those after all events at t
    order = np.lexsort((~event, time))
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    event_times = np.sort(time[event])
    tied_events = np.searchsorted(event_times, time, side="right") - np.searchsorted(event_times, time, side="left")
    start = np.searchsorted(time[order], time, side="left") + tied_events  # first position after the events at this time
    query = np.flatnonzero(event)
    comparable = int((n - start[query]).sum())
    if comparable == 0:
        return float("nan")
    rank = np.unique(risk, return_inverse=True)[1].astype(np.int64)
    smaller, equal = _suffix_smaller(rank, pos, start, query)
    return float((smaller.sum() + 0.5 * equal.sum()) / comparable)


def relapsed_by(months: np.ndarray, event: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(event within ``k`` months, known either way): items censored before ``k`` months are not known."""
    y = event & (months < k)
    return y, y | (months >= k)


def base_rate(months: np.ndarray, event: np.ndarray, k: int) -> float:
    """Share with the event within ``k`` months among the items known either way."""
    y, known = relapsed_by(months, event, k)
    return float(y[known].mean()) if known.any() else float("nan")


def brier(p: np.ndarray, months: np.ndarray, event: np.ndarray, k: int) -> tuple[float, int]:
    """Mean squared error of ``p`` (event within ``k`` months) over the items known either way, and their number."""
    y, known = relapsed_by(months, event, k)
    n = int(known.sum())
    return (float(np.mean((p[known] - y[known]) ** 2)) if n else float("nan")), n


__all__ = ["base_rate", "brier", "c_index", "greenwood_se", "kaplan_meier", "relapsed_by", "survival_at", "survival_before"]
