"""Drawing each run's values of the spec's uncertain numbers.

Core objects: :func:`init_width` (how many uniform numbers a run needs) and
:func:`sample_initial` (uniforms -> values).  Every uncertain number takes one
column of uniform draws and is mapped through its inverse distribution
function, so two strategies of one theatre draw the same baseline for the same
run (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy import stats

from endstate.spec.uncertain import Uncertain

from .scenario import Scenario


def quantile(u: Uncertain, q: np.ndarray, lo: float = -np.inf, hi: float = np.inf) -> np.ndarray:
    """Values of ``u`` at probabilities ``q``, clipped to ``[lo, hi]``."""
    q = np.clip(q, 1e-9, 1 - 1e-9)
    if u.dist == "point":
        x = np.full_like(q, float(u.value))  # type: ignore[arg-type]
    elif u.dist == "uniform":
        x = float(u.low) + q * (float(u.high) - float(u.low))  # type: ignore[arg-type]
    elif u.dist == "normal":
        x = stats.norm.ppf(q, loc=u.mean, scale=max(float(u.sd), 1e-12))  # type: ignore[arg-type]
    elif u.dist == "lognormal":
        x = float(u.median) * np.exp(float(u.sigma) * stats.norm.ppf(q))  # type: ignore[arg-type]
    elif u.dist == "triangular":
        lo_, mo, hi_ = float(u.low), float(u.mode), float(u.high)  # type: ignore[arg-type]
        width = hi_ - lo_
        if width <= 0:
            x = np.full_like(q, lo_)
        else:
            x = stats.triang.ppf(q, c=(mo - lo_) / width, loc=lo_, scale=width)
    else:
        x = stats.beta.ppf(q, float(u.a), float(u.b))  # type: ignore[arg-type]
    return np.clip(np.asarray(x, dtype=float), lo, hi)


@dataclass
class Initial:
    """Each run's draw of the baseline assessment."""

    tension: np.ndarray  # (N, R)
    spoilers: np.ndarray  # (N, R) fighters
    outside_support: np.ndarray  # (N, R)
    war_deaths: np.ndarray  # (N,)
    war_years: np.ndarray  # (N,)
    arms_inflow: np.ndarray  # (N,)
    police_quality: np.ndarray  # (N,)
    army_quality: np.ndarray  # (N,)
    legitimacy: np.ndarray  # (N,)
    need: np.ndarray  # (N,)
    pay: np.ndarray  # (N,)
    war_quantile: np.ndarray | None = None  # (N,) uniform: how hard this run's resumed conflicts fight (mechanism 2)


class InitialStream(Protocol):
    def initial(self, width: int) -> np.ndarray: ...


def draw_initial(sc: Scenario, stream: InitialStream) -> Initial:
    """The runs' baseline values from their initial stream, then one more uniform each for the war-intensity quantile.

    The quantile is drawn after every baseline value, so adding it changed none of them; the same run in two
    strategies gets the same one (common random numbers for paired comparisons)."""
    ini = sample_initial(sc, stream.initial(init_width(sc)))
    ini.war_quantile = stream.initial(1)[:, 0]
    return ini


N_FIXED = 8


def init_width(sc: Scenario) -> int:
    return N_FIXED + sc.R + 2 * len(sc.spec.understanding.spoilers)


def sample_initial(sc: Scenario, u: np.ndarray) -> Initial:
    """Map uniforms ``u`` (N, init_width) to the runs' baseline values."""
    und = sc.spec.understanding
    col = iter(range(u.shape[1]))

    def draw(x: Uncertain, lo: float = 0.0, hi: float = np.inf) -> np.ndarray:
        return quantile(x, u[:, next(col)], lo, hi)

    war_deaths = draw(und.war_deaths)
    war_years = draw(und.war_duration_years, 1e-3)
    arms = draw(und.arms_inflow)
    pq = draw(und.police.quality, 0, 1)
    aq = draw(und.army.quality, 0, 1)
    leg = draw(und.legitimacy, 0, 1)
    need = draw(und.humanitarian_need, 0, 1)
    pay = draw(und.domestic_pay_regularity, 0, 1)
    tension = np.stack([draw(r.tension, 0, 1) for r in sc.spec.theatre.regions], axis=1)
    n = u.shape[0]
    spoilers = np.zeros((n, sc.R))
    support = np.zeros((n, sc.R))
    for s, sp in enumerate(und.spoilers):
        strength = draw(sp.strength)
        os_ = draw(sp.outside_support, 0, 1)
        spoilers += strength[:, None] * sc.spoiler_weight[s][None, :]
        support = np.maximum(support, os_[:, None] * (sc.spoiler_weight[s][None, :] > 0))
    return Initial(tension, spoilers, support, war_deaths, war_years, arms, pq, aq, leg, need, pay)
