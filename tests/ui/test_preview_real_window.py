"""`tpi-sim preview` in a real X window: one arrow press moves the probe one step, also when the
window stalls between the press and the release; a held arrow moves it step after step.

The preview used the window's timer repeat (pygame.key.set_repeat(300, 40)), which kept queueing
presses while the loop was stalled; it now has the trainer's key repeat (key_repeat.py), made at
the frames the window runs. tests/ui/preview_keys_window.py runs it under Xvfb and xdotool and
reports how far the probe moved.
"""

from __future__ import annotations

from simulator.ui.key_repeat import DELAY_S, INTERVAL_S
from tests.ui.preview_keys_window import HELD_S
from tests.ui.xwindow import run_module_in_x


def test_one_press_is_one_step_even_over_a_stall_and_a_held_arrow_repeats():
    seen = run_module_in_x("tests.ui.preview_keys_window")
    assert seen["pressed_steps"] == 1 and seen["stalled_steps"] == 1, seen
    # the press, then one repeat per interval once the delay is over, at most one a frame: a busy
    # machine (each step redraws the ultrasound image) runs fewer frames and so makes fewer
    most = 1 + round((HELD_S - DELAY_S) / INTERVAL_S) + 1
    assert 3 <= seen["held_steps"] <= most, seen
