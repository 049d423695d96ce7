"""Results written chunk by chunk: fixed row groups, the same files for any chunk size and workers, the same tables as in memory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from endstate.engine.runner import simulate, simulate_parts
from endstate.outcomes.folder import ResultFolder
from endstate.outcomes.stream import ParquetStream, write_streamed
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
