"""Where the mission's personnel are and what they do, month by month.

Core objects: :class:`PresenceTables` (per-contributor tables built once per
scenario), :class:`Layout` (the same tables as compiled code reads them) and
:func:`deploy` (every run's month: withdrawal scale, handover factors,
contributor weights, personnel by contributor and by function and region),
compiled with Numba and called by the engine's kernel before its loop over
runs; :func:`phase_factors`, :func:`scheduled`, :func:`by_function` and
:func:`features` call the same compiled functions from Python.
A (task, region) cell handed over in phase ``p`` shrinks with that phase's
drawdown factor; the whole mission shrinks with its withdrawal scale; a
contributor that left contributes nothing; a contributor with a deployment
schedule is scaled, task by task, to its scheduled strength
(:func:`scheduled`).  All of it is linear, so one matrix
product gives every function at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np

from .compiled import clip, mechanism
from .scenario import TASK_INDEX, Scenario
from .state import ACTIVE, AFTER_EXIT, WITHDRAWING

FEATURES = ("security", "mobile", "border", "escorts", "riot", "trainers", "advisers", "engineers", "headcount", "troops", "police", "observers")
F = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True)
class PresenceTables:
    group_of_cell: np.ndarray  # (K, R) 0 = never handed over, p + 1 = phase p
    table: np.ndarray  # (F, C * Gp, R): personnel of each function per unit of (contributor, handover group) weight
    headcount: np.ndarray  # (C, Gp, R)
    headcount_by_group: np.ndarray  # (Gp, C): personnel of each contributor in each handover group
    n_groups: int


def tables(sc: Scenario, pv: SimpleNamespace) -> PresenceTables:
    K, R, C = sc.assign.shape[1], sc.R, sc.C
    P = sc.phase_mask.shape[0]
    group = np.zeros((K, R), dtype=np.int64)
    for p in range(P - 1, -1, -1):
        group[sc.phase_mask[p]] = p + 1
    q = np.where(sc.quality < 0, pv.incapable_task_quality, sc.quality)
    t = TASK_INDEX
    weight = np.full(K, pv.weight_other_tasks)
    weight[t["presence_patrol"]] = pv.weight_presence_patrol
    weight[t["public_order"]] = pv.weight_public_order
    weight[t["key_site_guard"]] = pv.weight_key_site_guard
    weight[t["border_control"]] = pv.weight_border_control
    weight[t["convoy_protection"]] = pv.weight_convoy_protection
    weight[t["infrastructure"]] = 0.0
    mobile = np.zeros(K)
    mobile[t["presence_patrol"]] = pv.weight_presence_patrol
    mobile[t["public_order"]] = pv.weight_public_order
    Gp = P + 1
    M = np.zeros((C, Gp, len(FEATURES), R))
    HC = np.zeros((C, Gp, R))
    for c in range(C):
        eff = sc.assign[c] * q[c][:, None]  # (K, R)
        riot_w = 1.0 if sc.riot_capable[c] > 0 else pv.untrained_riot_share
        per_feature = {
            "security": eff * weight[:, None],
            "mobile": eff * mobile[:, None],
            "border": _only(eff, t["border_control"]),
            "escorts": _only(eff, t["convoy_protection"]),
            "riot": _only(sc.assign[c], t["public_order"]) * riot_w,
            "trainers": _only(eff, t["constabulary_training"]),
            "advisers": _only(eff, t["justice_support"]),
            "engineers": _only(eff, t["infrastructure"]),
            "headcount": sc.assign[c],
            # assigned personnel split by the contributor's troops, police and observers (mechanism 2a)
            "troops": sc.assign[c] * sc.component[c, 0],
            "police": sc.assign[c] * sc.component[c, 1],
            "observers": sc.assign[c] * sc.component[c, 2],
        }
        for g in range(Gp):
            cell = group == g
            for name, arr in per_feature.items():
                M[c, g, F[name]] = (arr * cell).sum(axis=0)
            HC[c, g] = (sc.assign[c] * cell).sum(axis=0)
    table = np.ascontiguousarray(M.reshape(C * Gp, len(FEATURES), R).transpose(1, 0, 2))
    return PresenceTables(group, table, HC, np.ascontiguousarray(HC.sum(axis=2).T), Gp)


def _only(arr: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros_like(arr)
    out[k] = arr[k]
    return out


class Layout(NamedTuple):
    """The presence tables and the scenario's schedule as compiled code reads them (a NamedTuple Numba can pass)."""

    table: np.ndarray  # (C * Gp, F * R): PresenceTables.table, a row for each (contributor, group)
    headcount_by_group: np.ndarray  # (Gp, C)
    share: np.ndarray  # (R,) population shares (where a follow-on force serves)
    drawdown: int  # months over which a handed-over cell draws down
    has_schedule: bool
    sched_month: np.ndarray  # (C, M) dated strength, a factor of the assigned personnel
    sched_c: np.ndarray  # (Q,) phase steps: contributor,
    sched_p: np.ndarray  # (Q,) the phase whose handover moves it,
    sched_level: np.ndarray  # (Q,) and its strength once that phase is handed over
    follow_on_personnel: float
    follow_on_months: int


