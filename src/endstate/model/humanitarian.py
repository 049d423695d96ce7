"""Mechanism 8, humanitarian access: convoys raided unless protected.

``raided_r = min(1, rate * fighters per 1,000 / 5 * (1 - convoy_cov_r))`` with
``convoy_cov = 1 - exp(-(escorts + 0.3 * security) per 1,000 / scale)``;
``access = 1 - raided``.  Aid delivered (need times access) lowers grievance in
:mod:`endstate.model.grievance`.
"""

from __future__ import annotations

import numpy as np


def access(fighters_per_1000: np.ndarray, escorts_per_1000: np.ndarray, rate: float, scale: float) -> np.ndarray:
    cov = 1.0 - np.exp(-np.maximum(escorts_per_1000, 0.0) / scale)
    return 1.0 - np.minimum(1.0, rate * fighters_per_1000 / 5.0 * (1.0 - cov))
