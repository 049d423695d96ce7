"""Grievance and tension: the slow regional moods that feed spoilers and riots.

Grievance moves a tenth of the way a month toward
``0.1 + 0.4 * need * (1 - access) + 0.3 * (1 - processing) + 0.3 * violence``
(unmet need, impunity and killing).  Tension moves toward its starting level,
lowered by coverage (``* (1 - 0.3 * coverage)``), raised in minority enclaves
when transformation goals are pushed, and by uncontained riots.
"""

from __future__ import annotations

import numpy as np


def grievance(g: np.ndarray, need: np.ndarray, access: np.ndarray, processing: np.ndarray, violence: np.ndarray, rate: float) -> np.ndarray:
    target = 0.1 + 0.4 * need[:, None] * (1.0 - access) + 0.3 * (1.0 - processing[:, None]) + 0.3 * violence
    return np.clip(g + rate * (target - g), 0.0, 1.0)


def tension(t: np.ndarray, t0: np.ndarray, coverage: np.ndarray, push: np.ndarray, enclave: np.ndarray, riot_push: np.ndarray, rate: float, k_push: float) -> np.ndarray:
    target = t0 * (1.0 - 0.3 * coverage) + k_push * push[:, None] * enclave[None, :]
    return np.clip(t + rate * (target - t) + riot_push, 0.0, 1.0)
