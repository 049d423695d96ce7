"""The monitoring report page."""

from __future__ import annotations

from monitor_support import country_deaths as _obs

from endstate.monitor.filter import FilterSettings, assimilate
from endstate.monitor.forecast import forecast_summary
from endstate.monitor.report import render_monitor_report
from endstate.monitor.status import goal_status
from endstate.spec import MissionSpec


def test_report_has_fan_charts_clock_and_diagnostics(spec: MissionSpec) -> None:
    obs = _obs(spec, [15.0, 12.0, 30.0, 8.0])
    f = assimilate(spec, obs, FilterSettings(particles=200), horizon=30)
    page = render_monitor_report(f, obs, forecast_summary(f), goal_status(spec, obs), None)
    assert page.count("data:image/png") == f.bands["series"].nunique() + 2
    assert "resampling events" in page and spec.mission.name.replace("-", "-") in page
