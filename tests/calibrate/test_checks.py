"""Tests for the calibration checks: battle deaths against troop levels, and mission durations.

The estimators are tested on small panels with known answers; the data side
against the committed record (exactly; skipped without ``../shared/data``); the
model side against the committed record within simulation tolerance.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from endstate.calibrate import CALIBRATED_PATH, load_sources
from endstate.calibrate.durations import (
    consent_at_requests,
    duration_check,
    duration_table,
    exit_reason_shares,
    km_median,
    simulated_durations,
    un_durations,
)
from endstate.calibrate.report import checks_figure_png, checks_markdown
from endstate.calibrate.smm import Calibration
from endstate.calibrate.troops import by_personnel, host_panel, lagged_fe, simulated_panel, since_mission, troop_check
from endstate.calibrate.war_duration import calibrate_war_termination, fit_war_termination
from endstate.data import read_battle_deaths, read_ipi_mission_month, read_un_operations
from endstate.experiments.spell_mission import (
    BENCHMARK_GOALS,
    ELECTION_MONTHS,
    HOST_CONSENT_FLOOR,
    MANDATE_AFTER_ELECTION_MONTHS,
    benchmark_exit,
    spell_spec,
)
from endstate.model.params import load_parameters

COMMITTED = json.loads(CALIBRATED_PATH.read_text(encoding="utf-8"))
CHECKS = COMMITTED["fit"]["checks"]


# --- the estimators, on panels with known answers -------------------------------------------------------------


def _ar_panel(beta: float, rho: float, units: int = 300, years: int = 25, seed: int = 1) -> pd.DataFrame:
    """log(1 + deaths) = unit effect + beta * log(1 + personnel last year) + rho * log(1 + deaths last year) + noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(units):
        alpha = rng.normal(2.0, 1.0)
        lp = np.log1p(rng.choice([0.0, 500.0, 5000.0], size=years))
        ld = np.zeros(years)
        ld[0] = alpha
        for t in range(1, years):
            ld[t] = alpha + beta * lp[t - 1] + rho * ld[t - 1] + rng.normal(0.0, 0.5)
        for t in range(years):
            rows.append((f"u{u}", 1990 + t, np.expm1(lp[t]), np.expm1(ld[t])))
    return pd.DataFrame(rows, columns=["unit", "year", "personnel", "battle_deaths"]).set_index(["unit", "year"])


def test_lagged_fe_recovers_known_coefficients() -> None:
    panel = _ar_panel(beta=-0.2, rho=0.3)
    e = lagged_fe(panel, dynamic=True)
    # within estimates of an autoregression carry a Nickell bias of order 1/T; 25 years keeps it small
    assert e.personnel == pytest.approx(-0.2, abs=0.03)
    assert e.persistence == pytest.approx(0.3, abs=0.06)
    assert 0 < e.personnel_se < 0.02
    assert e.units == 300 and e.observations == 300 * 24
    assert e.long_run == pytest.approx(e.personnel / (1 - e.persistence))
    static = lagged_fe(panel, dynamic=False)
    assert np.isnan(static.persistence) and static.as_dict()["persistence"] is None


def test_lagged_fe_sees_no_effect_where_there_is_none() -> None:
    e = lagged_fe(_ar_panel(beta=0.0, rho=0.5, seed=7))
    assert abs(e.personnel) < 3 * e.personnel_se + 0.01


def test_lagged_fe_refuses_a_panel_without_variation() -> None:
    idx = pd.MultiIndex.from_product([["a", "b"], [2000, 2001, 2002]], names=["unit", "year"])
    flat = pd.DataFrame({"personnel": 0.0, "battle_deaths": 10.0}, index=idx)
    with pytest.raises(ValueError, match="no variation"):
        lagged_fe(flat)


