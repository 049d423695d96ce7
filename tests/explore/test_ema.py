"""endstate.ema: a spec as an EMA Workbench Model; the example runs perform_experiments, prim and optimize."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from endstate.ema import SpecFunction, ema_model
from endstate.explore.sweep import load_sweep

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_model_declares_the_sweep_and_pairs_policies(tiny_sweep: Path):
    study = load_sweep(tiny_sweep)
    model = ema_model(study)
    assert [u.name for u in model.uncertainties] == ["militia_strength", "relapse_coverage"]
    assert [lv.name for lv in model.levers] == ["strategy"]
    assert [o.name for o in model.outcomes] == ["relapse_10y", "months_to_exit"]
    f = SpecFunction(study)
    scenario = {"militia_strength": 2500.0, "relapse_coverage": 1.0}
    a = f(**scenario, strategy="calendar_exit")
    assert a == f(**scenario, strategy="calendar_exit")  # seeded from the scenario: the same numbers again
    assert a["months_to_exit"] != f(**scenario, strategy="security_keeping")["months_to_exit"]


def test_example_runs_perform_experiments_prim_and_optimize():
    spec = importlib.util.spec_from_file_location("ema_example", EXAMPLES / "ema_workbench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(["--scenarios", "12", "--runs", "8", "--nfe", "4"])
    assert result["experiments"] == 24
    assert 0.0 <= result["share_worse"] <= 1.0
    assert result.get("front", 0) >= 1
