"""``endstate monitor``: build, check, status, forecast; bad input is exit 2 with no traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from endstate.cli import app
from endstate.monitor.observations import read_observations
from endstate.monitor.status import goal_status, phase_status
from endstate.spec import MissionSpec

runner = CliRunner()
ACLED = "event_id_cnty,event_date,event_type,country,admin1,fatalities\n" + "".join(
    f"E{i},2015-{1 + i % 12:02d}-0{1 + i % 9},Battles,Central African Republic,{name},{i % 4}\n" for i, name in enumerate(["Ouaka", "Bangui", "Vakaga", "Ouham"] * 6)
)


def test_build_status_forecast(tmp_path: Path, case_path: Path) -> None:
    acled = tmp_path / "acled.csv"
    acled.write_text(ACLED, encoding="utf-8")
    obs = tmp_path / "obs.csv"
    r = runner.invoke(app, ["monitor", "build", str(case_path), "--acled", str(acled), "-o", str(obs)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["monitor", "status", str(case_path), str(obs)])
    assert r.exit_code == 0 and "fighting_down" in r.output, r.output
    out = tmp_path / "fc"
    r = runner.invoke(app, ["monitor", "forecast", str(case_path), str(obs), "-n", "200", "--no-strategies", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "report.html").read_text(encoding="utf-8").count("data:image/png") >= 3
    assert "resampling events" in r.output


def test_unmapped_admin1_and_malformed_file_exit_2(tmp_path: Path, case_path: Path) -> None:
    acled = tmp_path / "acled.csv"
    acled.write_text(ACLED.replace("Vakaga", "Vakagga"), encoding="utf-8")
    r = runner.invoke(app, ["monitor", "build", str(case_path), "--acled", str(acled), "-o", str(tmp_path / "o.csv")])
    assert r.exit_code == 2 and "Vakagga" in r.output and "closest: 'Vakaga'" in r.output and "Traceback" not in r.output
    bad = tmp_path / "bad.csv"
    bad.write_text("month,region,indicator,value,source\n2015-1,country,battle_deaths,x,A\n", encoding="utf-8")
    r = runner.invoke(app, ["monitor", "forecast", str(case_path), str(bad)])
    assert r.exit_code == 2 and "2 problem(s)" in r.output and "Traceback" not in r.output


def test_status_counts_consecutive_months(tmp_path: Path, spec: MissionSpec) -> None:
    p = tmp_path / "o.csv"
    p.write_text("month,region,indicator,value,source\n2015-01,country,battle_deaths,30,A\n2015-02,country,battle_deaths,5,A\n2015-03,country,battle_deaths,4,A\n2015-04,country,civilian_deaths,1,A\n", encoding="utf-8")
    goals = goal_status(spec, read_observations(p, spec))
    g = {r["goal"]: r for r in goals}
    assert g["fighting_down"]["held_months"] == 2 and g["fighting_down"]["remaining_months"] == 4 and g["fighting_down"]["month"] == "2015-03"
    assert g["state_authority"]["latest"] is None
    phases = phase_status(spec, goals)
    assert not phases[0]["ready"] and "forces_ready" in phases[0]["waiting_for"]