def test_host_panel_averages_months_splits_shared_deaths_and_keeps_hosts_only() -> None:
    months = pd.date_range("2000-01-31", periods=24, freq="ME")
    ipi = pd.DataFrame(
        {"date": list(months) * 2, "mission": ["M1"] * 24 + ["M2"] * 24, "iso3": ["LBR"] * 24 + ["HTI"] * 24,
         "total": [1200.0] * 12 + [0.0] * 12 + [100.0] * 24}
    )
    bd = pd.DataFrame({"gwno_loc": ["450", "450, 41"], "year": [2001, 2000], "bd_best": [30, 100]})
    p = host_panel(ipi, bd, floor=500, years=(2000, 2001))
    assert sorted(p.index.get_level_values(0).unique()) == ["LBR"]  # Haiti's 100 never reached the floor
    assert p.loc[("LBR", 2000), "personnel"] == pytest.approx(1200.0)
    assert p.loc[("LBR", 2001), "personnel"] == 0.0
    assert p.loc[("LBR", 2000), "battle_deaths"] == pytest.approx(50.0)  # half of a dyad fought in Liberia and Haiti
    assert p.loc[("LBR", 2001), "battle_deaths"] == pytest.approx(30.0)
    bins = by_personnel(p)
    assert bins.loc["1,001-5,000", "unit_years"] == 1 and bins.loc["1,001-5,000", "mean_deaths"] == pytest.approx(30.0)


def test_since_mission_keeps_each_unit_from_its_first_mission_year() -> None:
    idx = pd.MultiIndex.from_product([["a", "b", "c"], range(2000, 2005)], names=["unit", "year"])
    personnel = [0, 0, 300, 0, 900, 50, 600, 600, 0, 0, 0, 0, 0, 0, 0]
    p = pd.DataFrame({"personnel": personnel, "battle_deaths": range(15)}, index=idx, dtype=float)
    got = since_mission(p)
    assert list(got.index) == [("a", 2002), ("a", 2003), ("a", 2004), *[("b", y) for y in range(2000, 2005)]]  # c never hosted
    assert list(since_mission(p, floor=500.0).index) == [("a", 2004), *[("b", y) for y in range(2001, 2005)]]


def test_duration_table_is_kaplan_meier() -> None:
    df = pd.DataFrame(
        {"mission_type": ["observer"] * 4 + ["multidimensional"] * 2, "months": [6, 12, 30, 200, 50, 70],
         "ended": [True, True, True, False, True, False], "start": pd.to_datetime(["1995-01-01"] * 4 + ["1992-01-01", "2004-01-01"])}
    )
    t = duration_table(df, eras=True)
    assert t.loc["observer", "n"] == 4 and t.loc["observer", "ended"] == 3
    assert t.loc["observer", "median_months"] == 12  # half had left by month 12
    assert t.loc["observer", "present_2y"] == pytest.approx(0.5) and t.loc["observer", "present_10y"] == pytest.approx(0.25)
    assert t.loc["multidimensional, started from 2000", "n"] == 1
    assert np.isnan(km_median(np.array([100, 120]), np.array([False, False])))  # nobody left: no median


def test_exit_reasons_are_shared_out_by_type_era_and_among_the_runs_that_left() -> None:
    df = pd.DataFrame(
        {"mission_type": ["multidimensional"] * 4 + ["observer"], "ended": [True, True, True, False, False],
         "exit_reason": ["deadline", "thresholds_met", "thresholds_met", "running", "running"],
         "start": pd.to_datetime(["1992-01-01", "2004-01-01", "2005-01-01", "2006-01-01", "2001-01-01"])}
    )
    s = exit_reason_shares(df)
    assert s["observer"] == {"running": 1.0}
    assert s["multidimensional"] == {"thresholds_met": 0.5, "deadline": 0.25, "running": 0.25}
    assert s["multidimensional, started before 2000"] == {"deadline": 1.0}
    assert s["multidimensional, started from 2000"] == pytest.approx({"thresholds_met": 2 / 3, "running": 1 / 3}, abs=1e-4)
    assert s["multidimensional, runs that left"] == pytest.approx({"thresholds_met": 2 / 3, "deadline": 1 / 3}, abs=1e-4)


