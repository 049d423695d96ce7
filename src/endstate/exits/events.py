"""The per-run event log: (run, month, event, detail, value) rows, in compact types.

``detail`` is an index whose meaning depends on the event (goal, phase,
contributor or exit reason); ``value`` a number that explains it (a tolerance,
a consent level, a cost).
"""

from __future__ import annotations

import numpy as np

EVENT_NAMES = (
    "goal_met",  # detail: goal index
    "goal_lapsed",  # detail: goal index
    "phase_handed_over",  # detail: phase index
    "contributor_left",  # detail: contributor index, value: its tolerance
    "trigger",  # detail: exit reason index, value: the measured quantity
    "exit",  # detail: exit reason index
    "relapse",  # value: 1 during the mission, 0 after exit
    "election",
    "war_ended",  # value: 1 during the mission, 0 after exit
    "force_level",  # detail: contributor index, value: the personnel its schedule moves it to (a dated step, or a phase step once that phase is handed over)
)
EV = {name: i for i, name in enumerate(EVENT_NAMES)}


class EventLog:
    """Collects events as arrays; ``offset`` turns chunk-local run indices into global ones."""

    def __init__(self, offset: int = 0):
        self.offset = offset
        self.rows: np.ndarray | None = None  # batch row -> run position, when the batch was compacted
        self._parts: list[tuple[np.ndarray, ...]] = []

    def add(self, event: str, month: int, mask: np.ndarray, detail: np.ndarray | int = 0, value: np.ndarray | float = 0.0) -> None:
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        det = np.broadcast_to(np.asarray(detail), mask.shape)[idx] if np.ndim(detail) else np.full(idx.size, detail)
        val = np.broadcast_to(np.asarray(value, dtype=float), mask.shape)[idx] if np.ndim(value) else np.full(idx.size, float(value))
        if self.rows is not None:
            idx = self.rows[idx]
        self._parts.append(
            (
                (idx + self.offset).astype(np.int64),
                np.full(idx.size, month, dtype=np.int32),
                np.full(idx.size, EV[event], dtype=np.int8),
                det.astype(np.int32),
                val.astype(np.float32),
            )
        )

    def extend(self, month: int, idx: np.ndarray, event: np.ndarray, detail: np.ndarray, value: np.ndarray) -> None:
        """Rows logged by compiled code: batch rows ``idx`` and their event codes, details and values, all in ``month``
        (copied: the caller fills the same buffers again next month)."""
        if idx.size == 0:
            return
        if self.rows is not None:
            idx = self.rows[idx]
        self._parts.append(
            (
                (idx + self.offset).astype(np.int64),
                np.full(idx.size, month, dtype=np.int32),
                event.astype(np.int8),
                detail.astype(np.int32),
                value.astype(np.float32),
            )
        )

    def arrays(self) -> dict[str, np.ndarray]:
        if not self._parts:
            return {k: np.zeros(0, dtype=t) for k, t in (("run", np.int64), ("month", np.int32), ("event", np.int8), ("detail", np.int32), ("value", np.float32))}
        cols = list(zip(*self._parts, strict=True))
        run, month, event, detail, value = (np.concatenate(c) for c in cols)
        order = np.lexsort((event, month, run))
        return {"run": run[order], "month": month[order], "event": event[order], "detail": detail[order], "value": value[order]}
