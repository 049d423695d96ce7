"""Calibration targets: shares relapsed by a horizon, from the data and from published findings.

Core objects: :class:`Target`, :func:`data_targets` (Kaplan-Meier shares
relapsed within 2, 5 and 10 years by how the war ended and by mission type,
and by the country's earlier failed peaces, with Greenwood standard errors), :func:`published_targets` (Collier, Hoeffler &
Soderbom 2008) and :func:`model_value` (the model's share for a target's spells).

A data target is ``1 - KM(12 * years)``: the product-limit share relapsed,
which uses every spell up to its censoring (spells observed for less than the
horizon count as long as they were watched).  The model's value for the same
target is the mean, over the same spells, of each spell's predicted
probability of a relapse within the horizon: under independent censoring both
estimate the same population share.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from endstate.experiments.backtest import SpellRuns
from endstate.outcomes.survival import greenwood_se, survival_before
from endstate.types import MISSION_TYPES, WAR_OUTCOMES

TARGET_YEARS = (2, 5, 10)
MIN_SPELLS = 10
"""Groups with fewer spells (in the training part) give no target: their shares are mostly noise."""
SE_FLOOR = 0.03
"""Smallest standard error a target is weighted by (a Kaplan-Meier share of 0 or 1 has a Greenwood error of 0)."""

COLLIER_CITATION = "Collier, Hoeffler & Soderbom, 'Post-Conflict Risks', Journal of Peace Research 45(4), 2008"
COLLIER_SHARE, COLLIER_YEARS, COLLIER_SE = 0.40, 10, 0.05
"""About 40% of post-conflict countries relapse within a decade.  Their sample is civil wars (1,000+ battle
deaths), so the target applies to the UCDP spells whose war reached that level.  The paper gives no standard
error for the headline share; 0.05 is the stated weight."""


@dataclass
class Target:
    """One share relapsed within ``years``, for the spells of ``source`` where ``by`` equals ``group``."""

    id: str
    source: str
    by: str  # a grouping of GROUPINGS, or war_level
    group: str
    years: int
    data: float
    se: float
    spells: int
    derivation: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


BINS: dict[str, dict[str, tuple[float, float]]] = {
    "prior_relapses": {"0": (0, 1), "1-2": (1, 3), "3+": (3, float("inf"))},
}
"""Groups of a numeric spell column, as half-open ranges [low, high): the country's earlier failed peaces (about a
third of the UCDP spells each)."""

GROUPINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("war_outcome", WAR_OUTCOMES),
    ("mission_type", MISSION_TYPES),
    ("prior_relapses", tuple(BINS["prior_relapses"])),
)
"""How the spells are grouped for targets and comparisons.  Each grouping identifies the coefficients of the hazard
that it varies (how the war ended: the base rates; mission type: the mission's effect; earlier failed peaces:
``relapse_prior_relapses``, which the shares by outcome alone would identify only through the groups' make-up)."""


def select(spells: pd.DataFrame, by: str, group: str) -> np.ndarray:
    """The spells a target concerns."""
    if by == "war_level":
        return spells["war_level"].to_numpy(dtype=bool)
    if by in BINS:
        lo, hi = BINS[by][group]
        x = spells[by].to_numpy(dtype=float)
        return (x >= lo) & (x < hi)  # type: ignore[no-any-return]
    return (spells[by].astype(str) == group).to_numpy()


def _km_target(source: str, by: str, group: str, years: int, months: np.ndarray, event: np.ndarray) -> Target:
    k = 12 * years
    share = 1.0 - float(survival_before(months, event, [k])[0])
    se = greenwood_se(months, event, k)
    how = f"1 - Kaplan-Meier survival at {years} years over the {len(months)} {source} spells with {by} = {group}"
    return Target(f"{source}/{by}={group}/{years}y", source, by, group, years, share, se, len(months), how)


def data_targets(source: str, sr: SpellRuns) -> list[Target]:
    """Targets by war outcome, mission type and earlier failed peaces (:data:`GROUPINGS`; groups of at least
    :data:`MIN_SPELLS` spells) from ``sr``'s spells."""
    out: list[Target] = []
    for by, groups in GROUPINGS:
        for g in groups:
            m = select(sr.spells, by, g)
            if m.sum() < MIN_SPELLS:
                continue
            for y in TARGET_YEARS:
                out.append(_km_target(source, by, g, y, sr.months[m], sr.event[m]))
    return out


def published_targets(source: str, sr: SpellRuns) -> list[Target]:
    """Collier et al.'s share relapsed within a decade, for ``sr``'s war-level spells."""
    n = int(select(sr.spells, "war_level", "war").sum())
    how = f"{COLLIER_CITATION}: about 40% relapse within a decade; compared with the {n} {source} spells of wars with 1,000+ battle deaths in a year"
    return [Target(f"collier2008/{source}/war_level/10y", source, "war_level", "war", COLLIER_YEARS, COLLIER_SHARE, COLLIER_SE, n, how)]


def model_value(target: Target, sr: SpellRuns, surv: np.ndarray) -> float:
    """Mean predicted probability of a relapse within the target's horizon over its spells."""
    m = select(sr.spells, target.by, target.group)
    return float(np.mean(1.0 - surv[m, 12 * target.years - 1])) if m.any() else float("nan")


def holdout_counterpart(target: Target, sr: SpellRuns) -> Target | None:
    """The same target computed on other spells (the holdout), or None if they have too few."""
    if target.by == "war_level":
        return published_targets(target.source, sr)[0]
    m = select(sr.spells, target.by, target.group)
    if m.sum() < 3:
        return None
    return _km_target(target.source, target.by, target.group, target.years, sr.months[m], sr.event[m])
