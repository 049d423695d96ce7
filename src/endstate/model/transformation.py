"""Mechanism 15, transformation goals: slow indicators outsiders push.

Electoral democracy, institutional integration and minority returns each move
``rate * push * (0.3 + 0.7 * security) * (1 - x)`` a month, where ``push`` is 1
while the mission is present and the indicator is a goal, and the drift share
otherwise; security is one minus the violence index.  Force helps only through
security (a weak effect); pushing costs host consent and raises tension in
minority enclaves (see those mechanisms).
"""

from __future__ import annotations

import numpy as np


def update(x: np.ndarray, push: np.ndarray, security: np.ndarray, rate: float) -> np.ndarray:
    return np.clip(x + rate * push * (0.3 + 0.7 * security[:, None]) * (1.0 - x), 0.0, 1.0)
