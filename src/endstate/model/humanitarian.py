"""Mechanism 8, humanitarian access: convoys raided unless protected.

``raided_r = min(1, rate * fighters per 1,000 / 5 * (1 - convoy_cov_r))`` with
``convoy_cov = 1 - exp(-(escorts + 0.3 * security) per 1,000 / scale)``;
``access = 1 - raided``.  Aid delivered (need times access) lowers grievance in
:mod:`endstate.model.grievance`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import mechanism
from .elementary import exp


class HumanitarianParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    raid_rate: float
    convoy_scale_per_1000: float
    patrol_escort_share: float  # of security personnel that also escort convoys

    @staticmethod
    def of(pv: SimpleNamespace) -> HumanitarianParams:
        return HumanitarianParams(pv.raid_rate, pv.convoy_scale_per_1000, pv.patrol_escort_share)


@mechanism
def access(fighters_per_1000: float, escorts_per_1000: float, p: HumanitarianParams) -> float:
    cov = 1.0 - exp(-np.maximum(escorts_per_1000, 0.0) / p.convoy_scale_per_1000)
    return 1.0 - np.minimum(1.0, p.raid_rate * fighters_per_1000 / 5.0 * (1.0 - cov))
