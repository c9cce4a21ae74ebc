"""The base of every session event: its time stamp and the line the patient says, if any.

The kinds of event live in events_preparation, events_needle and events_care; events.py
gathers them and gives their JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Event:
    t_s: float
    speech: str | None = None

    @property
    def type(self) -> str:
        return type(self).__name__
