"""Results written chunk by chunk: fixed row groups, the same files for any chunk size and workers, the same tables as in memory, and the share kept."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from endstate.engine.runner import simulate, simulate_parts
from endstate.exits.events import EV
from endstate.outcomes.folder import ResultFolder
from endstate.outcomes.stream import KEEP_ALL, Keep, ParquetStream, stream_result, write_streamed
from endstate.spec import MissionSpec, deep_merge, load_spec, validate_data

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"
RUNS, HORIZON, ROW_GROUP = 2_600, 24, 700  # row groups that straddle the chunks of 1,000


@pytest.fixture(scope="module")
def spec() -> MissionSpec:
    """The default scenario observed one year after exit, to keep the runs short."""
    return validate_data(deep_merge(load_spec(EXAMPLE).model_dump(mode="json", exclude={"strategies"}), {"exit": {"post_exit_years": 1}}))


def _write(spec: MissionSpec, target: Path, workers: int, chunk: int) -> dict[str, bytes]:
    with ResultFolder(target) as folder:
        write_streamed(folder, "", simulate_parts(spec, RUNS, seed=5, workers=workers, chunk_size=chunk, series_runs=300, horizon=HORIZON), ROW_GROUP)
        folder.commit({})
    return {p.name: p.read_bytes() for p in sorted(target.glob("*.parquet"))}


def test_streamed_files_are_byte_identical_for_any_chunking_and_workers(spec: MissionSpec, tmp_path: Path) -> None:
    first = _write(spec, tmp_path / "a", 1, 1_000)
    assert set(first) == {"outcomes.parquet", "events.parquet", "series.parquet", "regions.parquet"}
    assert _write(spec, tmp_path / "b", 2, 1_000) == first
    assert _write(spec, tmp_path / "c", 1, 7_777) == first
    meta = pq.ParquetFile(tmp_path / "a" / "outcomes.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [700, 700, 700, 500]


def test_streamed_tables_are_the_in_memory_result(spec: MissionSpec, tmp_path: Path) -> None:
    _write(spec, tmp_path / "s", 2, 1_000)
    res = simulate(spec, RUNS, seed=5, chunk_size=1_000, series_runs=300, horizon=HORIZON)
    for name, frame in (("outcomes", res.outcomes), ("events", res.events), ("series", res.series), ("regions", res.regions)):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s" / f"{name}.parquet"), frame, check_exact=True, obj=name)


def test_a_stream_without_rows_writes_no_file(tmp_path: Path) -> None:
    s = ParquetStream(tmp_path / "x.parquet", 10)
    s.add(pd.DataFrame({"a": []}))
    assert not s.close() and not (tmp_path / "x.parquet").exists()


def test_a_kept_share_is_the_whole_result_projected_and_the_files_are_whole(spec: MissionSpec, tmp_path: Path) -> None:
    """stream_result writes the same files as write_streamed and keeps exactly the named columns and events."""
    keep = Keep(("run", "exit_month", "exit_reason", "relapse_by_5y"), events=("goal_met", "trigger"), series=False)
    whole = simulate(spec, RUNS, seed=5, chunk_size=1_000, series_runs=300, horizon=HORIZON)
    with ResultFolder(tmp_path / "k") as folder:
        parts = simulate_parts(spec, RUNS, seed=5, workers=2, chunk_size=1_000, series_runs=300, horizon=HORIZON)
        kept = stream_result(spec, RUNS, 5, parts, keep, folder, "x")
        folder.commit({})
    pd.testing.assert_frame_equal(kept.outcomes, whole.outcomes[list(keep.columns or ())], check_exact=True)
    codes = [EV["goal_met"], EV["trigger"]]
    assert len(kept.events) > 0
    pd.testing.assert_frame_equal(kept.events, whole.events[whole.events["event"].isin(codes)].reset_index(drop=True), check_exact=True)
    assert kept.series.empty and kept.regions.empty and kept.meta == whole.meta
    for name, frame in (("outcomes", whole.outcomes), ("events", whole.events), ("series", whole.series), ("regions", whole.regions)):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "k" / "x" / f"{name}.parquet"), frame, check_exact=True, obj=name)


def test_keeping_everything_without_a_folder_is_simulate(spec: MissionSpec) -> None:
    whole = simulate(spec, 1_200, seed=2, chunk_size=500, series_runs=50, horizon=HORIZON)
    kept = stream_result(spec, 1_200, 2, simulate_parts(spec, 1_200, seed=2, chunk_size=500, series_runs=50, horizon=HORIZON), KEEP_ALL)
    for name in ("outcomes", "events", "series", "regions"):
        pd.testing.assert_frame_equal(getattr(kept, name), getattr(whole, name), check_exact=True, obj=name)
    assert kept.meta == whole.meta


def test_flagged_runs_are_counted_whether_or_not_their_column_is_kept(spec: MissionSpec) -> None:
    part = next(simulate_parts(spec, 40, seed=1, chunk_size=40, series_runs=0, horizon=HORIZON))
    part.outcomes.loc[[3, 7], "numerical_error"] = True
    res = stream_result(spec, 40, 1, [part], Keep(("run",), events=(), series=False))
    assert res.meta["numerical_errors"] == 2 and list(res.outcomes.columns) == ["run"] and res.events.empty
