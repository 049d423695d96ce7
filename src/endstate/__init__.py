"""endstate: plan, simulate and monitor peace support operations and their exit strategies.

Public API: load a mission spec (:func:`load_spec`), and the spec models.
"""

from __future__ import annotations

__version__ = "0.1.0"

from endstate.spec import MissionSpec, Problem, SpecError, load_spec, strategy_specs

__all__ = ["MissionSpec", "Problem", "SpecError", "__version__", "load_spec", "strategy_specs"]
