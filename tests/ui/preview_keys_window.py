"""`tpi-sim preview` in a real X window, driven frame by frame, with key presses and releases sent
by xdotool (XTEST), so the X server's autorepeat, SDL's key handling and pygame's own repeat are
all on the way. Run by tests/ui/test_preview_real_window.py as `python -m tests.ui.preview_keys_window`
with DISPLAY set to a throwaway Xvfb; prints one JSON line of how far the probe moved:

- Right pressed and released once;
- Down held HELD_S while the frames run (each step redraws the ultrasound image, so on a busy
  machine the frames, and with them the repeats, are fewer);
- Left pressed, then the main thread stalls 1.5 s (as while a large case reloads) and Left is
  released during the stall.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import pygame

from tests.ui.key_repeat_window import focus_own_window, frames, press_over_a_stall, xdo

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "simple_case.yaml"
SIZE = (1200, 640)
HELD_S = 1.5


def main() -> None:
    from simulator.ui.preview import STEP_MM, PreviewWindow, open_window

    folder = Path(tempfile.mkdtemp(prefix="tpi-preview-keys-"))
    shutil.copy(FIXTURE, folder / "case.yaml")
    window = PreviewWindow(folder / "case.yaml", None, open_window(SIZE), seed=3)
    frames(window, 0.5)
    focus_own_window(window)

    start = window.pose
    xdo("key", "Right")
    frames(window, 0.5)
    pressed_steps = round((window.pose.x_mm - start.x_mm) / STEP_MM)

    start = window.pose
    xdo("keydown", "Down")
    frames(window, HELD_S)
    xdo("keyup", "Down")
    frames(window, 0.3)
    held_steps = round((window.pose.y_mm - start.y_mm) / STEP_MM)

    start = window.pose
    press_over_a_stall(window, "Left", pygame.K_LEFT)
    stalled_steps = round((start.x_mm - window.pose.x_mm) / STEP_MM)
    pygame.quit()
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps({"pressed_steps": pressed_steps, "held_steps": held_steps, "stalled_steps": stalled_steps}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
