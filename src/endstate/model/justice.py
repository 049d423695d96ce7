"""Mechanism 7, the justice chain: arrests, detention, trials, releases.

Arrests are admitted while detention places are free; the rest are released at
once and most return to their groups.  Courts try ``cases_per_month`` plus what
international justice advisers add; those tried leave detention.  Engineers
build places.  ``processing`` (the share of arrests admitted rather than
released) is kept as a moving average and is the impunity signal other
mechanisms read.
"""

from __future__ import annotations

import numpy as np


def step(
    detained: np.ndarray,
    places: np.ndarray,
    arrested: np.ndarray,
    courts: float,
    advisers: np.ndarray,
    engineers: np.ndarray,
    processing: np.ndarray,
    trials_per_adviser: float,
    places_per_engineer: float,
    smoothing: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (detained, places, released, processing)."""
    free = np.maximum(places - detained, 0.0)
    admitted = np.minimum(arrested, free)
    released = arrested - admitted
    tried = np.minimum(detained + admitted, courts + trials_per_adviser * advisers)
    detained = detained + admitted - tried
    places = places + places_per_engineer * engineers
    share = np.where(arrested > 1e-9, admitted / np.maximum(arrested, 1e-9), processing)
    processing = processing + smoothing * (share - processing)
    return detained, places, released, processing
