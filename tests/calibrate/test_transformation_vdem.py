"""Transformation goals calibrated to V-Dem: the closed form, and the committed values reproduced from the data."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from endstate.calibrate.smm import CALIBRATED_PATH
from endstate.calibrate.sources import load_sources
from endstate.calibrate.transformation import SECURITY, calibrate_transformation, fit_transformation, polyarchy_moments


def test_closed_form_by_hand():
    moments = pd.DataFrame({"gap_closed_per_month": [0.006, 0.0015]}, index=["multidimensional", "none"])
    v = fit_transformation(moments)
    assert math.isclose(v["transformation_rate"], 0.006 / (0.3 + 0.7 * SECURITY))
    assert math.isclose(v["transformation_drift"], 0.25)


def test_moments_by_hand():
    spells = pd.DataFrame(
        {"iso3": ["AAA", "BBB"], "peace_start": ["2000-01-01", "2000-06-01"], "end_date": ["2010-01-01", "2003-01-01"], "mission_type": ["none", "none"]}
    )
    vdem = pd.DataFrame({"iso3": ["AAA", "AAA", "BBB", "BBB"], "year": [2000, 2005, 2000, 2005], "v2x_polyarchy": [0.2, 0.6, 0.2, 0.9]})
    m = polyarchy_moments(spells, vdem)
    # BBB is observed under five years and is left out
    assert int(m.loc["none", "spells"]) == 1
    assert math.isclose(m.loc["none", "gap_closed_per_month"], 1 - (0.4 / 0.8) ** (1 / 60))


def test_committed_values_follow_from_the_data(data_dir):
    committed = json.loads(CALIBRATED_PATH.read_text())["values"]
    values, record = calibrate_transformation(load_sources(data_dir)["ucdp"].spells, data_dir)
    for name, v in values.items():
        assert committed[name] == pytest.approx(v, rel=1e-4), name
    moments = record["moments"]
    # the data's own ordering: countries with multidimensional missions democratised faster than those without
    assert moments["multidimensional"]["gap_closed_per_month"] > moments["none"]["gap_closed_per_month"]
