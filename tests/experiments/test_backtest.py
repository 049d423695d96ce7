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
        row(prior_relapses=3),
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


def test_a_countrys_earlier_failed_peaces_come_from_the_whole_file_and_raise_its_risk() -> None:
    first = row(case_id="x-1", country="X", peace_start=pd.Timestamp("1990-01-15"), end_date=pd.Timestamp("1993-01-15"), relapsed=1)
    again = row(case_id="x-2", country="X", peace_start=pd.Timestamp("1995-01-15"), end_date=pd.Timestamp("2004-01-15"))
    elsewhere = row(case_id="y-1", country="Y", peace_start=pd.Timestamp("1995-01-15"), end_date=pd.Timestamp("2004-01-15"))
    sr = bt.simulate_spells(pd.DataFrame([first, again, elsewhere]), runs=30, horizon=36)
    assert [s.prior_relapses for s in sr.statics] == [0, 1, 0]
    assert sr.group[1] == sr.group[2]  # same shape: the count enters only the static hazard
    params = DEFAULTS.with_values(relapse_prior_relapses=0.5)
    surv = bt.survival(sr, params)
    h1 = 1 - surv[1, 0]
    h2 = 1 - surv[2, 0]
    assert h1 / h2 == pytest.approx(2.0**0.5, rel=1e-9)  # first month: the hazard itself, times (1 + 1) ** b


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
    assert "none.csv: file not found" in result.stderr



def test_relapse_definitions_are_read_per_spell() -> None:
    frame = pd.DataFrame({"relapse_definition": ["conflict", "war", "", None, "500"]})
    assert bt.relapse_thresholds(frame).tolist() == [25.0, 1000.0, 25.0, 25.0, 500.0]
    assert bt.relapse_thresholds(pd.DataFrame({"x": [1, 2]})).tolist() == [25.0, 25.0]  # the documented default
    with pytest.raises(ValueError, match="relapse_definition 'often'"):
        bt.relapse_thresholds(pd.DataFrame({"relapse_definition": ["often"]}))
    with pytest.raises(ValueError, match="positive"):
        bt.relapse_thresholds(pd.DataFrame({"relapse_definition": ["-3"]}))


def test_a_war_definition_counts_fewer_relapses_than_a_conflict_definition() -> None:
    """The same spell predicted under UCDP's definition (25) and under a war's (1,000): a resumed conflict after a
    small war seldom reaches 1,000 battle deaths a year, so far fewer war recurrences than conflict recurrences."""
    spell = row(war_outcome="truce", war_deaths=2000.0)
    spells = pd.DataFrame([spell, spell | {"case_id": "u"}]).assign(relapse_definition=["conflict", "war"])
    sr = bt.simulate_spells(spells, runs=50, seed=1, horizon=60, params=DEFAULTS)
    surv = bt.survival(sr, DEFAULTS)
    conflict, war = 1 - surv[0, -1], 1 - surv[1, -1]
    assert 0 < war < 0.5 * conflict
    # the engine measured on its simulated deaths agrees in kind: war recurrence only where conflict recurred
    o = simulate(spell_spec(spell, 60), 200, seed=1, params=DEFAULTS).outcomes
    assert (o["war_recurrence"] <= o["conflict_recurrence"]).all()
    assert o["war_recurrence"].mean() < o["conflict_recurrence"].mean()
    assert ((o["war_recurrence_month"] >= o["conflict_recurrence_month"]) | (o["war_recurrence_month"] < 0)).all()


def test_read_spells_keeps_a_relapse_definition(tmp_path: Path) -> None:
    from endstate.data import read_spells

    lines = SPELLS.strip().splitlines()
    header = lines[0].replace(",extra", ",relapse_definition")
    body = [ln.rsplit(",", 1)[0] + "," + d for ln, d in zip(lines[1:], ["war", "conflict", "", "1000", "war", "conflict"], strict=True)]
    path = tmp_path / "s.csv"
    path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    df = read_spells(path)
    assert bt.relapse_thresholds(df).tolist() == [1000.0, 25.0, 25.0, 1000.0, 1000.0, 25.0]


def test_read_spells_refuses_an_unknown_relapse_definition(tmp_path: Path) -> None:
    from endstate.data import SpellFileError, read_spells

    lines = SPELLS.strip().splitlines()
    body = [ln.rsplit(",", 1)[0] + "," + d for ln, d in zip(lines[1:], ["war", "often", "", "", "", ""], strict=True)]
    path = tmp_path / "s.csv"
    path.write_text("\n".join([lines[0].replace(",extra", ",relapse_definition"), *body]) + "\n", encoding="utf-8")
    with pytest.raises(SpellFileError, match="relapse_definition 'often'"):
        read_spells(path)
