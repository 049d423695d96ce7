"""The Dask executor on a local cluster writes the same partitions, byte for byte, as the serial one."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from endstate.engine.dask_executor import DaskExecutor
from endstate.explore.run import run_sweep
from endstate.explore.sweep import load_sweep


def _scale(k: int, x: int) -> int:
    return k * x


def test_results_in_task_order_with_bound_arguments_scattered():
    done: list[int] = []
    out = DaskExecutor(workers=2).map(partial(_scale, 3), list(range(7)), done.append)
    assert out == [3 * x for x in range(7)]
    assert sorted(done) == list(range(7))


def test_dask_sweep_is_byte_identical_to_serial(tiny_sweep: Path, tmp_path: Path):
    study = load_sweep(tiny_sweep)
    run_sweep(study, tmp_path / "serial", batch_size=2)
    res = run_sweep(study, tmp_path / "dask", DaskExecutor(workers=2), batch_size=2)
    assert res.batches == 5 and res.skipped == 0
    a = {p.name: p.read_bytes() for p in sorted((tmp_path / "serial" / "parts").glob("*.parquet"))}
    b = {p.name: p.read_bytes() for p in sorted((tmp_path / "dask" / "parts").glob("*.parquet"))}
    assert a == b and len(a) == 5
