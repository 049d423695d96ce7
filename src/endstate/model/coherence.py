"""Mechanism 14, command coherence.

``coherence = base(command) - per_contributor * (contributors present - 1)
- caveats * caveat share - goals * transformation goals``, within [0.3, 1].
Lead-state command starts near 1; committee command lower.  It scales the
security effect of international personnel.
"""

from __future__ import annotations

import numpy as np


def coherence(base: float, n_present: np.ndarray, caveat_share: float, n_abstract: int, per_c: float, k_cav: float, k_goal: float) -> np.ndarray:
    return np.clip(base - per_c * np.maximum(n_present - 1, 0) - k_cav * caveat_share - k_goal * n_abstract, 0.3, 1.0)
