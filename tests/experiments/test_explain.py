"""explain tells the same story as the outcome table: the exit month it names is the table's exit_month."""

from __future__ import annotations

import re

from endstate.engine.runner import simulate
from endstate.experiments.explain import explain_run
from endstate.spec import load_spec, strategy_specs


def test_explain_names_the_outcome_tables_exit_month(example_path):
    specs = strategy_specs(load_spec(example_path))
    for name in ("calendar_exit", "security_keeping"):
        spec = specs[name]
        o = simulate(spec, 12, seed=3, series_runs=0).outcomes
        for k in range(12):
            lines = explain_run(spec, k, seed=3)
            left = [line for line in lines if "last international personnel have left" in line]
            exit_month = int(o.loc[k, "exit_month"])
            if exit_month < 0:
                assert not left and any("still present at the horizon" in line for line in lines)
                continue
            assert len(left) == 1
            month = int(re.match(r"month (\d+) ", left[0]).group(1))  # type: ignore[union-attr]
            assert month == exit_month, (name, k, left[0])
            assert f"exit_month {exit_month}." in left[0]
