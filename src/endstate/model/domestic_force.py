"""Mechanism 6, the domestic security force: recruitment, training pipeline, attrition, quality, loyalty.

Recruits enter a pipeline of ``training_months``: intake is the smaller of the
training capacity (international trainers times trainees per trainer, plus a
small self-training rate) and the volunteers: a share of the gap between the
target and the force plus everyone in training, plus the replacement of this
month's losses, times ``(0.5 + legitimacy) * (1.2 - 0.4 * violence)`` (more
recruits when the government looks like it is winning).  Graduates join the trained force, which
loses ``base + v * violence + p * (1 - pay)`` a month.  Quality rises with
mentoring ``1 - exp(-trainers / (0.05 * force + 50))`` at the tempo of the
fastest institution builders (World Development Report 2011, Box 3.6: a fully
mentored force takes 17 years from the post-war baseline to the handover
benchmark) and, without mentors, what it learnt above the host academy's own
standard fades: ``q += gain * m * (1 - q) - decay * (1 - m) * max(q - graduate, 0)``;
graduates arrive at ``graduate_quality``.  Loyalty is ``0.3 + 0.4 * pay + 0.3 *
legitimacy`` with the default weights (``loyalty_base``, ``loyalty_pay``, ``loyalty_legitimacy``).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from .compiled import mechanism
from .elementary import exp


class DomesticForceParams(NamedTuple):
    """The numbers this mechanism reads (sources in :mod:`endstate.model.params`)."""

    per_trainer: float
    self_training: float
    recruitment_rate: float
    attrition_base: float
    attrition_violence: float
    attrition_pay: float
    mentoring_gain: float
    quality_decay: float
    graduate_quality: float
    loyalty_base: float
    loyalty_pay: float
    loyalty_legitimacy: float

    @staticmethod
    def of(pv: SimpleNamespace) -> DomesticForceParams:
        return DomesticForceParams(
            pv.trainees_per_trainer_month, pv.domestic_self_training, pv.recruitment_rate, pv.attrition_base, pv.attrition_violence,
            pv.attrition_pay, pv.mentoring_gain, pv.quality_decay, pv.graduate_quality, pv.loyalty_base, pv.loyalty_pay, pv.loyalty_legitimacy,
        )


@mechanism
def intake(
    trainers: float, force: float, in_pipeline: float, target: float, legitimacy: float, violence: float, replacement: float,
    p: DomesticForceParams,
) -> float:  # fmt: skip
    capacity = trainers * p.per_trainer + p.self_training * force
    gap = np.maximum(target - force - in_pipeline, 0.0)
    willing = (0.5 + legitimacy) * (1.2 - 0.4 * violence)
    return np.minimum(capacity, (p.recruitment_rate * gap + replacement) * willing)


@mechanism
def attrition(violence: float, pay: float, p: DomesticForceParams) -> float:
    return p.attrition_base + p.attrition_violence * violence + p.attrition_pay * (1.0 - pay)


@mechanism
def mentoring(trainers: float, force: float) -> float:
    return 1.0 - exp(-trainers / (0.05 * force + 50.0))


@mechanism
def quality(q: float, force_after_loss: float, graduates: float, mentor: float, p: DomesticForceParams) -> float:
    q = q + p.mentoring_gain * mentor * (1.0 - q) - p.quality_decay * (1.0 - mentor) * np.maximum(q - p.graduate_quality, 0.0)
    total = force_after_loss + graduates
    return (q * force_after_loss + p.graduate_quality * graduates) / np.maximum(total, 1e-9) if total > 0 else q


@mechanism
def loyalty(pay: float, legitimacy: float, p: DomesticForceParams) -> float:
    return p.loyalty_base + p.loyalty_pay * pay + p.loyalty_legitimacy * legitimacy
