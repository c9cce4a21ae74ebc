"""In a real X window: one Tab press moves the focus once even when the app stalls between the
press and the release, and a held arrow still repeats (the keyboard finger walks).

The window's timer-based key repeat used to queue KEYDOWNs during the stall, so the focus moved
many times for one press. tests/ui/key_repeat_window.py runs the app under Xvfb and xdotool and
reports what happened.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.ui.xwindow import x_server

ROOT = Path(__file__).resolve().parents[2]


def test_one_tab_over_a_stall_moves_once_and_a_held_arrow_repeats():
    with x_server((1280, 800)) as (_display, env):
        run = subprocess.run([sys.executable, "-m", "tests.ui.key_repeat_window"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["tab_moves"] == 1, seen
    # 1 s held: the press, then one repeat every 50 ms after 0.3 s (frames of about 33 ms)
    assert 6 <= seen["finger_steps"] <= 16, seen
