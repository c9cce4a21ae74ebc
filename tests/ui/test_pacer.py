"""The frame pacer holds 60 fps even when sleeping oversleeps, as SDL_Delay does."""

import statistics

from simulator.ui.pacer import FramePacer


class OversleepingClock:
    """A clock whose sleep wakes 1 ms late and whose reads cost 10 µs, like a real machine."""

    def __init__(self):
        self.now = 0.0

    def read(self):
        self.now += 1e-5
        return self.now

    def sleep(self, seconds):
        self.now += seconds + 0.001


def test_oversleeping_does_not_lower_the_frame_rate():
    clock = OversleepingClock()
    pacer = FramePacer(60, clock=clock.read, sleep=clock.sleep)
    gaps = []
    for _ in range(120):
        clock.now += 0.008  # a frame's work
        gaps.append(pacer.wait())
    assert abs(statistics.median(gaps) - 1 / 60) < 2e-4


def test_a_late_frame_does_not_make_the_next_ones_rush():
    clock = OversleepingClock()
    pacer = FramePacer(60, clock=clock.read, sleep=clock.sleep)
    pacer.wait()
    clock.now += 0.1  # a long hitch
    pacer.wait()
    gaps = [pacer.wait() for _ in range(5)]
    assert min(gaps) > 0.5 / 60
