"""In a real X window: one Tab press moves the focus once even when the app stalls between the
press and the release, and a held arrow still repeats (the keyboard finger walks).

The window's timer-based key repeat used to queue KEYDOWNs during the stall, so the focus moved
many times for one press. tests/ui/key_repeat_window.py runs the app under Xvfb and xdotool and
reports what happened.
"""

from __future__ import annotations

from tests.ui.xwindow import run_module_in_x


def test_one_tab_over_a_stall_moves_once_and_a_held_arrow_repeats():
    seen = run_module_in_x("tests.ui.key_repeat_window")
    assert seen["tab_moves"] == 1, seen
    # 1 s held: the press, then one repeat every 50 ms after 0.3 s (frames of about 33 ms)
    assert 6 <= seen["finger_steps"] <= 16, seen
