"""``endstate.ema``: a mission spec as an EMA Workbench model (see :mod:`endstate.explore.ema`).

    from ema_workbench import perform_experiments
    from endstate.ema import ema_model
    experiments, outcomes = perform_experiments(ema_model("examples/sweeps/sweep_ema.yaml"), scenarios=50, policies=2)
"""

from endstate.explore.ema import SpecFunction, ema_model, scenario_seed

__all__ = ["SpecFunction", "ema_model", "scenario_seed"]