def test_the_end_state_spell_mapping_hands_over_on_the_benchmarks() -> None:
    row = {
        "case_id": "x-1", "country": "Somewhere", "peace_start": pd.Timestamp("2001-01-01"), "end_date": pd.Timestamp("2011-01-01"),
        "war_outcome": "settlement", "war_deaths": 20000.0, "war_duration_years": 5.0, "ethnic_war": 1,
        "mission_type": "multidimensional", "mission_org": "un", "mission_start": pd.NaT, "mission_end": pd.NaT, "relapsed": False,
    }
    spec = spell_spec(row, horizon=120, exit_rule="end_state")
    assert spec.exit.strategy == "end_state" and spec.exit.end_date is None
    assert [g.id for g in spec.goals] == [g["id"] for g in BENCHMARK_GOALS]
    done = {a.task for a in spec.tasks.assignments}
    assert set(spec.exit.handover[0].tasks) == done
    assert spec.exit.triggers.deadline is None and spec.exit.triggers.host_consent is not None
    assert spell_spec(row, horizon=120).exit.strategy == "end_date"
    with pytest.raises(ValueError, match="exit_rule"):
        spell_spec(row, exit_rule="whenever")


# --- against the reference data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ucdp_spells(data_dir: Path) -> pd.DataFrame:
    return load_sources(data_dir)["ucdp"].spells


def test_troop_data_moment_is_reproduced_exactly(data_dir: Path) -> None:
    p = host_panel(read_ipi_mission_month(data_dir / "ipi_mission_month.csv"), read_battle_deaths(data_dir / "ucdp_battle_deaths_dyadic.csv"))
    got = lagged_fe(p).as_dict()
    for k, v in CHECKS["battle_deaths_vs_personnel"]["data"]["dynamic"].items():
        assert got[k] == pytest.approx(v, rel=1e-9), k


def test_duration_data_moment_is_reproduced_exactly(data_dir: Path) -> None:
    d = un_durations(read_un_operations(data_dir / "un_peacekeeping_operations.csv"), read_ipi_mission_month(data_dir / "ipi_mission_month.csv"))
    assert not d["mission"].duplicated().any() and (d["months"] >= 1).all()
    t = duration_table(d, eras=True)
    for group, row in CHECKS["mission_durations"]["data"].items():
        assert int(t.loc[group, "n"]) == row["n"], group
        assert t.loc[group, "present_5y"] == pytest.approx(row["present_5y"], abs=1e-4), group


