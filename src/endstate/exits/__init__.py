"""Exit rules as objects: goals with sustain windows, phased handover, drawdown and triggers.

Core objects: :class:`endstate.exits.rules.ExitRules` evaluated on the state
after every simulated month, and the event codes in :mod:`endstate.exits.events`.
"""

from endstate.exits.events import EVENT_NAMES, EventLog
from endstate.exits.rules import ExitRules

__all__ = ["EVENT_NAMES", "EventLog", "ExitRules"]
