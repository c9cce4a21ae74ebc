"""`tpi-sim preview`: the window follows the case file as an author saves it (headless).

The window is driven one frame at a time with a simulated clock, so "within a second" is
counted in frames of the preview's own time, not in sleeps.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pygame
import pytest

from simulator.render.preview import ERROR_COLOUR
from simulator.ui.preview import PreviewWindow
from tests.cli_run import run_cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "simple_case.yaml"
SIZE = (1200, 640)


@pytest.fixture
def case_file(tmp_path) -> Path:
    path = tmp_path / "case.yaml"
    shutil.copy(FIXTURE, path)
    return path


@pytest.fixture
def preview(case_file):
    pygame.display.init()
    pygame.font.init()
    return PreviewWindow(case_file, None, pygame.Surface(SIZE), seed=3)


def pixels(surface: pygame.Surface, rect: pygame.Rect) -> np.ndarray:
    return pygame.surfarray.array3d(surface.subsurface(rect)).copy()


def run_for(window: PreviewWindow, seconds: float, step_s: float = 0.1) -> pygame.Surface:
    surface = window.frame(0.0)
    for _ in range(round(seconds / step_s)):
        surface = window.frame(step_s)
    return surface


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_a_save_changes_the_picture_within_a_second(preview, case_file):
    layout = preview.layout
    before = run_for(preview, 0.5)
    section_before, ultrasound_before = pixels(before, layout.section), pixels(before, layout.ultrasound)
    assert preview.status == "loaded"

    save(case_file, case_file.read_text().replace("{tissue: fat, thickness_mm: 4}", "{tissue: fat, thickness_mm: 9}"))
    after = run_for(preview, 1.0)

    assert preview.status == "loaded (reload 1)"
    assert not np.array_equal(pixels(after, layout.section), section_before)
    assert not np.array_equal(pixels(after, layout.ultrasound), ultrasound_before)
    assert preview.loaded.model.layer_tops_mm(60, 40)[3] == pytest.approx(2 + 9 + 1)


def test_nothing_is_reloaded_while_the_file_is_unchanged(preview, case_file):
    run_for(preview, 3.0)
    assert preview.loads == 1
    case_file.touch()  # a save with the same bytes: a new time, so it is read once more
    run_for(preview, 1.0)
    assert preview.loads == 2 and preview.status == "loaded (reload 1)"


def test_a_broken_save_shows_its_problems_and_the_window_keeps_running(preview, case_file):
    good = case_file.read_text()
    save(case_file, good.replace("{tissue: fat, thickness_mm: 4}", "{tissue: fat, thickness_mm: -4}"))
    surface = run_for(preview, 1.0)

    assert preview.running
    assert preview.loaded is None
    assert preview.status == "NOT LOADED: 1 problem"
    assert any("anatomy.layers[1].thickness_mm: must be >= 0.0, got -4" in p and str(case_file) in p for p in preview.problems)
    body = pixels(surface, preview.layout.body)
    assert (body == np.array(ERROR_COLOUR)).all(axis=2).sum() > 50  # the problem is written there

    # keys and clicks while the case does not load are harmless
    preview.frame(0.1, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LEFT, mod=0, unicode="")])
    assert preview.running


def test_fixing_the_file_brings_the_pictures_back_at_the_same_probe(preview, case_file):
    good = case_file.read_text()
    preview.frame(0.1, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=pygame.KMOD_SHIFT, unicode="")])
    pose = preview.pose
    first = pixels(preview.frame(0.0), preview.layout.body)

    save(case_file, good.replace("anatomy:\n  layers:", "anatomy:\n layers:"))  # an indentation slip
    run_for(preview, 1.0)
    assert preview.loaded is None and any("indent" in p for p in preview.problems)

    save(case_file, good)
    surface = run_for(preview, 1.0)
    assert preview.loaded is not None and preview.problems == []
    assert preview.pose == pose
    assert np.array_equal(pixels(surface, preview.layout.body), first)


def test_keys_and_the_mouse_move_and_turn_the_probe(preview):
    start = preview.pose
    before = pixels(preview.frame(0.0), preview.layout.ultrasound)
    preview.frame(0.0, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_DOWN, mod=0, unicode="")])
    assert (preview.pose.x_mm, preview.pose.y_mm) == (start.x_mm, start.y_mm + 1)
    preview.frame(0.0, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_e, mod=0, unicode="")])
    assert preview.pose.heading_deg == pytest.approx((start.heading_deg + 5) % 360)
    preview.frame(0.0, [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1)])
    assert preview.pose.heading_deg == pytest.approx(start.heading_deg % 360)

    view = preview._panels.palpation.view
    target = view.to_px(100, 60)  # over the artery's path, 19 mm deep
    surface = preview.frame(0.0, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=target)])
    assert preview.pose.x_mm == pytest.approx(100, abs=1) and preview.pose.y_mm == pytest.approx(60, abs=1)
    assert not np.array_equal(pixels(surface, preview.layout.ultrasound), before)

    preview.frame(0.0, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_r, mod=0, unicode="")])
    assert preview.pose == start
    preview.frame(0.0, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="")])
    assert not preview.running


def test_the_probe_stays_on_the_body(preview):
    for _ in range(40):
        preview.frame(0.0, [pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LEFT, mod=pygame.KMOD_SHIFT, unicode="")])
    assert preview.pose.x_mm == 0


def test_screenshot_option_writes_the_window(case_file, tmp_path):
    out = tmp_path / "preview.png"
    code, stdout, stderr = run_cli("preview", str(case_file), "--screenshot", str(out), "--size", "1000x600",
                                   "--probe", "60,40,90")
    assert code == 0, stderr
    assert "loaded" in stdout
    image = pygame.image.load(str(out))
    assert image.get_size() == (1000, 600)


def test_screenshot_of_a_broken_case_shows_the_problems_and_fails(case_file, tmp_path):
    save(case_file, case_file.read_text().replace("muscle: upper_trapezius\n    x_mm: 60", "muscle: trapezius\n    x_mm: 60"))
    out = tmp_path / "broken.png"
    code, stdout, _ = run_cli("preview", str(case_file), "--screenshot", str(out))
    assert code == 1
    assert "NOT LOADED" in stdout
    picture = pygame.surfarray.array3d(pygame.image.load(str(out)))
    assert (picture == np.array(ERROR_COLOUR)).all(axis=2).sum() > 50


def test_an_unknown_case_is_refused():
    code, _, stderr = run_cli("preview", "no-such-case-anywhere")
    assert code == 2
    assert "no case file or shipped case called 'no-such-case-anywhere'" in stderr
