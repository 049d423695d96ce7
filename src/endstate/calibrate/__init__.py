"""Calibration: fit the model's relapse parameters to historical peace spells.

- :mod:`.sources`: the UCDP and Doyle & Sambanis spells, built from the reference data, and the train/holdout split;
- :mod:`.targets`: shares relapsed by 2, 5 and 10 years (Kaplan-Meier) by war outcome and mission type, and
  Collier et al.'s published decade figure;
- :mod:`.smm`: simulated method of moments (:func:`calibrate`), in- and out-of-sample scores, ``calibrated.json``.
"""

from __future__ import annotations

from .smm import (
    CALIBRATED_PATH,
    FITTED,
    Calibration,
    Prepared,
    calibrate,
    evaluate,
    fit,
    model_values,
    prepare,
    residuals,
    write_calibration,
)
from .sources import SpellSource, holdout_mask, load_sources
from .targets import Target, data_targets, published_targets

__all__ = [
    "CALIBRATED_PATH",
    "FITTED",
    "Calibration",
    "Prepared",
    "SpellSource",
    "Target",
    "calibrate",
    "data_targets",
    "evaluate",
    "fit",
    "holdout_mask",
    "load_sources",
    "model_values",
    "prepare",
    "published_targets",
    "residuals",
    "write_calibration",
]
