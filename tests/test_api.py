"""The public Python API: specs loaded and changed with validation, simulate, compare, replay, backtest; DataFrames and Figures."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from matplotlib.figure import Figure
from pydantic import ValidationError

import endstate
from endstate.experiments.changes import ChangeError

SPELLS = """case_id,country,peace_start,war_outcome,war_deaths,war_duration_years,ethnic_war,mission_type,mission_org,mission_start,mission_end,end_date,relapsed
a,Alpha,1990-01-10,truce,2000,3,1,none,none,,,1992-06-01,1
b,Beta,1991-05-01,settlement,40000,8,0,multidimensional,un,1991-04-01,1994-05-01,2003-01-01,0
c,Gamma,1992-02-01,victory,300,0.5,0,none,none,,,2000-11-30,0
"""


@pytest.fixture(scope="module")
def spec(request) -> endstate.MissionSpec:
    return endstate.load_spec(request.config.rootpath / "examples" / "east_timor_1999_lead_state.yaml")


@pytest.fixture(scope="module")
def comparison(spec) -> endstate.Comparison:
    specs = endstate.strategy_specs(spec)
    return endstate.compare({k: specs[k] for k in ("calendar_exit", "security_keeping")}, runs=80, seed=2, series_runs=20)


def test_the_api_is_documented():
    assert endstate.__doc__ and "with_changes" in endstate.__doc__
    for name in endstate.__all__:
        obj = getattr(endstate, name)
        if callable(obj) and obj.__module__ in ("endstate", "endstate.engine.runner"):
            assert obj.__doc__, name
    assert "Parameters" in (endstate.simulate.__doc__ or "") and "Returns" in (endstate.compare.__doc__ or "")


def test_with_changes_validates_and_leaves_the_original(spec):
    changed = endstate.with_changes(spec, "exit_date=2003-01-01", "resources.horizon_months=90")
    assert changed.exit.end_date.isoformat() == "2003-01-01" and changed.resources.horizon_months == 90
    assert spec.resources.horizon_months == 120
    with pytest.raises(endstate.SpecError, match="horizon_months"):
        endstate.with_changes(spec, "resources.horizon_months=-5")
    with pytest.raises(ChangeError, match="horizon_months"):
        endstate.with_changes(spec, "resources.horizon_month=5")


def test_editing_a_loaded_spec_in_place_is_validated(spec):
    copy = spec.model_copy(deep=True)
    with pytest.raises(ValidationError):
        copy.resources.horizon_months = -1
    with pytest.raises(ValidationError):
        copy.theatre.regions[0].population_share = 2.0
    copy.resources.horizon_months = 60
    assert copy.resources.horizon_months == 60


def test_simulate_returns_dataframes(spec):
    res = endstate.simulate(spec, runs=30, seed=1, series_runs=5)
    assert isinstance(res, endstate.Results)
    for frame in (res.outcomes, res.events, res.series, res.regions):
        assert isinstance(frame, pd.DataFrame) and not frame.empty
    assert res.outcomes.equals(endstate.simulate(spec, runs=30, seed=1, series_runs=5, workers=2).outcomes)


def test_compare_gives_rows_windows_a_bottom_line_and_figures(comparison):
    assert comparison.reference == "calendar_exit"
    assert comparison.rows.iloc[0]["metric"] == "P(no relapse by year 5)"
    assert {"statistic", "clock", "note", "significant"} <= set(comparison.rows.columns)
    assert list(comparison.windows.columns) == ["calendar_exit", "security_keeping"]
    assert "p_no_relapse_by_5y" in comparison.windows.index
    assert comparison.bottom_line.startswith("Over the first")
    for name in endstate.FIGURES:
        if name != "region_map":
            assert isinstance(comparison.figure(name), Figure), name
    with pytest.raises(ValueError, match="geometry"):
        comparison.figure("region_map")
    with pytest.raises(ValueError, match="exit_time"):
        comparison.figure("nope")
    assert not comparison.goals("security_keeping").empty and comparison.goals("calendar_exit").empty
    assert "mission left" in comparison.phases("security_keeping").index


def test_comparison_writes_its_report(comparison, tmp_path):
    path = comparison.write_report(tmp_path / "r.html")
    text = path.read_text(encoding="utf-8")
    assert "Fixed windows from the mission start" in text and comparison.bottom_line.split(":")[0] in text


def test_replay_and_cases():
    assert "liberia_unmil" in endstate.case_ids()
    assert endstate.load_case("liberia_unmil").mission.name.startswith("Liberia")
    rep = endstate.replay("liberia_unmil", changes=["exit_date=2010-01-01", "riot_control=all"], runs=15, seed=1)
    assert list(rep.results) == ["as it happened", "exit_date=2010-01-01", "riot_control=all", "all changes together"]
    assert set(rep.rows["strategy"]) == {"exit_date=2010-01-01", "riot_control=all", "all changes together"}
    assert {"fact", "model_probability"} <= set(rep.history.columns)


def test_backtest_from_a_spell_file(tmp_path):
    path = tmp_path / "spells.csv"
    path.write_text(SPELLS, encoding="utf-8")
    res = endstate.backtest(path, runs=20, seed=1)
    assert list(res.cases["case_id"]) == ["a", "b", "c"] and 0 <= res.metrics["c_index"] <= 1


def test_a_spec_with_geometry_gets_a_map_in_its_report(request, tmp_path):
    import json

    text = (request.config.rootpath / "examples" / "east_timor_1999_lead_state.yaml").read_text(encoding="utf-8")
    text = text.replace("\ntheatre:\n", "\ntheatre:\n  geometry: regions.geojson\n", 1)
    (tmp_path / "et.yaml").write_text(text, encoding="utf-8")
    spec = endstate.load_spec(tmp_path / "et.yaml")
    squares = [
        {"type": "Feature", "properties": {"id": r.id}, "geometry": {"type": "Polygon", "coordinates": [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]]]}}
        for i, r in enumerate(spec.theatre.regions)
    ]
    (tmp_path / "regions.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": squares}), encoding="utf-8")
    assert spec.theatre.geometry == str((tmp_path / "regions.geojson").resolve())
    specs = endstate.strategy_specs(spec)
    cmp = endstate.compare({k: specs[k] for k in ("calendar_exit", "security_keeping")}, runs=20, seed=1, series_runs=5)
    html = cmp.write_report(tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'alt="Map of violence by region"' in html and "Schematic" not in html


def test_simulate_streams_into_a_folder_keeping_only_the_share_named(spec, tmp_path):
    """A large simulation written chunk by chunk into a result folder, with only some columns kept in memory: the
    folder holds the whole result (the same tables as in memory), the returned tables the kept share of it."""
    from endstate.outcomes.folder import ResultError, verify

    whole = endstate.simulate(spec, runs=30, seed=4, chunk_size=7, series_runs=5)
    out = tmp_path / "result"
    kept = endstate.simulate(spec, runs=30, seed=4, chunk_size=7, series_runs=5, out=out, keep_columns=["run", "exit_month", "relapsed"],
                             keep_events=["exit"], keep_series=False)  # fmt: skip
    assert verify(out) == []
    pd.testing.assert_frame_equal(pd.read_parquet(out / "outcomes.parquet"), whole.outcomes, check_dtype=False, check_categorical=False)
    assert len(pd.read_parquet(out / "events.parquet")) == len(whole.events)
    assert list(kept.outcomes.columns) == ["run", "exit_month", "relapsed"]
    pd.testing.assert_frame_equal(kept.outcomes, whole.outcomes[["run", "exit_month", "relapsed"]])
    from endstate.exits.events import EV

    exits = whole.events[whole.events["event"] == EV["exit"]].reset_index(drop=True)
    assert len(exits) > 0
    pd.testing.assert_frame_equal(kept.events.reset_index(drop=True), exits)
    assert kept.series.empty and kept.meta["runs"] == 30
    with pytest.raises(ResultError, match="already holds a result"):
        endstate.simulate(spec, runs=5, out=out)
    endstate.simulate(spec, runs=5, out=out, force=True)
    assert len(pd.read_parquet(out / "outcomes.parquet")) == 5
    with pytest.raises(ValueError, match="keep_columns: unknown"):
        endstate.simulate(spec, runs=5, keep_columns=["exit_mnth"])
    with pytest.raises(ValueError, match="not a list"):
        endstate.simulate(spec, runs=5, keep_events="exit")


def test_compare_streams_each_strategy_into_a_folder_and_compares_as_the_whole(spec, tmp_path):
    """A comparison streamed into a result folder, keeping one column of each strategy: the folder holds each whole
    result and the comparison's JSON, the comparison in memory is the same as the whole one's, and what it reads is
    kept beside the column asked for."""
    from endstate.experiments.compare import COMPARED_COLUMNS
    from endstate.outcomes.folder import verify

    specs = endstate.strategy_specs(spec)
    two = {k: specs[k] for k in ("calendar_exit", "security_keeping")}
    whole = endstate.compare(two, runs=30, seed=2, chunk_size=7, series_runs=5)
    out = tmp_path / "cmp"
    lean = endstate.compare(two, runs=30, seed=2, chunk_size=7, series_runs=5, out=out, keep_columns=["relapsed"], keep_events=[], keep_series=False)
    assert verify(out) == []
    for name in two:
        pd.testing.assert_frame_equal(pd.read_parquet(out / name / "outcomes.parquet"), whole.results[name].outcomes, check_dtype=False,
                                      check_categorical=False)  # fmt: skip
        kept = lean.results[name].outcomes
        assert list(kept.columns[:1]) == ["relapsed"] and set(COMPARED_COLUMNS) <= set(kept.columns)
        assert len(kept.columns) < len(whole.results[name].outcomes.columns) and lean.results[name].series.empty
    pd.testing.assert_frame_equal(lean.rows, whole.rows)
    pd.testing.assert_frame_equal(lean.windows, whole.windows)
    assert lean.bottom_line == whole.bottom_line
    data = json.loads((out / "comparison.json").read_text())
    assert data["reference"] == "calendar_exit" and data["bottom_line"] == whole.bottom_line and len(data["rows"]) == len(whole.rows)
    with pytest.raises(ValueError, match="no strategy 'nope'"):
        endstate.compare(two, runs=5, reference="nope", out=tmp_path / "never")
    assert not (tmp_path / "never").exists()
