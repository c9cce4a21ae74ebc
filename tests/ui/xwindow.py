"""A real X server for the real-window tests: a free display, the trainer in it, waiting for a
state, screenshots, clean-up.

The tests need Xvfb, xdotool and ImageMagick's `import`; tests/conftest.py stops the run at
once when one is missing, naming the package to install.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame

TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}
FIRST_DISPLAY = 110  # above :97, which test_play_command.py names as a display with no server behind it


def free_display(after: int = FIRST_DISPLAY - 1) -> int:
    for number in range(after + 1, 300):
        if not Path(f"/tmp/.X{number}-lock").exists() and not Path(f"/tmp/.X11-unix/X{number}").exists():
            return number
    raise AssertionError(f"no free X display number between :{after + 1} and :299")


def start_xvfb(size) -> tuple[str, subprocess.Popen]:
    """A virtual X server on a free display. Other test runs on the machine may take the same number
    at the same moment: then this one exits at once, and the next free number is tried."""
    number, error = FIRST_DISPLAY - 1, ""
    for _ in range(5):
        number = free_display(number)
        xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists() or xvfb.poll() is not None, 15, "Xvfb")
        if xvfb.poll() is None:
            return f":{number}", xvfb
        error = xvfb.stderr.read().decode(errors="replace")[-500:]
    raise AssertionError(f"Xvfb exited: {error}")


def wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def screen_of(fps_log: Path) -> str | None:
    """The screen named on the last complete line of the app's frame log (--fps-log: one line a second)."""
    if not fps_log.exists():
        return None
    text = fps_log.read_text()
    lines = text[: text.rfind("\n") + 1].splitlines()
    return json.loads(lines[-1])["screen"] if lines else None


def screenshot(display: str, path: Path) -> np.ndarray:
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True, timeout=30,
                   capture_output=True)
    return pygame.surfarray.array3d(pygame.image.load(str(path))).astype(float)


@contextlib.contextmanager
def x_server(size: tuple[int, int]):
    """A throwaway Xvfb display of `size`; yields (display, env for a program to run on it) and stops it."""
    missing = [f"{tool} (apt package {package})" for tool, package in TOOLS.items() if shutil.which(tool) is None]
    assert not missing, "the real-window tests need " + ", ".join(missing) + "; install them (CI does)"
    display, xvfb = start_xvfb(size)
    try:
        env = {k: v for k, v in os.environ.items() if k != "SDL_VIDEODRIVER"}
        env.update(DISPLAY=display, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
        yield display, env
    finally:
        stop(xvfb)


def run_module_in_x(module: str, size=(1280, 800)) -> dict:
    """Run `python -m module` from the repository on a throwaway Xvfb; the JSON object it prints
    last (what a user would have seen in that window)."""
    root = Path(__file__).resolve().parents[2]
    with x_server(size) as (_display, env):
        run = subprocess.run([sys.executable, "-m", module], cwd=root, env=env, capture_output=True, text=True,
                             timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def stop(process) -> None:
    """End a program this test started (terminate, then kill after 10 s)."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class RealApp:
    display: str
    window: str  # the app's X window id
    env: dict
    process: subprocess.Popen
    fps_log: Path


@contextlib.contextmanager
def real_app(tmp_path: Path, size=(1280, 800), env_extra: dict | None = None):
    """Xvfb at `size` and the trainer in it (muted, seed 1; the attempt store, its key and the fps
    log in tmp_path)."""
    with x_server(size) as (display, env):
        env.update(env_extra or {})
        fps_log = tmp_path / "fps.jsonl"
        app = subprocess.Popen([sys.executable, "-m", "simulator", "--mute", "--seed", "1", "--size",
                                f"{size[0]}x{size[1]}", "--db", f"sqlite:///{tmp_path / 'attempts.db'}",
                                "--key", str(tmp_path / "signing.key"), "--fps-log", str(fps_log)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid)], env=env,
                                   capture_output=True, text=True, timeout=60)
            assert found.returncode == 0 and found.stdout.split(), f"no window for the app: {found.stderr}"
            yield RealApp(display, found.stdout.split()[0], env, app, fps_log)
        finally:
            stop(app)
