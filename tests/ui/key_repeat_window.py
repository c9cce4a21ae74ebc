"""The app in a real X window, driven frame by frame, with key presses and releases sent by xdotool
(XTEST) so the X server's autorepeat, SDL's key handling and pygame's own repeat are all on the way.
Run by tests/ui/test_key_repeat_real_window.py as `python -m tests.ui.key_repeat_window` with DISPLAY
set to a throwaway Xvfb; prints one JSON line of what the user would see.

Two runs of the same key handling:
- Tab pressed, then the main thread stalls 1.5 s (as while the procedure screen prepares its first
  image) and Tab is released during the stall: how many times did the focus move?
- the keyboard finger out, Left held 1 s while the frames run: how many 2 mm steps did it move?
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pygame

FRAME_S = 1 / 30
STALL_S = 1.5
RELEASE_AFTER_S = 1.0  # into the stall


def xdo(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=30, capture_output=True)


def frames(app, seconds: float) -> None:
    """Run the window's frames (events from the real queue) for about `seconds`."""
    end = time.perf_counter() + seconds
    last = time.perf_counter()
    while time.perf_counter() < end:
        time.sleep(FRAME_S)
        now = time.perf_counter()
        app.frame(now - last, pygame.event.get())
        last = now


def frames_until_key(app, key: int, timeout_s: float = 10.0) -> None:
    """Frames until a KEYDOWN of `key` came from the window (and was handled)."""
    end = time.perf_counter() + timeout_s
    last = time.perf_counter()
    while time.perf_counter() < end:
        time.sleep(FRAME_S)
        events = pygame.event.get()
        now = time.perf_counter()
        app.frame(now - last, events)
        last = now
        if any(e.type == pygame.KEYDOWN and e.key == key for e in events):
            return
    raise SystemExit(f"no KEYDOWN {pygame.key.name(key)} reached the window")


def focus_own_window(app) -> None:
    """Give this process's window the keyboard focus (xdotool), then let a few frames run."""
    window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(os.getpid())],
                            check=True, capture_output=True, text=True, timeout=30).stdout.split()[0]
    xdo("windowfocus", "--sync", window)
    frames(app, 0.3)


def press_over_a_stall(app, name: str, key: int) -> None:
    """Press the key `name` (xdotool's name, pygame's `key`), let one frame handle the press, then
    stall the main thread STALL_S while the key is released RELEASE_AFTER_S into the stall; then
    half a second of frames."""
    xdo("keydown", name)
    frames_until_key(app, key)
    release = subprocess.Popen(["xdotool", "sleep", str(RELEASE_AFTER_S), "keyup", name])
    time.sleep(STALL_S)  # the main thread is busy: no frame, no event read
    release.wait(timeout=30)
    frames(app, 0.5)


def main() -> None:
    from simulator.scenario import load_agents, load_library
    from simulator.ui.app import App, AppConfig
    from simulator.ui.keyboard_finger import STEP_MM

    data = Path(tempfile.mkdtemp(prefix="tpi-keyrepeat-"))
    catalogue = load_agents()
    cases = load_library(catalogue=catalogue)
    app = App(AppConfig(cases=cases, catalogue=catalogue, db_url=f"sqlite:///{data / 'attempts.db'}",
                        key_file=data / "signing.key", sound=False, seed=11))
    app.start_case(cases[0], "practice")
    frames(app, 1.0)  # the first image is made in line here; the window settles
    focus_own_window(app)

    order = app.screen.focus_order()
    press_over_a_stall(app, "Tab", pygame.K_TAB)
    focused = app.focus.focused
    tab_moves = order.index(focused) + 1 if focused in order else 0

    xdo("key", "Escape")  # the focus ring away
    frames(app, 0.2)
    xdo("key", "p")  # the keyboard finger out
    frames(app, 0.2)
    start_mm = app.screen.finger_keys.x_mm
    xdo("keydown", "Left")
    frames(app, 1.0)
    xdo("keyup", "Left")
    frames(app, 0.3)
    finger_steps = round((start_mm - app.screen.finger_keys.x_mm) / STEP_MM)
    app.close()
    print(json.dumps({"tab_moves": tab_moves, "finger_steps": finger_steps}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
