"""Mechanism 7, the justice chain: arrests, detention, trials, releases.

Arrests are admitted while detention places are free; the rest are released at
once and most return to their groups.  Courts try ``cases_per_month`` plus what
international justice advisers add, at most ``adviser_multiple`` times what the
host's own courts try (advisers mentor judges and prosecutors; they do not
replace courts that were destroyed); those tried leave detention.  Engineers
build places.  ``processing`` is court throughput against arrests: the month's
trials over the month's arrests (at most 1), kept as a moving average.  It is
what the ``justice_processing`` indicator reports and the impunity signal other
mechanisms read: a chain whose prisons admit every arrest but whose courts
try few of them (East Timor in 1999-2000, its courts destroyed) is not working;
arrests that are only detained, never tried, do not end impunity.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import mechanism


class JusticeParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    trials_per_adviser: float
    places_per_engineer: float
    smoothing: float
    adviser_multiple: float

    @staticmethod
    def of(pv: SimpleNamespace) -> JusticeParams:
        return JusticeParams(pv.trials_per_adviser_month, pv.places_per_engineer_month, pv.justice_smoothing, pv.adviser_court_multiple)


@mechanism
def step(
    detained: float, places: float, arrested: float, courts: float, advisers: float, engineers: float, processing: float, p: JusticeParams,
) -> tuple[float, float, float, float]:  # fmt: skip
    """One month of the chain: (detained, places, released, processing) after this month's ``arrested``."""
    free = np.maximum(places - detained, 0.0)
    admitted = np.minimum(arrested, free)
    released = arrested - admitted
    tried = np.minimum(detained + admitted, courts + np.minimum(p.trials_per_adviser * advisers, p.adviser_multiple * courts))
    detained = detained + admitted - tried
    places = places + p.places_per_engineer * engineers
    share = np.minimum(tried / np.maximum(arrested, 1e-9), 1.0) if arrested > 1e-9 else processing
    processing = processing + p.smoothing * (share - processing)
    return detained, places, released, processing
