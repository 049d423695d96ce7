"""Where the mission's personnel are and what they do, month by month.

Core objects: :class:`PresenceTables` (per-contributor tables built once per
scenario), :func:`deploy` (compiled, each stage a loop over the runs that
LLVM vectorises: each run's withdrawal scale, handover factors, contributor
weights and personnel by function, region and contributor this month) and
:class:`Deployment` (a batch's presence, kept from month to month, so that
only runs whose presence changed are recomputed).  A (task, region) cell
handed over in phase ``p`` shrinks with that phase's drawdown factor
(:func:`phase_factor`); the whole mission shrinks with its withdrawal scale
(:func:`withdrawal_scale`); a contributor that left contributes nothing; a
contributor with a deployment schedule is scaled, task by task, to its
scheduled strength (:func:`scheduled_strength`).  All of it is linear:
personnel by function are a weighted sum of the table's rows
(:func:`personnel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np

from .compiled import clip, jit
from .scenario import TASK_INDEX, Scenario
from .state import ACTIVE, AFTER_EXIT, WITHDRAWING, State, take_runs

FEATURES = ("security", "mobile", "border", "escorts", "riot", "trainers", "advisers", "engineers", "headcount", "troops", "police", "observers")
F = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True)
class PresenceTables:
    group_of_cell: np.ndarray  # (K, R) 0 = never handed over, p + 1 = phase p
    table: np.ndarray  # (F, C * Gp, R): personnel of each function per unit of (contributor, handover group) weight
    headcount: np.ndarray  # (C, Gp, R)
    headcount_by_group: np.ndarray  # (Gp, C): personnel of each contributor in each handover group
    n_groups: int
    layout: Layout  # the same tables and the scenario's schedule and follow-on force, for compiled code


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
    hbg = np.ascontiguousarray(HC.sum(axis=2).T)
    return PresenceTables(group, table, HC, hbg, Gp, _layout(sc, table, hbg))


def _only(arr: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros_like(arr)
    out[k] = arr[k]
    return out


class Layout(NamedTuple):
    """What :func:`deploy` reads of the scenario and its presence tables, as compiled code takes them (built once, by :func:`tables`)."""

    cells: np.ndarray  # (K,) the (contributor, handover group) rows of PresenceTables.table with any personnel, c * Gp + g, in order
    by_cell: np.ndarray  # (K, F * R): those rows, function f and region r at f * R + r
    headcount_by_group: np.ndarray  # (Gp, C)
    share: np.ndarray  # (R,) population shares: where a follow-on force serves
    drawdown: int  # months over which a handed-over cell draws down
    has_schedule: bool
    sched_month: np.ndarray  # (C, M) dated strength, a factor of the contributor's assigned personnel
    sched_c: np.ndarray  # (Q,) phase steps: the contributor,
    sched_p: np.ndarray  # (Q,) the phase whose handover moves it,
    sched_level: np.ndarray  # (Q,) and its strength once that phase is handed over
    follow_on_personnel: float
    follow_on_months: int


def _layout(sc: Scenario, table: np.ndarray, headcount_by_group: np.ndarray) -> Layout:
    c, p, level = sc.sched_phase
    f = np.ascontiguousarray
    cells = np.flatnonzero((table != 0).any(axis=(0, 2)))  # a row without personnel adds nothing to any sum
    by_cell = table[:, cells].transpose(1, 0, 2).reshape(cells.size, table.shape[0] * table.shape[2])
    return Layout(
        f(cells, dtype=np.int64), f(by_cell, dtype=float), f(headcount_by_group, dtype=float), f(sc.share, dtype=float), int(sc.drawdown_months),
        bool(sc.has_schedule), f(sc.sched_month, dtype=float), f(c, dtype=np.int64), f(p, dtype=np.int64), f(level, dtype=float),
        float(sc.follow_on_personnel), int(sc.follow_on_months),
    )  # fmt: skip


@jit(error_model="numpy", inline="always")
def withdrawal_scale(status: int, within: int, trigger_month: int, orderly: bool, month: int) -> float:
    """1 while the mission is fully present, falling to 0 over a withdrawal of ``within`` months, 0 after exit.

    An orderly drawdown keeps the force whole: it shrinks phase by phase instead (:func:`phase_factor`).
    """
    withdrawing = status == WITHDRAWING
    ramp = clip(1.0 - (month - trigger_month) / max(within, 1), 0.0, 1.0)
    # without a branch (& and | rather than and, or), so that a loop over runs calling it vectorises
    whole = (status == ACTIVE) | (withdrawing & orderly)
    return 1.0 if whole else (ramp if withdrawing & (within != 0) else 0.0)


@jit(error_model="numpy", inline="always")
def phase_factor(start: int, month: int, drawdown: int) -> float:
    """How much of a cell handed over in a phase that started in month ``start`` (-1: not yet) is still in place.

    1 before the handover, falling linearly to 0 over ``drawdown`` months (at once without a drawdown).
    """
    ramp = clip(1.0 - (month - start) / max(drawdown, 1), 0.0, 1.0)
    return 1.0 if start < 0 else (ramp if drawdown > 0 else 0.0)  # without a branch, as withdrawal_scale


@jit(error_model="numpy", inline="always")
def phase_cap(strength: float, base: float, level: float, factor: float) -> float:
    """``strength`` capped by a phase step to ``level`` once its phase is handed over (``factor`` 0), by the dated ``base`` before (``factor`` 1)."""
    return min(strength, level + (base - level) * factor)


@jit(error_model="numpy", inline="always")
def scheduled_strength(sched_month: Any, sched_c: Any, sched_p: Any, sched_level: Any, c: int, factors: Any, n: int, month: int) -> float:
    """Contributor ``c``'s scheduled strength this month, a factor of its assigned personnel, for run ``n`` (arrays as in :class:`Layout`).

    The dated curve gives the strength (ramp-up, surges, drawdowns by date).  A
    phase step caps it: once that phase is handed over, the cap falls from the
    dated level to the step's level over the phase's drawdown (its factor in
    ``factors`` (N, Gp) going from 1 to 0), as UNMIL's benchmark drawdown did
    (:func:`phase_cap`, applied step by step in the order given).
    """
    base = sched_month[c, min(month, sched_month.shape[1] - 1)]
    strength = base
    for q in range(sched_c.shape[0]):
        if sched_c[q] == c:
            strength = phase_cap(strength, base, sched_level[q], factors[n, sched_p[q] + 1])
    return strength


BLOCK = 256
"""Runs :func:`personnel` computes together: its scratch (``BLOCK`` numbers a (contributor, group) row, about 40 kB for
the example's 8 rows, 4 contributors and 4 groups) stays in the first- and second-level caches while each sum runs over
the block."""


@jit(nogil=True, error_model="numpy", inline="always")
def personnel(cells: Any, by_cell: Any, headcount_by_group: Any, weight: Any, factors: Any, feat: Any, hc_c: Any, runs: Any) -> None:
    """Personnel by function ``feat`` (F, R, N: runs fastest, as the kernel reads it) and by contributor ``hc_c`` (N, C) of
    the runs ``runs``, written in place.

    All of presence is linear: a contributor's weight ``weight`` (N, C)
    (presence, withdrawal, schedule) times a handover group's factor
    ``factors`` (N, Gp) scales that (contributor, group)'s row of the
    presence table (``cells`` and ``by_cell`` of :class:`Layout`: rows
    without personnel left out).  Each run's rows are summed in a fixed
    order (contributor, then group) starting from 0, so a run's numbers
    never depend on the other runs computed with it (a BLAS matrix
    product's blocking may).  The sums run over a block of runs
    (:data:`BLOCK`) innermost, which LLVM vectorises.  Most of a table's
    entries are 0 (a contributor serves in few regions; border, escort,
    riot numbers come from one task each): a term whose product is 0 adds
    +0 or -0 to a sum that starts at +0 and so is never -0, which leaves it
    as it was, and is skipped; unless a weight of the block is infinite or
    NaN (0 times it is NaN), when every term is added.  Inlined into
    :func:`deploy` (one compile).
    """
    R = feat.shape[1]
    Gp, C = factors.shape[1], weight.shape[1]
    K, FR = by_cell.shape
    w = np.empty((C, BLOCK))  # the block's weights, factors and row weights, runs fastest
    fa = np.empty((Gp, BLOCK))
    x = np.empty((K, BLOCK))
    acc = np.empty(BLOCK)
    block = np.empty(BLOCK, dtype=np.uint64)  # unsigned: no negative-index wrap
    for b0 in range(0, runs.shape[0], BLOCK):
        B = min(BLOCK, runs.shape[0] - b0)
        for t in range(B):
            block[t] = runs[b0 + t]
        for c in range(C):
            for t in range(B):
                w[c, t] = weight[block[t], c]
        finite = True
        for g in range(Gp):
            for t in range(B):
                fa[g, t] = factors[block[t], g]
                finite &= np.abs(fa[g, t]) < np.inf
        for j in range(K):
            c, g = cells[j] // Gp, cells[j] % Gp
            for t in range(B):
                x[j, t] = w[c, t] * fa[g, t]
                finite &= np.abs(x[j, t]) < np.inf
        for i in range(FR):
            _weighted_rows(acc, x, by_cell[:, i], B, finite)
            f, r = i // R, i % R
            for t in range(B):
                feat[f, r, block[t]] = acc[t]
        for c in range(C):
            _weighted_rows(acc, fa, headcount_by_group[:, c], B, finite)
            for t in range(B):
                hc_c[block[t], c] = acc[t] * w[c, t]


@jit(nogil=True, error_model="numpy", inline="always")
def _weighted_rows(acc: Any, rows: Any, coef: Any, B: int, finite: bool) -> None:
    """``acc[t] = sum over k of rows[k, t] * coef[k]`` for the block's ``B`` runs, in the order of ``k`` (a run's sum
    never depends on the others'), the runs innermost (vectorised).  A zero coefficient is skipped when every row is
    finite (its terms are +0 or -0, which leave a sum that starts at +0 as it was); not otherwise (0 times an
    infinity or a NaN is NaN)."""
    acc[:B] = 0.0
    for k in range(rows.shape[0]):
        y = coef[k]
        if y == 0.0 and finite:
            continue
        for t in range(B):
            acc[t] += rows[k, t] * y


_SECURITY, _HEADCOUNT, _TROOPS = F["security"], F["headcount"], F["troops"]


@jit(nogil=True, error_model="numpy")
def deploy(lay: Any, present: Any, phase_start: Any, status: Any, within: Any, trigger_month: Any, orderly: Any, exit_month: Any, month: int,
           scale: Any, factors: Any, weight: Any, follow: Any, feat: Any, hc_c: Any, lo: int, hi: int) -> int:  # fmt: skip
    """Runs ``[lo, hi)``'s presence this month, in place in the arrays of a :class:`Deployment`; returns how many were recomputed.

    Each run's withdrawal scale, handover factors, contributor weights
    (presence times withdrawal scale times scheduled strength) and follow-on
    force (the personnel of the force that stays after the mission left, 0
    if none) are a few numbers, computed every month.  Its personnel by
    function and by contributor depend on those numbers only: where they are
    what they were last month (most runs, most months: the mission present,
    no phase drawing down, no schedule moving) last month's personnel are
    kept as they are; otherwise :func:`personnel` recomputes them and the
    follow-on force is added to security, headcount and troops, spread by
    population.  A reused run's numbers are therefore those a recomputation
    would give.  No run reads another's: threads may update disjoint ranges.

    Each of those numbers is computed in a loop over the runs, without a
    branch (LLVM vectorises it), and ``changed`` collects, run by run,
    whether any differs from last month's.
    """
    C, P, R = weight.shape[1], phase_start.shape[1], lay.share.shape[0]
    u0, u1 = np.uint64(lo), np.uint64(hi)  # unsigned run indices: no negative-index wrap, so LLVM sees each access's stride and vectorises
    changed = np.empty(hi - lo, dtype=np.bool_)
    extra = lay.follow_on_personnel if lay.follow_on_personnel > 0 else 0.0
    for n in range(u0, u1):
        scale[n] = withdrawal_scale(status[n], within[n], trigger_month[n], orderly[n], month)
        follows = (status[n] == AFTER_EXIT) & (exit_month[n] >= 0) & (month < exit_month[n] + lay.follow_on_months)
        v = extra if follows else 0.0
        changed[n - u0] = (factors[n, 0] != 1.0) | (v != follow[n])  # factors NaN in an empty Deployment: never computed
        follow[n] = v
        factors[n, 0] = 1.0  # cells never handed over
    for p in range(P):
        for n in range(u0, u1):
            v = phase_factor(phase_start[n, p], month, lay.drawdown)
            changed[n - u0] |= v != factors[n, p + 1]
            factors[n, p + 1] = v
    strength = np.empty(hi - lo)  # scheduled_strength, step by step for all runs; 1 without a schedule (times 1 is exact)
    steps = lay.sched_c.shape[0] if lay.has_schedule else 0
    for c in range(C):
        base = lay.sched_month[c, min(month, lay.sched_month.shape[1] - 1)] if lay.has_schedule else 1.0
        strength[:] = base
        for q in range(steps):
            if lay.sched_c[q] == c:
                level, g = lay.sched_level[q], lay.sched_p[q] + 1
                for n in range(u0, u1):
                    strength[n - u0] = phase_cap(strength[n - u0], base, level, factors[n, g])
        for n in range(u0, u1):
            w = present[n, c] * scale[n] * strength[n - u0]
            changed[n - u0] |= w != weight[n, c]
            weight[n, c] = w
    todo = np.empty(hi - lo, dtype=np.int64)  # the runs to recompute
    recomputed = 0
    for n in range(u0, u1):
        todo[recomputed] = n
        recomputed += changed[n - u0]
    personnel(lay.cells, lay.by_cell, lay.headcount_by_group, weight, factors, feat, hc_c, todo[:recomputed])
    for n in todo[:recomputed]:
        if follow[n] > 0:
            for r in range(R):
                x = follow[n] * lay.share[r]
                feat[_SECURITY, r, n] += x
                feat[_HEADCOUNT, r, n] += x
                feat[_TROOPS, r, n] += x
    return recomputed


@dataclass
class Deployment:
    """A batch's presence in the month last computed, kept from month to month (see :func:`deploy`).

    The arrays are those the monthly kernel reads, with the runs fastest (as
    :class:`~endstate.model.state.State`'s); a fresh one (:meth:`empty`)
    holds NaN, which equals nothing, so every run is computed in its first month.
    """

    scale: np.ndarray  # (N,) withdrawal scale
    factors: np.ndarray  # (N, Gp) handover factors, 1 for cells never handed over
    weight: np.ndarray  # (N, C) presence times withdrawal scale times scheduled strength
    follow: np.ndarray  # (N,) the follow-on force's personnel, 0 where none
    feat: np.ndarray  # (F, R, N) personnel by function and region
    hc_c: np.ndarray  # (N, C) personnel by contributor

    @staticmethod
    def empty(pt: PresenceTables, n: int) -> Deployment:
        F, _, R = pt.table.shape
        Gp, C = pt.headcount_by_group.shape
        nan = lambda *shape: np.full(shape, np.nan, order="F")  # noqa: E731
        return Deployment(nan(n), nan(n, Gp), nan(n, C), nan(n), np.full((F, R, n), np.nan), nan(n, C))

    def take(self, idx: np.ndarray) -> Deployment:
        """The runs at ``idx`` (a batch that drops its finished runs re-indexes its state and this together), each array
        copied once in its own layout (``feat`` with the runs last, the rest with the runs fastest: :func:`take_runs`)."""
        t = take_runs
        return Deployment(t(self.scale, idx), t(self.factors, idx), t(self.weight, idx), t(self.follow, idx), np.take(self.feat, idx, axis=2), t(self.hc_c, idx))

    def update(self, pt: PresenceTables, st: State, month: int) -> int:
        """This month's presence of every run of ``st``, in place; returns how many runs were recomputed."""
        present, phase_start, status, within, trigger_month, exit_month, orderly = st.compiled_arrays(
            (("present",), np.float64), (("phase_start", "status", "within", "trigger_month", "exit_month"), np.int64), (("orderly",), np.bool_)
        )
        n, (F, _, R), (Gp, C) = status.shape[0], pt.table.shape, pt.headcount_by_group.shape
        if self.feat.shape != (F, R, n) or self.weight.shape != (n, C) or self.factors.shape != (n, Gp):
            raise ValueError(f"a Deployment of {self.scale.shape[0]} runs for other tables, updated with a state of {n} runs")  # compiled code does not check bounds
        return int(deploy(pt.layout, present, phase_start, status, within, trigger_month, orderly, exit_month, int(month),
                          self.scale, self.factors, self.weight, self.follow, self.feat, self.hc_c, 0, n))  # fmt: skip


def by_function(pt: PresenceTables, weight: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """(F, N, R) personnel by function for given weights (N, C) and handover factors (N, Gp) (:func:`personnel`).

    A view of the (F, R, N) array :func:`personnel` writes (runs fastest, as the monthly kernel reads a
    :class:`Deployment`'s); for callers outside the kernel (tests, tables of one run).
    """
    F, _, R = pt.table.shape
    n = weight.shape[0]
    feat, hc = np.empty((F, R, n)), np.empty(weight.shape, order="F")
    f = np.asfortranarray
    lay = pt.layout
    personnel(lay.cells, lay.by_cell, lay.headcount_by_group, f(weight, dtype=float), f(factors, dtype=float), feat, hc, np.arange(n))
    return feat.transpose(0, 2, 1)


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
