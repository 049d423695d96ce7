"""Where the mission's personnel are and what they do, month by month.

Core objects: :class:`PresenceTables` (per-contributor tables built once per
scenario) and :func:`features` (per-run personnel by function and region).
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

import numpy as np

from .scenario import TASK_INDEX, Scenario

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


def phase_factors(phase_start: np.ndarray, month: int, drawdown: int) -> np.ndarray:
    """(N, P + 1): 1 for cells never handed over, the drawdown factor of each phase otherwise."""
    n, P = phase_start.shape
    out = np.ones((n, P + 1))
    if P:
        started = phase_start >= 0
        if drawdown > 0:
            f = np.clip(1.0 - (month - phase_start) / drawdown, 0.0, 1.0)
        else:
            f = np.zeros_like(phase_start, dtype=float)
        out[:, 1:] = np.where(started, f, 1.0)
    return out


def by_function(pt: PresenceTables, weight: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """(F, N, R) personnel by function; ``weight`` (N, C) is presence times withdrawal scale.

    Each function comes out as one contiguous (N, R) block: the monthly step
    reads them many times, and arithmetic on strided slices is several times slower.
    """
    x = (weight[:, :, None] * factors[:, None, :]).reshape(weight.shape[0], -1)
    return np.matmul(x[None], pt.table)


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
    """``weight`` (N, C) times each contributor's scheduled strength this month.

    The dated curve gives the strength as a factor of the contributor's assigned
    personnel (ramp-up, surges, drawdowns by date).  A phase step caps it: once
    that phase is handed over, the cap falls from the dated level to the step's
    level over the phase's drawdown (its factor in ``factors`` going from 1 to 0),
    as UNMIL's benchmark drawdown did.  Without a schedule ``weight`` is returned as is.
    """
    if not sc.has_schedule:
        return weight
    base = sc.sched_month[:, min(month, sc.sched_month.shape[1] - 1)]
    strength = np.broadcast_to(base, weight.shape).copy()
    for c, p, level in zip(*sc.sched_phase, strict=True):
        cap = level + (base[c] - level) * factors[:, p + 1]
        strength[:, c] = np.minimum(strength[:, c], cap)
    return weight * strength