def test_model_checks_match_the_committed_record(data_dir: Path, ucdp_spells: pd.DataFrame) -> None:
    prov = COMMITTED["provenance"]
    runs = max(10, prov["runs_per_shape"] // 5)
    params = load_parameters()
    model = lagged_fe(simulated_panel(ucdp_spells, params, runs, prov["seed"], 2))
    committed = CHECKS["battle_deaths_vs_personnel"]["model"]["dynamic"]
    assert model.personnel == pytest.approx(committed["personnel"], abs=1e-9)  # same runs, same seed: the same numbers
    durs = duration_table(simulated_durations(ucdp_spells, params, runs, prov["seed"], 2), eras=True)
    for group, row in CHECKS["mission_durations"]["model"].items():
        assert durs.loc[group, "present_5y"] == pytest.approx(row["present_5y"], abs=1e-4), group


def test_the_troop_check_records_its_distance_from_the_data() -> None:
    tc = CHECKS["battle_deaths_vs_personnel"]
    d, m = tc["data"]["dynamic"], tc["model"]["dynamic"]
    assert tc["difference_in_data_se"] == pytest.approx((m["personnel"] - d["personnel"]) / d["personnel_se"])
    assert {s["parameter"] for s in tc["sensitivity"]} == {"coverage_violence_effect", "relapse_coverage"}


# --- how long resumed wars last ----------------------------------------------------------------------------------


def test_war_termination_rate_is_the_exponential_maximum_likelihood() -> None:
    eps = pd.DataFrame({"months": [10.0, 30.0, 20.0, 40.0], "ended": [True, True, True, False]})
    rate, rec = fit_war_termination(eps)
    assert rate == pytest.approx(3 / 100.0)
    assert rec["median_months_ended_episodes"] == 20.0 and rec["episodes"] == 4
    with pytest.raises(ValueError, match="cannot be fitted"):
        fit_war_termination(eps.assign(ended=False))


def test_war_termination_rate_is_reproduced_from_ucdp(data_dir: Path) -> None:
    values, rec = calibrate_war_termination(data_dir)
    assert values["war_termination_rate"] == pytest.approx(COMMITTED["values"]["war_termination_rate"], rel=1e-5)
    assert rec["ended"] == COMMITTED["fit"]["war_termination"]["ended"]
    assert load_parameters().v("war_termination_rate") == pytest.approx(values["war_termination_rate"], rel=1e-5)


def test_checks_report_and_figure() -> None:
    cal = Calibration(**COMMITTED)
    assert checks_figure_png(cal)[:8] == b"\x89PNG\r\n\x1a\n"
    text = checks_markdown(cal)
    assert "multidimensional, started from 2000" in text and "coverage_violence_effect = 0.5" in text


def test_model_durations_carry_the_spell_start_and_split_by_era(ucdp_spells: pd.DataFrame) -> None:
    multi = ucdp_spells[ucdp_spells["mission_type"] == "multidimensional"]
    year = pd.to_datetime(multi["peace_start"]).dt.year
    two = pd.concat([multi[year < 2000].head(1), multi[year >= 2000].head(1)])
    model = simulated_durations(two, load_parameters(), runs=3, horizon=24)
    assert (model.groupby("case_id")["start"].first() == pd.to_datetime(two.set_index("case_id")["peace_start"])).all()
    t = duration_table(model, eras=True)
    assert t.loc["multidimensional, started before 2000", "n"] == 3 and t.loc["multidimensional, started from 2000", "n"] == 3


def test_missions_of_the_calendar_era_leave_by_their_mandate_end(ucdp_spells: pd.DataFrame) -> None:
    multi = ucdp_spells[ucdp_spells["mission_type"] == "multidimensional"]
    early = multi[pd.to_datetime(multi["peace_start"]).dt.year < 2000].head(2)
    model = simulated_durations(early, load_parameters(), runs=5, horizon=240)
    end = ELECTION_MONTHS + MANDATE_AFTER_ELECTION_MONTHS
    assert model["ended"].all() and (model["months"] <= end).all()
    assert (model.loc[model["months"] == end, "exit_reason"] == "deadline").all() and (model["exit_reason"] == "deadline").any()


def test_check_records_are_json(data_dir: Path, ucdp_spells: pd.DataFrame) -> None:
    few = ucdp_spells[ucdp_spells["mission_type"] == "multidimensional"].head(3)
    params = load_parameters()
    rec = {"t": troop_check(data_dir, few, params, runs=5), "d": duration_check(data_dir, few, params, runs=5)}
    json.dumps(rec, allow_nan=False)


def test_the_generic_consent_floor_is_where_the_library_hosts_asked() -> None:
    levels = consent_at_requests(runs=200, seed=0)
    assert set(levels) == {"chad_car_minurcat", "eritrea_ethiopia_unmee", "mali_minusma"}
    assert round(float(np.median(list(levels.values()))), 2) == HOST_CONSENT_FLOOR  # re-derive it if the model changes
    assert benchmark_exit([])["triggers"]["host_consent"]["floor"] == HOST_CONSENT_FLOOR  # and the generic plan uses it
