"""A real X server for the real-window tests: a free display number, waiting for a state, screenshots.

The tests need Xvfb, xdotool and ImageMagick's `import`; tests/conftest.py stops the run at
once when one is missing, naming the package to install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pygame

TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}


FIRST_DISPLAY = 110  # above :97, which test_play_command.py names as a display with no server behind it


def free_display() -> int:
    for number in range(FIRST_DISPLAY, 300):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            return number
    raise AssertionError(f"no free X display number between :{FIRST_DISPLAY} and :299")


def wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def screenshot(display: str, path: Path) -> np.ndarray:
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True, timeout=30,
                   capture_output=True)
    return pygame.surfarray.array3d(pygame.image.load(str(path))).astype(float)




@contextlib.contextmanager
def x_server(size: tuple[int, int]):
    """A throwaway Xvfb display of `size`; yields (display, env for a program to run on it) and stops it."""
    missing = [f"{tool} (apt package {package})" for tool, package in TOOLS.items() if shutil.which(tool) is None]
    assert not missing, "the real-window tests need " + ", ".join(missing) + "; install them (CI does)"
    number = free_display()
    display = f":{number}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists() or xvfb.poll() is not None, 15, "Xvfb")
        assert xvfb.poll() is None, f"Xvfb exited: {xvfb.stderr.read().decode(errors='replace')[-500:]}"
        env = {k: v for k, v in os.environ.items() if k != "SDL_VIDEODRIVER"}
        env.update(DISPLAY=display, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
        yield display, env
    finally:
        stop(xvfb)


def stop(process) -> None:
    """End a program this test started (terminate, then kill after 10 s)."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
