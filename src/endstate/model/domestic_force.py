"""Mechanism 6, the domestic security force: recruitment, training pipeline, attrition, quality, loyalty.

Recruits enter a pipeline of ``training_months``: intake is the smaller of the
training capacity (international trainers times trainees per trainer, plus a
small self-training rate) and the volunteers: a share of the gap between the
target and the force plus everyone in training, plus the replacement of this
month's losses, times ``(0.5 + legitimacy) * (1.2 - 0.4 * violence)`` (more
recruits when the government looks like it is winning).  Graduates join the trained force, which
loses ``base + v * violence + p * (1 - pay)`` a month.  Quality rises with
mentoring ``1 - exp(-trainers / (0.05 * force + 50))`` and fades without it;
graduates arrive at ``graduate_quality``.  Loyalty is ``0.3 + 0.4 * pay + 0.3 *
legitimacy`` with the default weights (``loyalty_base``, ``loyalty_pay``, ``loyalty_legitimacy``).
"""

from __future__ import annotations

import numpy as np


def intake(
    trainers: np.ndarray,
    force: np.ndarray,
    in_pipeline: np.ndarray,
    target: float,
    legitimacy: np.ndarray,
    violence: np.ndarray,
    per_trainer: float,
    self_rate: float,
    rate: float,
    replacement: np.ndarray,
) -> np.ndarray:
    capacity = trainers * per_trainer + self_rate * force
    gap = np.maximum(target - force - in_pipeline, 0.0)
    willing = (0.5 + legitimacy) * (1.2 - 0.4 * violence)
    return np.minimum(capacity, (rate * gap + replacement) * willing)


def attrition(violence: np.ndarray, pay: np.ndarray, base: float, v: float, p: float) -> np.ndarray:
    return base + v * violence + p * (1.0 - pay)


def mentoring(trainers: np.ndarray, force: np.ndarray) -> np.ndarray:
    return 1.0 - np.exp(-trainers / (0.05 * force + 50.0))


def quality(q: np.ndarray, force_after_loss: np.ndarray, graduates: np.ndarray, mentor: np.ndarray, gain: float, decay: float, grad_q: float) -> np.ndarray:
    q = q + gain * mentor * (1.0 - q) - decay * (1.0 - mentor) * q
    total = force_after_loss + graduates
    return np.where(total > 0, (q * force_after_loss + grad_q * graduates) / np.maximum(total, 1e-9), q)


def loyalty(pay: np.ndarray, legitimacy: np.ndarray, base: float, w_pay: float, w_legitimacy: float) -> np.ndarray:
    """``base + w_pay * pay + w_legitimacy * legitimacy`` (0.3, 0.4, 0.3 by default: 1 when paid and legitimate)."""
    return base + w_pay * pay + w_legitimacy * legitimacy
