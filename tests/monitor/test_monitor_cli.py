"""``endstate monitor``: build, check, status, forecast; bad input is exit 2 with no traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from endstate.cli import app

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
    r = runner.invoke(app, ["monitor", "forecast", str(case_path), str(obs), "--particles", "200", "--no-strategies", "-o", str(out)])
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


def test_build_from_ged_releases_ipi_and_sheet(tmp_path: Path, case_path: Path) -> None:
    head = "id,date_start,country,adm_1,type_of_violence,best,low,high\n"
    old = tmp_path / "GEDEvent_v23_1.csv"
    old.write_text(head + "1,2015-01-05,Central African Republic,Ouaka province,1,10,10,10\n2,2015-01-09,Central African Republic,Bangui province,3,4,4,4\n", encoding="utf-8")
    new = tmp_path / "GEDEvent_v24_0_1.csv"
    new.write_text(head + "1,2015-01-05,Central African Republic,Ouaka province,1,12,12,12\n3,2015-01-20,Central African Republic,Ouaka province,1,1,1,1\n", encoding="utf-8")
    ipi = tmp_path / "ipi.csv"
    ipi.write_text("date,mission,mission.iso3.alpha,troops,police,observers,total\n2015-01-31,MINUSCA,CAF,8000,1500,,9500\n", encoding="utf-8")
    sheet = tmp_path / "cpas.csv"
    sheet.write_text("month,legitimacy\n2015-01,0.3\n", encoding="utf-8")
    out = tmp_path / "obs.csv"
    r = runner.invoke(app, ["monitor", "build", str(case_path), "--ged", str(old), "--ged", str(new), "--ipi", str(ipi), "--mission", "MINUSCA", "--sheet", str(sheet), "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "2015-01,country,battle_deaths,13,UCDP GED,24.0.1" in text  # the newer release's counts
    assert "civilian_deaths" not in text  # event 2 dropped by the newer release, which covers its date; no one-sided event is left
    assert "2015-01,country,personnel,9500,IPI" in text and "legitimacy,0.3,cpas.csv" in text
