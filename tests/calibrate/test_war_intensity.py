"""Calibrating how hard a resumed conflict fights: the regression on a small table, and on the UCDP files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from endstate.calibrate.war_intensity import calibrate_war_intensity, fit_war_intensity, recurrent_intensity
from endstate.model.params import DEFAULTS


def test_fit_recovers_a_known_line() -> None:
    rng = np.random.default_rng(0)
    prev = 10 ** rng.uniform(1.5, 4.5, 400)
    annual = np.exp(3.0 + 0.5 * np.log10(prev) + rng.normal(0, 1.0, 400))
    values, record = fit_war_intensity(pd.DataFrame({"annual": annual, "previous": prev}))
    assert values["war_intensity_slope"] == pytest.approx(0.5, abs=0.1)
    assert values["war_intensity_intercept"] == pytest.approx(3.0, abs=0.3)
    assert values["war_intensity_sigma"] == pytest.approx(1.0, abs=0.1)
    assert record["episodes"] == 400


def test_too_few_episodes_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot be fitted"):
        fit_war_intensity(pd.DataFrame({"annual": [100.0], "previous": [50.0]}))


def test_recurrent_intensity_pairs_an_episode_with_the_one_before() -> None:
    term = pd.DataFrame({
        "conflict_id": [1, 1, 1, 1], "conflictep_id": [10, 10, 11, 11], "conflictepisode": [1, 1, 2, 2],
        "year": [1990, 1991, 1995, 1996], "recur": [0, 0, 1, 1], "type_of_conflict": [3, 3, 3, 3],
    })  # fmt: skip
    bd = pd.DataFrame({"conflict_id": [1, 1, 1, 1], "year": [1990, 1991, 1995, 1996], "bd_best": [100, 300, 50, 150], "type_of_conflict": 3})
    ep = recurrent_intensity(term, bd)
    assert len(ep) == 1 and ep["annual"].iloc[0] == 100.0 and ep["previous"].iloc[0] == 400.0


def test_the_defaults_are_the_ucdp_fit(data_dir: Path) -> None:
    values, record = calibrate_war_intensity(data_dir)
    for name, v in values.items():
        assert DEFAULTS.v(name) == pytest.approx(v, abs=5e-3), name
    assert record["episodes"] > 100
