"""SessionDriver: the fixed-tick clock between the window and the Session.

Input is queued as actions and applied on the next 1/60 s tick; `advance(dt_s)` steps the
Session until the tick clock has caught up with the wall clock, so the outcome never
depends on the frame rate. The Session records every applied action with the time it was
applied at (`Session.timed`, the replay); the driver only reads it. An attempt is finished when it reaches a replay file's
limits (records.replay_file: session length, line count), so every saved replay can be read back.
"""

from __future__ import annotations

from simulator.core.actions import Finish
from simulator.records.replay_file import MAX_REPLAY_LINES, MAX_SESSION_S

MAX_CATCH_UP_S = 1.0  # after a stall (window dragged, machine asleep) drop the backlog beyond this


class SessionDriver:
    def __init__(self, session):
        self.session = session
        self.tick_s: float = session.TICK_S
        self.pending: list = []
        self._debt_s = 0.0

    @property
    def timed(self) -> list:
        """(t_s, action) in the order applied: the Session's own record (the replay)."""
        return self.session.timed

    def queue(self, actions) -> None:
        if not self.session.state.finished:
            self.pending.extend(actions)

    def tick(self) -> list:
        """Apply the queued actions and advance one tick; returns the new events."""
        actions, self.pending = self.pending, []
        t_s = self.session.time_s
        room = MAX_REPLAY_LINES - 2 - len(self.timed)  # the header and a closing finish need a line each
        if (t_s >= MAX_SESSION_S or len(actions) >= room) and not self.session.state.finished:
            # A replay file holds at most this much, so the attempt ends here and its replay re-scores.
            actions = actions[: max(room, 0)] + [Finish()]
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
