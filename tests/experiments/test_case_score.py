"""The case record as a score: probabilities of the recorded facts, the most likely reason, the base-rate baseline."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from endstate.engine.runner import Results
from endstate.experiments.case_score import CaseScore, baseline, score_case, score_library, smoothed
from endstate.types import EXIT_REASONS


def _results(reasons: list[str], exit_months: list[int], relapsed: list[bool]) -> Results:
    o = pd.DataFrame({"exit_reason": pd.Categorical(reasons, categories=list(EXIT_REASONS)), "exit_month": exit_months, "relapsed": relapsed})
    return Results(o, pd.DataFrame(), pd.DataFrame())


def test_smoothing_is_half_a_count_per_category():
    assert smoothed(0, 10, 2) == 0.5 / 11
    assert smoothed(10, 10, 2) == 10.5 / 11
    assert math.isclose(sum(smoothed(c, 10, 7) for c in [10, 0, 0, 0, 0, 0, 0]), 1.0)


def test_a_case_is_scored_by_hand():
    # Somalia: record contributor_tolerance, exit 1995-03-03 (month 22 from 1993-05-04), war resumed
    record = {"exit_reason": "contributor_tolerance", "exit_date": dt.date(1995, 3, 3), "relapse": True}
    res = _results(["contributor_tolerance", "contributor_tolerance", "collapse", "running"], [20, 40, 5, -1], [True, True, False, True])
    s = score_case("somalia_unosom2", record, res)
    assert s.recorded_exit_month == 22
    assert s.p_reason == smoothed(2, 4, len(EXIT_REASONS))
    assert s.p_exit_year == smoothed(1, 4, 2)  # only month 20 is within 12 months of 22; the running run never exited
    assert s.p_relapse == smoothed(3, 4, 2)
    assert s.most_likely_reason == "contributor_tolerance" and s.reason_is_most_likely
    assert s.reason_shares["collapse"] == 0.25


def _cs(case: str, reason: str, month: int | None, relapse: bool, p: float) -> CaseScore:
    return CaseScore(case, reason, month, relapse, 100, {}, p, None if month is None else p, p, reason)


def test_the_baseline_predicts_the_library_base_rates():
    scores = [_cs("a", "deadline", 20, True, 0.9), _cs("b", "deadline", 30, False, 0.9), _cs("c", "host_consent", 100, True, 0.9), _cs("d", "running", None, False, 0.9)]
    rates = baseline(scores)
    assert rates["exit_reason:deadline"] == 0.5 and rates["relapse"] == 0.5
    a = scores[0]
    # deadline 2 of 4; exit within a year of month 20: months 20 and 30 of the three exits; relapse 2 of 4
    expected = math.log(smoothed(2, 4, len(EXIT_REASONS))) + math.log(smoothed(2, 3, 2)) + math.log(smoothed(2, 4, 2))
    assert math.isclose(a.baseline_log_score, expected)
    assert math.isclose(a.log_score, 3 * math.log(0.9))
    assert math.isclose(scores[3].log_score, 2 * math.log(0.9))  # a running mission has no exit year to score


def test_the_library_is_scored_from_replays():
    lib, results = score_library(runs=12, seed=0, cases=["cambodia_untac", "kosovo_kfor_unmik"])
    assert [c.case for c in lib.cases] == ["cambodia_untac", "kosovo_kfor_unmik"] and set(results) == {"cambodia_untac", "kosovo_kfor_unmik"}
    d = lib.as_dict()
    assert d["library"]["n_cases"] == 2 and 0 <= d["library"]["n_reason_most_likely"] <= 2
    assert d["library"]["beats_baseline"] == (lib.mean_log_score > lib.mean_baseline_log_score)
    k = lib.cases[1]
    assert k.recorded_reason == "running" and k.p_exit_year is None
    for c in lib.cases:
        assert math.isclose(sum(c.reason_shares.values()), 1.0) and 0 < c.p_reason < 1 and c.log_score < 0
