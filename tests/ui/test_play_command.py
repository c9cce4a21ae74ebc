"""`tpi-sim play FILE`: the file given is what plays, its checked drawing is shown, and with no
display the command says how to get one instead of running unseen."""

from __future__ import annotations

import os
import subprocess
import sys

import pygame

from simulator import paths
from simulator.cli import build_parser
from simulator.commands import play
from simulator.ui.app import App
from tests.scenario.test_assets import png_bytes
from tests.ui.driving import wait

S1 = paths.SCENARIOS_DIR / "s1_upper_trapezius_thin.yaml"
RED = (230, 20, 20)


def _edited_copy(folder):
    """s1 with the same id, another title, and a red drawing beside it."""
    text = S1.read_text(encoding="utf-8")
    text = text.replace('title: "Thin typist with a temple headache"', 'title: "Edited copy of the thin typist"')
    assert text.count("  drawing:\n") == 1
    text = text.replace("  drawing:\n", "  drawing:\n    asset: body.png\n")
    (folder / "body.png").write_bytes(png_bytes(16, 16, RED))
    path = folder / "s1_edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_play_file_plays_that_file_not_the_shipped_case_with_its_id(tmp_path, artifacts):
    path = _edited_copy(tmp_path)
    config = play.build_config(build_parser().parse_args(["play", str(path), "--mute", "--seed", "3"]))
    config.db_url, config.key_file = f"sqlite:///{tmp_path / 'attempts.db'}", tmp_path / "signing.key"
    assert [c.id for c in config.cases].count("s1_upper_trapezius_thin") == 1
    app = App(config)
    try:
        wait(app, 0.05)
        assert app.screen.case.title == "Edited copy of the thin typist"
        library = app.complete_library()  # the rest of the library, loaded after the case opened, leaves it alone
        assert len(library) > 1 and [c.id for c in library].count("s1_upper_trapezius_thin") == 1
        pygame.image.save(app.window, str(artifacts / "play_file_with_drawing.png"))
        view = app.screen.view.palpation.view.rect
        pixels = pygame.surfarray.array3d(app.window.subsurface(view)).reshape(-1, 3)
        red = (pixels[:, 0] > 150) & (pixels[:, 1] < 80) & (pixels[:, 2] < 80)
        assert red.mean() > 0.05  # the drawing shows wherever the skin outline does not cover it
    finally:
        app.close()


def test_the_shipped_case_draws_no_red_drawing(make_app):
    app = make_app(start_case="s1_upper_trapezius_thin")
    wait(app, 0.05)
    view = app.screen.view.palpation.view.rect
    pixels = pygame.surfarray.array3d(app.window.subsurface(view)).reshape(-1, 3)
    red = (pixels[:, 0] > 150) & (pixels[:, 1] < 80) & (pixels[:, 2] < 80)
    assert red.mean() < 0.01


def _play_without(display: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    return subprocess.run([sys.executable, "-m", "simulator", "play", "s1", "--mute"], capture_output=True, text=True,
                          timeout=120, env={**env, **display}, cwd=paths.PROJECT_ROOT)


def test_no_display_is_one_line_with_the_hint_and_exit_1():
    out = _play_without({})
    assert out.returncode == 1
    assert out.stderr == (
        f"tpi-sim play: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set); {play.DISPLAY_HINT}\n"
    )
    assert "SDL_VIDEODRIVER=dummy" in play.DISPLAY_HINT and "DISPLAY" in play.DISPLAY_HINT


def test_a_display_that_is_not_there_is_caught_after_sdl_falls_back():
    out = _play_without({"DISPLAY": ":97"})  # no X server on :97: SDL quietly picks its offscreen driver
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1] == (
        f"tpi-sim play: no display found (SDL fell back to its 'offscreen' driver, which shows nothing); {play.DISPLAY_HINT}"
    )
    assert "SDL_VIDEODRIVER=dummy" in play.DISPLAY_HINT and "DISPLAY" in play.DISPLAY_HINT


def test_a_headless_driver_asked_for_is_not_a_problem():
    assert os.environ["SDL_VIDEODRIVER"] == "dummy"  # set by the UI tests' conftest
    assert play.display_problem() is None
