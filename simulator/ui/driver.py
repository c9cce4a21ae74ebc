"""SessionDriver: the fixed-tick clock between the window and the Session.

Input is queued as actions and applied on the next 1/60 s tick; `advance(dt_s)` steps the
Session until the tick clock has caught up with the wall clock, so the outcome never
depends on the frame rate. Every applied action is recorded with the Session time it was
applied at: that list is the replay.
"""

from __future__ import annotations

MAX_CATCH_UP_S = 1.0  # after a stall (window dragged, machine asleep) drop the backlog beyond this


class SessionDriver:
    def __init__(self, session):
        self.session = session
        self.tick_s: float = session.TICK_S
        self.pending: list = []
        self.timed: list = []  # (t_s, action) in the order applied
        self._debt_s = 0.0

    def queue(self, actions) -> None:
        if not self.session.state.finished:
            self.pending.extend(actions)

    def tick(self) -> list:
        """Apply the queued actions and advance one tick; returns the new events."""
        actions, self.pending = self.pending, []
        t_s = self.session.time_s
        self.timed.extend((t_s, action) for action in actions)
        return list(self.session.step(actions))

    def advance(self, dt_s: float) -> list:
        """Step until the tick clock catches up with `dt_s` more wall time; returns the new events."""
        self._debt_s = min(self._debt_s + dt_s, MAX_CATCH_UP_S)
        events: list = []
        while self._debt_s >= self.tick_s - 1e-9:
            events.extend(self.tick())
            self._debt_s -= self.tick_s
        if self.pending and self.session.state.finished:
            self.pending = []
        return events