def _by_cell(pt: PresenceTables) -> np.ndarray:
    F, CG, R = pt.table.shape
    return np.ascontiguousarray(pt.table.transpose(1, 0, 2).reshape(CG, F * R), dtype=float)


def layout(sc: Scenario, pt: PresenceTables) -> Layout:
    c, p, level = sc.sched_phase
    return Layout(
        _by_cell(pt), np.ascontiguousarray(pt.headcount_by_group, dtype=float),
        np.ascontiguousarray(sc.share, dtype=float), int(sc.drawdown_months), bool(sc.has_schedule),
        np.ascontiguousarray(sc.sched_month, dtype=float), np.ascontiguousarray(c, dtype=np.int64), np.ascontiguousarray(p, dtype=np.int64),
        np.ascontiguousarray(level, dtype=float), float(sc.follow_on_personnel), int(sc.follow_on_months),
    )  # fmt: skip


@mechanism
def withdrawal_scale(status: int, within: int, trigger_month: int, orderly: bool, month: int) -> float:
    """1 while the mission is fully present, falling to 0 over a withdrawal, 0 after exit."""
    if status == ACTIVE:
        return 1.0
    if status != WITHDRAWING:
        return 0.0
    if orderly:
        return 1.0  # an orderly drawdown shrinks phase by phase instead
    if within == 0:
        return 0.0
    return clip(1.0 - (month - trigger_month) / max(within, 1), 0.0, 1.0)


@mechanism
def phase_factor(start: int, month: int, drawdown: int) -> float:
    """How much of a cell handed over in a phase that started at ``start`` (-1: not yet) is still in place."""
    if start < 0:
        return 1.0
    if drawdown <= 0:
        return 0.0
    return clip(1.0 - (month - start) / drawdown, 0.0, 1.0)


@mechanism
def strength(sched_month: Any, sched_c: Any, sched_p: Any, sched_level: Any, weight: Any, factors: Any, month: int, lo: int, hi: int) -> None:
    """``weight`` (N, C) times each contributor's scheduled strength this month, in place, for runs ``[lo, hi)``.

    The dated curve gives the strength as a factor of the contributor's assigned
    personnel (ramp-up, surges, drawdowns by date).  A phase step caps it: once
    that phase is handed over, the cap falls from the dated level to the step's
    level over the phase's drawdown (its factor in ``factors`` going from 1 to 0),
    as UNMIL's benchmark drawdown did.
    """
    t = min(month, sched_month.shape[1] - 1)
    for n in range(lo, hi):
        for c in range(weight.shape[1]):
            base = sched_month[c, t]
            level = base
            for q in range(sched_c.shape[0]):
                if sched_c[q] == c:
                    level = min(level, sched_level[q] + (base - sched_level[q]) * factors[n, sched_p[q] + 1])
            weight[n, c] = weight[n, c] * level


@mechanism
def personnel(table: Any, weight: Any, factors: Any, feat: Any, lo: int, hi: int) -> None:
    """Personnel by function and region of runs ``[lo, hi)``, ``feat`` (N, F * R) (function f, region r at f * R + r).

    All of presence is linear: a contributor's weight ``weight`` (N, C)
    (presence, withdrawal, schedule) times a handover group's factor
    ``factors`` (N, Gp) scales that group's row of ``table`` (C * Gp, F * R);
    summed over groups, then over contributors, in order.  Each contributor's
    personnel at full weight depends on the factors only: a run whose factors
    are those of the run before (most runs, most months) reuses them.  The
    loops run along the contiguous (function, region) axis, which LLVM vectorises.
    """
    C = weight.shape[1]
    Gp = factors.shape[1]
    K = feat.shape[1]
    full = np.empty((C, K))  # each contributor's personnel at full weight, for the factors in `seen`
    seen = np.full(Gp, np.nan)  # NaN: nothing computed yet (NaN equals nothing)
    for n in range(lo, hi):
        same = True
        for g in range(Gp):
            same = same and factors[n, g] == seen[g]
        if not same:
            for c in range(C):
                x = factors[n, 0]
                for i in range(K):
                    full[c, i] = x * table[c * Gp, i]
                for g in range(1, Gp):
                    x = factors[n, g]
                    for i in range(K):
                        full[c, i] += x * table[c * Gp + g, i]
            for g in range(Gp):
                seen[g] = factors[n, g]
        x = weight[n, 0]
        for i in range(K):
            feat[n, i] = x * full[0, i]
        for c in range(1, C):
            x = weight[n, c]
            for i in range(K):
                feat[n, i] += x * full[c, i]


