"""The forecast summary and the strategies continued from the filtered state."""

from __future__ import annotations

from monitor_support import country_deaths as _obs

from endstate.monitor.filter import FilterSettings, assimilate, model_month_to_period
from endstate.monitor.forecast import compare_strategies, forecast_summary
from endstate.spec import MissionSpec


def test_forecast_summary_and_strategies(spec: MissionSpec) -> None:
    f = assimilate(spec, _obs(spec, [20.0] * 4), FilterSettings(particles=200), horizon=40)
    s = forecast_summary(f)
    assert s["as_of"] == str(model_month_to_period(spec, 3)) and len(s["goals"]) == len(spec.goals)
    assert 0.0 <= s["war_within_12_months"] <= s["war_within_24_months"] <= 1.0
    comp = compare_strategies(f, months=12)
    assert list(comp["strategy"]) == ["baseline", "calendar_exit"]
    assert comp.loc[0, "paired_deaths_diff_12m"] == 0.0
