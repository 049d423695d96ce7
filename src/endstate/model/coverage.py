"""Mechanism 1, security coverage: personnel per 1,000 inhabitants, with diminishing returns.

``coverage = 1 - exp(-density / scale)`` where ``density`` is effective
personnel per 1,000 inhabitants: international personnel weighted by task and
quality and scaled by command coherence, plus the domestic force deployed by
population and weighted by its quality and loyalty.  At Quinlivan's 20 per
1,000, coverage is 0.86 with the default scale of 10.
"""

from __future__ import annotations

import numpy as np


def saturating(x: np.ndarray, scale: float) -> np.ndarray:
    """Diminishing returns: 0 at 0, 0.63 at ``scale``, approaching 1."""
    return 1.0 - np.exp(-np.maximum(x, 0.0) / scale)


def hotspot_weights(tension: np.ndarray, spoilers: np.ndarray, pop: np.ndarray) -> np.ndarray:
    """Where a lead state sends mobile troops: population times (tension + spoilers per 1,000)."""
    score = pop * (tension + spoilers / (pop / 1000.0))
    return score / np.maximum(score.sum(axis=-1, keepdims=True), 1e-12)


def security_density(
    intl: np.ndarray,
    mobile: np.ndarray,
    coherence: np.ndarray,
    domestic: np.ndarray,
    dom_quality: np.ndarray,
    loyalty: np.ndarray,
    pop: np.ndarray,
    share: np.ndarray,
    realloc_weights: np.ndarray | None,
    realloc_share: float,
) -> np.ndarray:
    """Effective security personnel per 1,000 inhabitants, per region.

    ``intl`` (N, R) is task-weighted international personnel, ``mobile`` its
    patrol and public-order part; under a lead state that reallocates, a share of
    the mobile part moves to hotspots each month.
    """
    if realloc_weights is not None:
        moved = realloc_share * mobile
        intl = intl - moved + moved.sum(axis=-1, keepdims=True) * realloc_weights
    dom = (domestic * dom_quality * loyalty)[:, None] * share[None, :]
    return (intl * coherence[:, None] + dom) / (pop / 1000.0)
