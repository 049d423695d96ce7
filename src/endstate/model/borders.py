"""Mechanism 5, borders: weapons crossing into each region, cut by border control.

``inflow_r = base * exposure_r * (0.5 + outside_support_r) * (1 - effect * border_cov_r)``
with ``border_cov_r = 1 - exp(-border_personnel_r / (scale * exposure_r))``.
A fully covered border still leaks ``1 - effect`` of the smuggling.  The stock
of weapons decays, is seized under security coverage, and grows by the inflow.
"""

from __future__ import annotations

import numpy as np


def border_coverage(border_personnel: np.ndarray, exposure: np.ndarray, scale: float) -> np.ndarray:
    need = scale * np.maximum(exposure, 1e-9)
    return 1.0 - np.exp(-np.maximum(border_personnel, 0.0) / need)


def arms_inflow(base: np.ndarray, exposure: np.ndarray, support: np.ndarray, border_cov: np.ndarray, effect: float) -> np.ndarray:
    """Weapons a month per region; ``base`` (N,) is the uncontrolled national inflow."""
    return base[:, None] * exposure[None, :] * (0.5 + support) * (1.0 - effect * border_cov)


def arms_stock(stock: np.ndarray, inflow: np.ndarray, coverage: np.ndarray, decay: float, seizure: float) -> np.ndarray:
    return np.maximum(stock * (1.0 - decay - seizure * coverage) + inflow, 0.0)
