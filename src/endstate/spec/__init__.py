"""What a user writes: the mission spec along the engagement chain (no numpy here)."""

from endstate.spec.loader import Problem, SpecError, deep_merge, load_raw, load_spec, strategy_specs, validate_data
from endstate.spec.models import MissionSpec
from endstate.spec.uncertain import Uncertain

__all__ = ["MissionSpec", "Problem", "SpecError", "Uncertain", "deep_merge", "load_raw", "load_spec", "strategy_specs", "validate_data"]
