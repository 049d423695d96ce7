"""Exploring at scale: sweeps over a spec's uncertainties and levers, and what they say.

Core objects: :func:`load_sweep` (a sweep file -> :class:`Study`), :func:`run_sweep`
(simulate it into a resumable Parquet store, on any executor), :func:`analyze`
(sensitivity with SALib, scenario discovery with the EMA Workbench's PRIM and CART,
regret), :func:`write_report` (HTML and PNG figures) and :func:`ema_model` (the
spec as an EMA Workbench ``Model``).  See ``docs/explore.md``.
"""

from endstate.explore.analysis import Analysis, AnalysisError, Discovery, analyze, discover, load_points, regret, sensitivity
from endstate.explore.ema import ema_model
from endstate.explore.report import write_report
from endstate.explore.run import SweepRun, run_sweep
from endstate.explore.sweep import Study, Sweep, load_sweep

__all__ = [
    "Analysis",
    "AnalysisError",
    "Discovery",
    "Study",
    "Sweep",
    "SweepRun",
    "analyze",
    "discover",
    "ema_model",
    "load_points",
    "load_sweep",
    "regret",
    "run_sweep",
    "sensitivity",
    "write_report",
]
