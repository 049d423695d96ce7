"""One seed, one outcomes file: whatever the chunk size and number of workers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from endstate.engine.runner import Results, simulate
from endstate.spec import MissionSpec, deep_merge, load_spec, validate_data

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "east_timor_1999_lead_state.yaml"
RUNS = 8_000
HORIZON = 24  # months of mission; with one post-exit year no run lasts much more than three years


@pytest.fixture(scope="module")
def spec() -> MissionSpec:
    """The default scenario, observed one year after exit instead of ten to keep the test fast, with a
    demanding host and a lead state quick to leave, so that runs end in several ways (host consent,
    contributor tolerance, still running)."""
    base = load_spec(EXAMPLE).model_dump(mode="json", exclude={"strategies"})
    d = deep_merge(base, {"exit": {"post_exit_years": 1, "triggers": {"host_consent": {"floor": 0.65, "within_months": 2}}}})
    d["force"]["contributors"][0]["tolerance_floor"] = 0.83
    return validate_data(d)


def _parquet_bytes(res: Results, path: Path) -> bytes:
    pq.write_table(pa.Table.from_pandas(res.outcomes, preserve_index=False), path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def runs(spec: MissionSpec) -> dict[tuple[int, int], Results]:
    """The same runs with 1 and 2 workers and chunks of 1,000 and 7,777 (the last chunk partial, blocks split)."""
    return {(w, c): simulate(spec, RUNS, seed=2024, workers=w, chunk_size=c, horizon=HORIZON) for w in (1, 2) for c in (1_000, 7_777)}


def test_outcomes_file_is_byte_identical(runs: dict[tuple[int, int], Results], tmp_path: Path) -> None:
    files = {key: _parquet_bytes(res, tmp_path / f"outcomes_{key[0]}_{key[1]}.parquet") for key, res in runs.items()}
    reference = files[(1, 1_000)]
    assert {key: data == reference for key, data in files.items()} == dict.fromkeys(files, True)


def test_events_and_series_are_identical(runs: dict[tuple[int, int], Results]) -> None:
    first = runs[(1, 1_000)]
    for res in runs.values():
        pd.testing.assert_frame_equal(res.events, first.events)
        pd.testing.assert_frame_equal(res.series, first.series)


def test_the_sample_is_not_trivial(runs: dict[tuple[int, int], Results]) -> None:
    out = runs[(1, 1_000)].outcomes
    assert out["exit_reason"].nunique() >= 3
    assert 0 < out["relapsed"].sum() < len(out)


def test_different_seeds_differ(spec: MissionSpec, runs: dict[tuple[int, int], Results], tmp_path: Path) -> None:
    other = simulate(spec, 1_000, seed=2025, chunk_size=1_000, horizon=HORIZON)
    same = runs[(1, 1_000)].outcomes.iloc[:1_000]
    assert _parquet_bytes(other, tmp_path / "a.parquet") != _parquet_bytes(Results(same, other.events, other.series), tmp_path / "b.parquet")
    assert (other.outcomes["battle_deaths"].to_numpy() != same["battle_deaths"].to_numpy()).mean() > 0.5


def test_compacting_finished_runs_changes_nothing(spec: MissionSpec) -> None:
    """Dropping finished runs from the arrays mid-chunk gives the same outcomes and events as stepping them all."""
    from endstate.engine.runner import ChunkJob, RunBatch, outcomes_frame
    from endstate.model.params import load_parameters

    job = ChunkJob(spec, load_parameters(), 7, 0, 3_000, 0, HORIZON)
    plain, packed = RunBatch(job), RunBatch(job)
    plain.run()
    packed.run(compact=True)
    a, b = outcomes_frame(plain.sc, plain.st, 0, plain.windows), outcomes_frame(packed.sc, packed.st, 0, packed.windows)
    for key in a:
        assert (a[key] == b[key]).all(), key
    ea, eb = plain.log.arrays(), packed.log.arrays()
    for key in ea:
        assert (ea[key] == eb[key]).all(), key
