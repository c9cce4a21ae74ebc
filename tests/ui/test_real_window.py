"""The real app in a real X window (Xvfb): pick a case with mouse clicks, see the procedure screen.

Needs Xvfb, xdotool and ImageMagick's `import` (CI installs them). Without them the test
run stops before it starts with one line saying what to install (tests/conftest.py): it never skips.
"""

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pygame

from simulator.render.layout import PickerLayout, ProcedureLayout
from simulator.ui.screens.picker import CARD_GAP, CARD_H

SIZE = (1280, 800)
TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}


def _free_display() -> int:
    for number in range(97, 200):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            return number
    raise AssertionError("no free X display number between :97 and :199")


def _wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def _procedure_lines(fps_log: Path) -> list[dict]:
    """The frame-rate log's complete lines written while the procedure screen was shown."""
    text = fps_log.read_text()
    complete = text[: text.rfind("\n") + 1]  # a line being written is not read half-way
    return [line for line in map(json.loads, complete.splitlines()) if line["screen"] == "procedure"]


def _screenshot(display: str, path: Path) -> np.ndarray:
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True, timeout=30,
                   capture_output=True)
    return pygame.surfarray.array3d(pygame.image.load(str(path))).astype(float)


def _speckle(pixels: np.ndarray, rect: pygame.Rect) -> float:
    """Mean absolute difference between neighbouring pixels: high on speckle, ~0 on flat panels."""
    grey = pixels[rect.x:rect.right, rect.y:rect.bottom].mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


def test_the_app_in_a_real_x_window(tmp_path, artifacts):
    missing = [f"{tool} (apt package {package})" for tool, package in TOOLS.items() if shutil.which(tool) is None]
    assert not missing, "the real-window test needs " + ", ".join(missing) + "; install them (CI does)"
    number = _free_display()
    display = f":{number}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    app = None
    try:
        _wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists() or xvfb.poll() is not None, 15, "Xvfb")
        assert xvfb.poll() is None, f"Xvfb exited: {xvfb.stderr.read().decode(errors='replace')[-500:]}"
        env = {k: v for k, v in os.environ.items() if k != "SDL_VIDEODRIVER"}
        env.update(DISPLAY=display, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
        fps_log = tmp_path / "fps.jsonl"
        app = subprocess.Popen([sys.executable, "-m", "simulator", "--mute", "--seed", "1", "--size", "1280x800",
                                "--db", f"sqlite:///{tmp_path / 'attempts.db'}", "--key", str(tmp_path / "signing.key"),
                                "--fps-log", str(fps_log)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid)], env=env,
                               capture_output=True, text=True, timeout=60)
        assert found.returncode == 0 and found.stdout.split(), f"no window for the app: {found.stderr}"
        window = found.stdout.split()[0]
        _wait_for(lambda: fps_log.stat().st_size > 0, 30, "the first frames")  # the picker is drawn

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
        _wait_for(lambda: _speckle(_screenshot(display, shot), centre) > 8, 30, "the procedure screen's ultrasound image")
        # Two full seconds of the procedure screen in the frame-rate log: a state, not a guess at wall time.
        _wait_for(lambda: len(_procedure_lines(fps_log)) >= 2, 60, "two seconds of the procedure screen in the fps log")
        pixels = _screenshot(display, artifacts / "real_window.png")
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
        for process in (app, xvfb):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
