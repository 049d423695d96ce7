"""Mechanism 5, borders: weapons crossing into each region, cut by border control.

``inflow_r = base * exposure_r * (0.5 + outside_support_r) * (1 - effect * border_cov_r)``
with ``border_cov_r = 1 - exp(-border_personnel_r / (scale * exposure_r))``.
A fully covered border still leaks ``1 - effect`` of the smuggling.  The stock
of weapons decays, is seized under security coverage, and grows by the inflow.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import mechanism
from .elementary import exp


class BordersParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    domestic_share: float  # of the domestic force (times quality and loyalty) at the borders, spread by exposure
    personnel_scale: float
    control_effect: float
    arms_decay: float
    seizure_rate: float

    @staticmethod
    def of(pv: SimpleNamespace) -> BordersParams:
        return BordersParams(pv.domestic_border_share, pv.border_personnel_scale, pv.border_control_effect, pv.arms_decay, pv.arms_seizure_rate)


@mechanism
def border_coverage(border_personnel: float, exposure: float, p: BordersParams) -> float:
    need = p.personnel_scale * np.maximum(exposure, 1e-9)
    return 1.0 - exp(-np.maximum(border_personnel, 0.0) / need)


@mechanism
def arms_inflow(base: float, exposure: float, support: float, border_cov: float, p: BordersParams) -> float:
    """Weapons a month into one region; ``base`` is the run's uncontrolled national inflow."""
    return base * exposure * (0.5 + support) * (1.0 - p.control_effect * border_cov)


@mechanism
def arms_stock(stock: float, inflow: float, coverage: float, p: BordersParams) -> float:
    return np.maximum(stock * (1.0 - p.arms_decay - p.seizure_rate * coverage) + inflow, 0.0)
