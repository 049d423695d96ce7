"""Peace after exit (and its Kaplan-Meier against the relapse columns), monthly bands and the summary table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from endstate.engine.runner import Results
from endstate.outcomes.survival import kaplan_meier, survival_at
from endstate.report.stats import monthly_bands, observed_series, peace_after_exit, summary_table
from endstate.types import EXIT_REASONS


def test_peace_after_exit_hand_example():
    o = pd.DataFrame(
        {
            "exit_month": [-1, 20, 30, 24, 12],
            "relapse_month": [10, 15, -1, 54, 12],
            "months_observed_after_exit": [0, 120, 120, 120, 120],
        }
    )
    durations, events = peace_after_exit(o)
    # running run left out; relapse in mission -> event at 0; no relapse -> censored at 120;
    # relapse 30 months after exit; relapse in the exit month -> event at 0.
    assert durations.tolist() == [0, 120, 30, 0]
    assert events.tolist() == [True, False, True, True]


def test_kaplan_meier_matches_relapse_columns(strategy_results):
    # every exited run is observed 10 years, so KM at 5 and 10 years is 1 - mean(relapse_Ny).
    # A strategy whose runs all run past the short test horizon has nothing to compare.
    compared = 0
    for res in strategy_results.values():
        o = res.outcomes
        exited = o[o["exit_month"] >= 0]
        if exited.empty:
            continue
        compared += 1
        times, surv = kaplan_meier(*peace_after_exit(o))
        assert survival_at(times, surv, 59.999) == pytest.approx(1 - exited["relapse_5y"].mean())
        assert survival_at(times, surv, 119.999) == pytest.approx(1 - exited["relapse_10y"].mean())
    assert compared >= 2


def test_summary_table_against_pandas(strategy_results):
    for res in strategy_results.values():
        o = res.outcomes
        s = summary_table(res)
        json.dumps(s, allow_nan=False)
        exited = o[o["exit_month"] >= 0]
        assert s["runs_exited"] == len(exited)
        assert s["share_running"] == round((o["exit_reason"] == "running").mean(), 4)
        if exited.empty:  # nothing to summarise after exit: None, never NaN
            assert s["p_peace_holds_5y"] is None and s["months_to_exit_median"] is None
        else:
            assert s["p_peace_holds_5y"] == round(1 - exited["relapse_5y"].mean(), 4)
            assert s["p_peace_holds_10y"] == round(1 - exited["relapse_10y"].mean(), 4)
            assert s["months_to_exit_median"] == round(exited["exit_month"].median(), 1)
            assert s["months_to_exit_p05"] == round(float(exited["exit_month"].quantile(0.05)), 1)  # Python rounding of the float, as the table does
            assert s["months_to_exit_p95"] == round(float(exited["exit_month"].quantile(0.95)), 1)
        assert s["cost_usd_m_median"] == round(o["cost_usd"].median() / 1e6, 1)
        assert s["battle_deaths_mean"] == round(o["battle_deaths"].mean(), 1)
        assert s["civilian_deaths_mean"] == round(o["civilian_deaths"].mean(), 1)
        assert s["mission_fatalities_mean"] == round(o["mission_fatalities"].mean(), 2)
        shares = s["exit_reason_shares"]
        assert list(shares) == list(EXIT_REASONS)
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
        assert shares == pytest.approx(o["exit_reason"].astype(str).value_counts(normalize=True).reindex(EXIT_REASONS, fill_value=0).to_dict(), abs=5e-5)


def test_summary_table_when_no_run_exited(strategy_results):
    res = next(iter(strategy_results.values()))
    o = res.outcomes.copy()
    o["exit_month"] = -1
    o["exit_reason"] = pd.Categorical(["running"] * len(o), categories=list(EXIT_REASONS))
    s = summary_table(Results(o, res.events, res.series, res.meta))
    json.dumps(s, allow_nan=False)
    assert s["runs_exited"] == 0 and s["share_running"] == 1.0
    assert s["p_peace_holds_5y"] is None and s["months_to_exit_median"] is None


def test_series_stop_when_a_run_is_no_longer_simulated(strategy_results, horizon):
    running_seen = 0
    for res in strategy_results.values():
        kept = observed_series(res)
        last = kept.groupby("run")["month"].max()
        o = res.outcomes.set_index("run").loc[last.index]
        exited = o["exit_month"] >= 0
        assert (last[exited] == (o["exit_month"] + o["months_observed_after_exit"] - 1)[exited]).all()
        assert (last[~exited] == horizon - 1).all()
        running_seen += int((~exited).sum())
    assert running_seen > 0


def test_monthly_bands_are_ordered(strategy_results):
    for res in strategy_results.values():
        b = monthly_bands(res, "domestic_force_per_1000")
        assert not b.empty
        q = b[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
        assert (np.diff(q, axis=1) >= -1e-12).all()
        sampled = res.series["run"].nunique()
        assert b["n"].between(sampled / 2, sampled).all()