@mechanism
def deploy(lay: Any, present: Any, phase_start: Any, status: Any, within: Any, trigger_month: Any, orderly: Any, exit_month: Any,
           month: int, scale: Any, factors: Any, weight: Any, hc_c: Any, feat: Any, lo: int, hi: int) -> None:  # fmt: skip
    """Runs ``[lo, hi)``'s presence this month, the follow-on force of a mission that left included.

    Writes each run's withdrawal scale (N,), its handover groups' factors
    (N, Gp) (1 for cells never handed over), each contributor's weight (N, C)
    (presence times withdrawal scale times scheduled strength) and personnel
    ``hc_c`` (N, C), and personnel by function and region ``feat`` (N, F * R).
    One call a month for the whole batch: compiled code passes each array it
    hands to a function with a reference count, so the loops over runs are here.
    """
    C = weight.shape[1]
    Gp = factors.shape[1]
    hbg = lay.headcount_by_group
    for n in range(lo, hi):
        scale[n] = withdrawal_scale(status[n], within[n], trigger_month[n], orderly[n], month)
        factors[n, 0] = 1.0
        for p in range(phase_start.shape[1]):
            factors[n, p + 1] = phase_factor(phase_start[n, p], month, lay.drawdown)
        for c in range(C):
            weight[n, c] = present[n, c] * scale[n]
    if lay.has_schedule:
        strength(lay.sched_month, lay.sched_c, lay.sched_p, lay.sched_level, weight, factors, month, lo, hi)
    personnel(lay.table, weight, factors, feat, lo, hi)
    share = lay.share
    R = share.shape[0]
    for n in range(lo, hi):
        for c in range(C):
            hc = 0.0
            for g in range(Gp):
                hc += factors[n, g] * hbg[g, c]
            hc_c[n, c] = hc * weight[n, c]
        if lay.follow_on_personnel > 0 and status[n] == AFTER_EXIT and exit_month[n] >= 0 and month < exit_month[n] + lay.follow_on_months:
            for r in range(R):
                extra = lay.follow_on_personnel * share[r]
                feat[n, _SECURITY * R + r] += extra
                feat[n, _HEADCOUNT * R + r] += extra
                feat[n, _TROOPS * R + r] += extra


_SECURITY, _HEADCOUNT, _TROOPS = F["security"], F["headcount"], F["troops"]


def phase_factors(phase_start: np.ndarray, month: int, drawdown: int) -> np.ndarray:
    """(N, P + 1): 1 for cells never handed over, the drawdown factor of each phase otherwise (:func:`phase_factor`)."""
    n, P = phase_start.shape
    out = np.ones((n, P + 1))
    for i in range(n):
        for p in range(P):
            out[i, p + 1] = phase_factor(int(phase_start[i, p]), month, drawdown)
    return out


def by_function(pt: PresenceTables, weight: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """(F, N, R) personnel by function; ``weight`` (N, C) is presence times withdrawal scale (:func:`personnel`)."""
    F, R, N = pt.table.shape[0], pt.table.shape[2], weight.shape[0]
    feat = np.empty((N, F * R))
    personnel(_by_cell(pt), np.ascontiguousarray(weight, dtype=float), np.ascontiguousarray(factors, dtype=float), feat, 0, N)
    return np.ascontiguousarray(feat.reshape(N, F, R).transpose(1, 0, 2))


def features(pt: PresenceTables, weight: np.ndarray, factors: np.ndarray, R: int) -> np.ndarray:
    """(N, F, R) personnel by function (a view of :func:`by_function`)."""
    return by_function(pt, weight, factors).transpose(1, 0, 2)


def headcount_by_contributor(pt: PresenceTables, weight: np.ndarray, factors: np.ndarray, danger: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(personnel, personnel times regional danger) per contributor, each (N, C)."""
    C, Gp, R = pt.headcount.shape
    hc = factors @ pt.headcount_by_group  # (N, C)
    y = (factors[:, :, None] * danger[:, None, :]).reshape(factors.shape[0], Gp * R)
    exposed = y @ pt.headcount.reshape(C, Gp * R).T
    return hc * weight, exposed * weight


def scheduled(sc: Scenario, weight: np.ndarray, factors: np.ndarray, month: int) -> np.ndarray:
    """``weight`` (N, C) times each contributor's scheduled strength this month (:func:`strength`); without a schedule ``weight`` as is."""
    if not sc.has_schedule:
        return weight
    c, p, level = sc.sched_phase
    out = np.array(weight, dtype=float)
    strength(np.ascontiguousarray(sc.sched_month, dtype=float), np.ascontiguousarray(c, dtype=np.int64), np.ascontiguousarray(p, dtype=np.int64),
             np.ascontiguousarray(level, dtype=float), out, np.ascontiguousarray(factors, dtype=float), month, 0, out.shape[0])  # fmt: skip
    return out
