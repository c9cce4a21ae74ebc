"""Frame pacing: wake on time for each frame.

`pygame.time.Clock.tick(60)` sleeps with millisecond granularity and usually oversleeps by
about a millisecond, which holds the app near 56 fps instead of 60. Sleeping until shortly
before the deadline and spinning the last stretch keeps frames on a 1/60 s grid while
leaving the CPU idle for most of the wait.
"""

from __future__ import annotations

import time

FRAME_RATE_HZ = 60
SPIN_S = 0.0015  # the tail of each wait is spun, not slept: sleep wakes late by up to ~1 ms


class FramePacer:
    def __init__(self, rate_hz: float = FRAME_RATE_HZ, clock=time.perf_counter, sleep=time.sleep):
        self.period_s = 1.0 / rate_hz
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._deadline = self._last + self.period_s

    def wait(self) -> float:
        """Block until the next frame is due; returns the seconds since the previous frame."""
        remaining = self._deadline - self._clock()
        if remaining > SPIN_S:
            self._sleep(remaining - SPIN_S)
        while self._clock() < self._deadline:
            pass
        now = self._clock()
        dt_s = now - self._last
        self._last = now
        # A late frame starts a new grid rather than rushing to catch up.
        self._deadline = max(self._deadline + self.period_s, now + 0.5 * self.period_s)
        return dt_s
