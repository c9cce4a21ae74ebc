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
from simulator.ui.key_repeat import DELAY_S, INTERVAL_S
from simulator.ui.preview import BIG_STEP_MM, STEP_MM, TURN_DEG, PreviewWindow, open_window
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


def key_event(kind: int, key: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(kind, key=key, mod=mod, unicode="", scancode=0)


def press(window: PreviewWindow, key: int, mod: int = 0) -> pygame.Surface:
    """One press and release of `key` in one frame."""
    return window.frame(0.0, [key_event(pygame.KEYDOWN, key, mod), key_event(pygame.KEYUP, key, mod)])


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
    press(preview, pygame.K_LEFT)
    assert preview.running


def test_fixing_the_file_brings_the_pictures_back_at_the_same_probe(preview, case_file):
    good = case_file.read_text()
    press(preview, pygame.K_RIGHT, pygame.KMOD_SHIFT)
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
    press(preview, pygame.K_DOWN)
    assert (preview.pose.x_mm, preview.pose.y_mm) == (start.x_mm, start.y_mm + 1)
    press(preview, pygame.K_e)
    assert preview.pose.heading_deg == pytest.approx((start.heading_deg + 5) % 360)
    preview.frame(0.0, [pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1)])
    assert preview.pose.heading_deg == pytest.approx(start.heading_deg % 360)

    view = preview._panels.palpation.view
    target = view.to_px(100, 60)  # over the artery's path, 19 mm deep
    surface = preview.frame(0.0, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=target)])
    assert preview.pose.x_mm == pytest.approx(100, abs=1) and preview.pose.y_mm == pytest.approx(60, abs=1)
    assert not np.array_equal(pixels(surface, preview.layout.ultrasound), before)

    press(preview, pygame.K_r)
    assert preview.pose == start
    press(preview, pygame.K_ESCAPE)
    assert not preview.running


def test_the_probe_stays_on_the_body(preview):
    for _ in range(40):
        press(preview, pygame.K_LEFT, pygame.KMOD_SHIFT)
    assert preview.pose.x_mm == 0


# ------------------------------------------------------------------ held keys (the trainer's key repeat)
FRAME_S = 1 / 30  # the preview's frame rate


def hold(window: PreviewWindow, key: int, seconds: float, mod: int = 0, frame_s: float = FRAME_S) -> None:
    """Press `key`, run frames of `frame_s` for `seconds`, release it, run a few more frames."""
    window.frame(0.0, [key_event(pygame.KEYDOWN, key, mod)])
    for _ in range(round(seconds / frame_s)):
        window.frame(frame_s)
    window.frame(FRAME_S, [key_event(pygame.KEYUP, key, mod)])
    for _ in range(10):
        window.frame(FRAME_S)


def repeats_in(seconds: float) -> tuple[int, int]:
    """The fewest and most repeats a key held `seconds` at FRAME_S frames can make: none before
    the delay, then one per interval but at most one a frame."""
    after_delay_s = seconds - DELAY_S
    return int(after_delay_s / max(INTERVAL_S, 2 * FRAME_S)), round(after_delay_s / INTERVAL_S) + 1


def test_one_arrow_press_moves_the_probe_one_step_however_long_the_frame(preview):
    start = preview.pose
    hold(preview, pygame.K_RIGHT, DELAY_S / 2)  # released before any repeat
    assert preview.pose.x_mm == pytest.approx(start.x_mm + STEP_MM)
    hold(preview, pygame.K_RIGHT, 2.5, frame_s=2.5)  # one stalled frame (a slow reload) while held
    assert preview.pose.x_mm == pytest.approx(start.x_mm + 2 * STEP_MM)
    assert preview.pose.y_mm == start.y_mm and preview.pose.heading_deg == start.heading_deg


def test_a_held_arrow_moves_the_probe_several_steps_and_stops_at_the_release(preview):
    start = preview.pose
    hold(preview, pygame.K_DOWN, 1.0)
    steps = round((preview.pose.y_mm - start.y_mm) / STEP_MM)
    fewest, most = repeats_in(1.0)
    assert 1 + fewest <= steps <= 1 + most and steps >= 5
    assert preview.pose.x_mm == start.x_mm
    for _ in range(30):
        preview.frame(FRAME_S)
    assert round((preview.pose.y_mm - start.y_mm) / STEP_MM) == steps  # released: no more steps


def test_held_shift_arrow_and_q_repeat_their_own_steps(preview):
    start = preview.pose
    hold(preview, pygame.K_RIGHT, 1.0, mod=pygame.KMOD_SHIFT)
    big_steps = (preview.pose.x_mm - start.x_mm) / BIG_STEP_MM
    assert big_steps == round(big_steps) and big_steps >= 5
    hold(preview, pygame.K_q, 1.0)
    turns = round(((start.heading_deg - preview.pose.heading_deg) % 360) / TURN_DEG)
    fewest, most = repeats_in(1.0)
    assert 1 + fewest <= turns <= 1 + most


def test_the_window_repeat_is_off_in_the_preview_window():
    pygame.key.set_repeat(300, 40)  # as the preview window used to switch it on
    open_window(SIZE)
    assert pygame.key.get_repeat() == (0, 0)


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
