"""The real app in a real X window (Xvfb): pick a case with mouse clicks, see the procedure screen.

Needs Xvfb, xdotool and ImageMagick's `import` (CI installs them). Without them the test
run stops before it starts with one line saying what to install (tests/conftest.py): it never skips.
"""

import json
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pygame

from simulator.render.layout import PickerLayout, ProcedureLayout
from simulator.ui.screens.case_list import CARD_GAP, CARD_H
from tests.ui.xwindow import screenshot, stop, wait_for, x_server

SIZE = (1280, 800)


def _procedure_lines(fps_log: Path) -> list[dict]:
    """The frame-rate log's complete lines written while the procedure screen was shown."""
    text = fps_log.read_text()
    complete = text[: text.rfind("\n") + 1]  # a line being written is not read half-way
    return [line for line in map(json.loads, complete.splitlines()) if line["screen"] == "procedure"]


def _speckle(pixels: np.ndarray, rect: pygame.Rect) -> float:
    """Mean absolute difference between neighbouring pixels: high on speckle, ~0 on flat panels."""
    grey = pixels[rect.x:rect.right, rect.y:rect.bottom].mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


def test_the_app_in_a_real_x_window(tmp_path, artifacts):
    app = None
    with x_server(SIZE) as (display, env):
        try:
            fps_log = tmp_path / "fps.jsonl"
            app = subprocess.Popen([sys.executable, "-m", "simulator", "--mute", "--seed", "1", "--size", "1280x800",
                                    "--db", f"sqlite:///{tmp_path / 'attempts.db'}",
                                    "--key", str(tmp_path / "signing.key"), "--fps-log", str(fps_log)],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid)], env=env,
                                   capture_output=True, text=True, timeout=60)
            assert found.returncode == 0 and found.stdout.split(), f"no window for the app: {found.stderr}"
            window = found.stdout.split()[0]
            wait_for(lambda: fps_log.stat().st_size > 0, 30, "the first frames")  # the picker is drawn

            picker = PickerLayout.for_size(SIZE)
            inner = picker.cases.inflate(-20, -20)
            card = pygame.Rect(inner.x, inner.y + 34 + 1 * (CARD_H + CARD_GAP), inner.width, CARD_H)  # the second case
            d = picker.details
            start = pygame.Rect(d.x + 10, d.bottom - 62, d.width - 20, 50)
            for point in (card.center, start.center):
                subprocess.run(["xdotool", "mousemove", "--window", window, str(point[0]), str(point[1]), "click", "1"],
                               env=env, check=True, timeout=10)
                time.sleep(0.5)

            layout = ProcedureLayout.for_size(SIZE)
            centre = layout.ultrasound.inflate(-layout.ultrasound.width // 2, -layout.ultrasound.height // 2)
            shot = tmp_path / "shot.png"
            # The procedure screen first (the picker's cards are not speckle), then its image: with a cold
            # kernel cache the screen shows a progress bar while the first image is prepared.
            wait_for(lambda: len(_procedure_lines(fps_log)) >= 1, 120, "the procedure screen in the fps log")
            wait_for(lambda: _speckle(screenshot(display, shot), centre) > 8, 180,
                     "the procedure screen's ultrasound image")
            # Two more full seconds of the procedure screen in the frame-rate log: a state, not wall time.
            shown = len(_procedure_lines(fps_log))
            wait_for(lambda: len(_procedure_lines(fps_log)) >= shown + 2, 60,
                     "two more seconds of the procedure screen in the fps log")
            pixels = screenshot(display, artifacts / "real_window.png")
            assert pixels.std() > 20, "the screenshot is blank"
            assert _speckle(pixels, centre) > 8, "no ultrasound speckle where the image should be"
            assert _speckle(pixels, layout.feed.inflate(-20, -40)) < _speckle(pixels, centre)  # panels are not noise

            app.send_signal(signal.SIGTERM)  # SDL turns it into a quit event: the app closes itself
            assert app.wait(timeout=30) == 0, app.stderr.read().decode(errors="replace")[-2000:]
            lines = _procedure_lines(fps_log)
            procedure = [line["fps"] for line in lines]
            # The log the window keeps: a line a second of the procedure screen, drawing frames, which the
            # pacer holds to 60 a second (a late frame may be followed after half a period, so a little over).
            assert len(procedure) >= 2
            assert all(0 < fps <= 63 for fps in procedure), procedure
            assert all(line["work_ms_median"] > 0 for line in lines), lines
            summary = {"fps_median": statistics.median(procedure), "seconds": len(procedure),
                       "work_ms_median": statistics.median(line["work_ms_median"] for line in lines)}
            (artifacts / "real_window_fps.json").write_text(json.dumps(summary) + "\n")
            print("real window:", summary)
        finally:
            stop(app)
