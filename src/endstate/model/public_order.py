"""Mechanism 10, public order: riots and how troops meet them.

Expected riots ``= rate * pop/100,000 * (0.5 + urban share) * tension * (1 + shock * policies)``,
times the region's violence shock of the month,
where ``policies`` counts transformation goals pushed while the mission is
present (new policies that hurt old interests).  Riot capacity counts
public-order personnel of contributors with riot control fully and others at a
quarter, plus half the domestic force (its police share) times quality, spread by population; the contained
share is ``1 - exp(-capacity / riots / scale)``.  Uncontained riots kill
(troops without riot training fire) and raise tension (or they withdraw).
"""

from __future__ import annotations

import numpy as np


def expected_riots(pop: np.ndarray, urban: np.ndarray, tension: np.ndarray, policies: np.ndarray, rate: float, shock: float) -> np.ndarray:
    return rate * (pop / 1e5)[None, :] * (0.5 + urban)[None, :] * tension * (1.0 + shock * policies[:, None])


def contained_share(capacity: np.ndarray, riots: np.ndarray, scale: float) -> np.ndarray:
    return 1.0 - np.exp(-capacity / (np.maximum(riots, 1e-9) * scale))
