"""Tests for endstate.experiments.backtest and the ``endstate backtest`` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from endstate.cli import app
from endstate.engine.runner import simulate
from endstate.experiments import backtest as bt
from endstate.experiments.spell_mission import spell_inputs, spell_spec
from endstate.model.params import DEFAULTS

SPELLS = """case_id,country,peace_start,war_outcome,war_deaths,war_duration_years,ethnic_war,mission_type,mission_org,mission_start,mission_end,end_date,relapsed,extra
a,Alpha,1990-01-10,truce,2000,3,1,none,none,,,1992-06-01,1,x
b,Beta,1991-05-01,settlement,40000,8,0,multidimensional,un,1991-04-01,1994-05-01,2003-01-01,0,y
c,Gamma,1992-02-01,victory,,,,,,,,2001-02-01,0,
d,Delta,1993-07-15,truce,800,1,0,observer,regional,1993-09-01,,1995-01-01,1,
e,Epsilon,1994-03-01,settlement,15000,5,1,enforcement,lead_state,1994-03-01,1996-03-01,1999-09-01,1,
f,Zeta,1995-11-30,victory,300,0.5,0,none,none,,,2000-11-30,0,
"""


def row(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "case_id": "t", "country": "T", "peace_start": pd.Timestamp("2000-01-15"), "war_outcome": "truce", "war_deaths": 3000.0,
        "war_duration_years": 2.0, "ethnic_war": 1, "mission_type": "none", "mission_org": "none", "mission_start": pd.NaT,
        "mission_end": pd.NaT, "end_date": pd.Timestamp("2004-01-15"), "relapsed": 0,
    }
    return base | kw


@pytest.mark.parametrize(
    "spell",
    [
        row(),
        row(mission_type="multidimensional", mission_org="un", mission_start=pd.Timestamp("2000-01-15"), mission_end=pd.Timestamp("2002-01-15")),
        row(mission_type="enforcement", mission_org="lead_state", war_outcome="victory"),
    ],
)
@pytest.mark.parametrize("params", [DEFAULTS, DEFAULTS.with_values(relapse_base_truce=0.04, relapse_base_victory=0.02, relapse_coverage=2.5, relapse_time_decay=0.2)])
def test_recorded_paths_give_the_engines_relapse_months_run_by_run(spell: dict[str, Any], params: Any) -> None:
    horizon, runs, seed = 36, 120, 7
    spec = spell_spec(spell, horizon)
    engine = simulate(spec, runs, seed=seed, params=params, series_runs=0).outcomes["relapse_month"].to_numpy()
    engine = np.where(engine < horizon, engine, -1)
    _, static = spell_inputs(spell, horizon)
    paths = bt.record_paths(spec, runs, seed, horizon, params)
    mine = bt.relapse_months(paths, bt.static_hazards([static], params), params)[0]
    np.testing.assert_array_equal(mine, engine)
    assert (engine >= 0).any()


def test_path_survival_is_the_expectation_of_the_sampled_relapses() -> None:
    spell = row(war_outcome="truce")
    params = DEFAULTS.with_values(relapse_base_truce=0.03)
    spec = spell_spec(spell, 60)
    paths = bt.record_paths(spec, 500, 3, 60, params)
    static = bt.static_hazards([spell_inputs(spell, 60)[1]], params)
    months = bt.relapse_months(paths, static, params)[0]
    surv = bt.path_survival(paths, static, params)[0]
    for t in (11, 23, 59):
        sampled = np.mean((months >= 0) & (months <= t))
        p = 1 - surv[t]
        assert abs(sampled - p) < 4 * np.sqrt(p * (1 - p) / 500)


def test_ucdp_entry_rule_conditions_predictions() -> None:
    spells = pd.DataFrame([row(peace_start=pd.Timestamp("1995-12-15")), row(peace_start=pd.Timestamp("1995-01-01"))])
    assert bt.entry_months(spells, "ucdp").tolist() == [12, 24]
    assert bt.entry_months(spells).tolist() == [0, 0]
    sr = bt.simulate_spells(spells, runs=50, horizon=36, entry="ucdp")
    surv = bt.survival(sr, DEFAULTS)
    assert (surv[0, :12] == 1).all() and (surv[1, :24] == 1).all()
    assert surv[0, 12] < 1 and surv[1, 24] < 1
    plain = bt.survival(bt.simulate_spells(spells, runs=50, horizon=36), DEFAULTS)
    np.testing.assert_allclose(surv[0, 20], plain[0, 20] / plain[0, 11])


def test_backtest_scores_every_spell(tmp_path: Path) -> None:
    from endstate.data import read_spells

    path = tmp_path / "spells.csv"
    path.write_text(SPELLS, encoding="utf-8")
    res = bt.backtest(read_spells(path), runs=40, seed=1)
    assert list(res.cases["case_id"]) == list("abcdef")
    for y in (1, 2, 5):
        p = res.cases[f"p_relapse_{y}y"]
        assert ((p >= 0) & (p <= 1)).all()
    assert (res.cases["p_relapse_5y"] >= res.cases["p_relapse_1y"]).all()
    m = res.metrics
    assert 0 <= m["brier_2y"] <= 1 and 0 <= m["c_index"] <= 1
    assert set(res.survival["by"]) == {"war_outcome", "peacekeepers"}
    assert set(res.survival["years"]) == {1, 2, 5, 10}
    page = bt.html_report(res, "spells.csv")
    assert "data:image/png;base64," in page and "<td>f</td>" in page


runner = CliRunner()


def test_cli_backtest_json_and_report(tmp_path: Path) -> None:
    path = tmp_path / "spells.csv"
    path.write_text(SPELLS, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["backtest", str(path), "--runs", "30", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"brier_2y", "brier_2y_base", "brier_5y", "brier_5y_base", "c_index"} <= set(data["metrics"])
    assert {"case_id", "p_relapse_1y", "p_relapse_2y", "p_relapse_5y"} <= set(data["cases"][0])
    assert len(data["cases"]) == 6
    assert (out / "report.html").read_text(encoding="utf-8").count("base64,") == 1
    assert (out / "cases.csv").is_file() and (out / "backtest.json").is_file()
    text = runner.invoke(app, ["backtest", str(path), "--runs", "20", "--ucdp-rule"])
    assert text.exit_code == 0 and "Brier" in text.stdout


def test_cli_backtest_refuses_a_bad_file_listing_every_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "case_id,country,peace_start,war_outcome,end_date\n"
        "a,Alpha,2000-01-01,stalemate,2003-01-01\n"
        "b,Beta,2000-01-01,truce,1999-01-01\n",
        encoding="utf-8",
    )

    def no_simulation(*a: Any, **k: Any) -> None:
        raise AssertionError("nothing may be simulated on a bad file")

    monkeypatch.setattr("endstate.cli.calibrate_cmds.backtest", no_simulation)
    result = runner.invoke(app, ["backtest", str(bad)])
    assert result.exit_code == 2
    err = result.stderr
    assert "3 problem(s)" in err
    assert "'relapsed': required column is missing" in err
    assert "'stalemate' is not one of" in err and ":2:" in err
    assert "end_date 1999-01-01 is before peace_start 2000-01-01" in err and ":3:" in err
    assert "Traceback" not in result.output


def test_cli_backtest_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["backtest", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr

