"""Tests for endstate.calibrate: the committed calibration checked against the reference data.

Skipped when ../shared/data is absent.  The spells are built from the data
here (through spell files, as ``endstate spells build`` writes them), simulated
with fewer runs than the committed calibration used, and compared with what
``model/calibrated.json`` records.  Nothing here tunes a parameter.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from endstate.calibrate import CALIBRATED_PATH, FITTED, Prepared, evaluate, fit, model_values, prepare, write_calibration
from endstate.calibrate.report import comparison, figure_png, markdown
from endstate.calibrate.smm import Calibration
from endstate.cli import app
from endstate.experiments.backtest import survival
from endstate.model.params import DEFAULTS, Parameters, load_parameters
from endstate.outcomes.survival import greenwood_se, survival_before
from endstate.types import WAR_OUTCOMES

COMMITTED = json.loads(CALIBRATED_PATH.read_text(encoding="utf-8"))
RUNS = 100
"""Runs per spell shape here (the committed calibration used more)."""
TARGET_TOLERANCE = 0.03
"""How far (absolute share) the model's value for a committed target may move with fewer runs."""
REFIT_TOLERANCE = {"log": 0.25, "linear": 0.15}
"""A re-fit with fewer runs lands within 25% (base rates) or 0.15 (decay, coverage) of the committed values."""


@pytest.fixture(scope="module")
def prep(data_dir: Path) -> Prepared:
    prov = COMMITTED["provenance"]
    return prepare(data_dir, runs=RUNS, seed=prov["seed"], holdout=prov["holdout_share"], workers=2)


@pytest.fixture(scope="module")
def calibrated() -> Parameters:
    return load_parameters()


def test_the_model_loads_the_committed_values(calibrated: Parameters) -> None:
    derived = {"transformation_rate", "transformation_drift", "war_termination_rate", "war_intensity_intercept", "war_intensity_slope",
               "war_intensity_sigma"}  # fmt: skip
    assert set(COMMITTED["values"]) == set(FITTED) | derived
    for name, value in COMMITTED["values"].items():
        assert calibrated.v(name) == pytest.approx(value)
    assert {"data_files", "date", "seed", "method"} <= set(COMMITTED["provenance"])


def test_data_targets_are_reproduced_exactly(prep: Prepared) -> None:
    committed = {t["id"]: t for t in COMMITTED["targets"]}
    assert [t.id for t in prep.targets] == list(committed)
    for t in prep.targets:
        assert t.spells == committed[t.id]["spells"]
        assert t.data == pytest.approx(committed[t.id]["data"], abs=1e-9)
        assert t.se == pytest.approx(committed[t.id]["se"], abs=1e-9)


def test_the_model_reproduces_the_committed_targets(prep: Prepared, calibrated: Parameters) -> None:
    model = model_values(calibrated, prep, prep.targets)
    committed = np.array([t["model"] for t in COMMITTED["targets"]])
    assert np.max(np.abs(model - committed)) < TARGET_TOLERANCE


def test_a_quick_refit_lands_near_the_committed_values(prep: Prepared) -> None:
    params, info = fit(prep)
    for name, scale in FITTED.items():
        got, want = params.v(name), COMMITTED["values"][name]
        if scale == "log":
            assert abs(np.log(got / want)) < REFIT_TOLERANCE["log"], (name, got, want)
        else:
            assert abs(got - want) < REFIT_TOLERANCE["linear"], (name, got, want)
    assert info["objective"] < info["objective_start"]


def test_the_model_orders_relapse_by_war_outcome_as_the_data_do(prep: Prepared, calibrated: Parameters) -> None:
    """Every pair of war outcomes whose shares relapsed differ by more than two standard errors in a source's data
    (all its spells, 5 and 10 years) comes out in the same order in the model."""
    clear_pairs = []
    for name, sr in prep.runs.items():
        surv = survival(sr, calibrated)
        outcome = sr.spells["war_outcome"].to_numpy()
        for years in (5, 10):
            k = 12 * years
            data, se, model = {}, {}, {}
            for o in WAR_OUTCOMES:
                m = outcome == o
                data[o] = 1 - survival_before(sr.months[m], sr.event[m], [k])[0]
                se[o] = greenwood_se(sr.months[m], sr.event[m], k)
                model[o] = float(np.mean(1 - surv[m, k - 1]))
            for a, b in itertools.combinations(WAR_OUTCOMES, 2):
                if abs(data[a] - data[b]) > 2 * np.hypot(se[a], se[b]):
                    clear_pairs.append((name, years, a, b))
                    assert np.sign(model[a] - model[b]) == np.sign(data[a] - data[b]), (name, years, a, b, data, model)
    assert ("ucdp", 5, "truce", "victory") in [(n, y, *sorted((a, b))) for n, y, a, b in clear_pairs]


def test_out_of_sample_backtest_beats_the_base_rate(prep: Prepared, calibrated: Parameters) -> None:
    scores = evaluate(calibrated, prep)["out_of_sample"]
    for name in ("ucdp", "doyle_sambanis"):
        s = scores[name]
        assert s["brier_2y"] < s["brier_2y_base"], (name, s)
        assert s["brier_5y"] < s["brier_5y_base"], (name, s)
        assert s["c_index"] > 0.5


def test_report_figure_and_tables(prep: Prepared, calibrated: Parameters, tmp_path: Path) -> None:
    cal = Calibration(**COMMITTED)
    assert figure_png(prep, calibrated, cal)[:8] == b"\x89PNG\r\n\x1a\n"
    text = markdown(cal, prep, calibrated)
    assert "| relapse_base_truce |" in text and "out-of-sample" in text
    comp = comparison(prep, calibrated)
    assert set(comp["source"]) == {"ucdp", "doyle_sambanis"}
    write_calibration(cal, tmp_path / "c.json")
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["values"] == COMMITTED["values"]


def test_defaults_fit_worse_than_the_calibration(prep: Prepared, calibrated: Parameters) -> None:
    from endstate.calibrate import residuals

    assert np.sum(residuals(calibrated, prep) ** 2) < np.sum(residuals(DEFAULTS, prep) ** 2)


def test_cli_calibrate_needs_the_data(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["calibrate", "--data-dir", str(tmp_path), "--out", str(tmp_path / "c.json")])
    assert r.exit_code == 2
    err = r.stderr.replace("\n", "")  # Rich wraps long paths
    assert "missing input file(s)" in err and "ucdp_termination_v3_2021.csv" in err
    r = runner.invoke(app, ["calibrate", "--data-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path / "c.json")])
    assert r.exit_code == 2 and "is not a folder" in " ".join(r.stderr.split())
    assert not (tmp_path / "c.json").exists()
