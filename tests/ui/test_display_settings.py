"""Display settings a resident can keep: a UI scale (text and layout together, 'auto' following
the window) and reduce motion (the jump sign's shake left out); both remembered in a settings
file by 'tpi-sim play'."""

import numpy as np
import pygame
import pytest

from simulator.cli import build_parser
from simulator.commands import play
from simulator.render.window_limits import MIN_SIZE
from simulator.ui.ui_scale import AUTO, effective_scale
from simulator.ui.user_settings import UserSettings, load_settings
from tests.ui.driving import start_procedure, wait
from tests.ui.layout_checks import widget_problems


def parse(*argv):
    return build_parser().parse_args(["play", "--mute", *argv])


def test_play_remembers_the_scale_and_reduce_motion(tmp_path):
    settings = tmp_path / "settings.json"
    config = play.build_config(parse("--ui-scale", "1.25", "--reduce-motion", "--settings", str(settings)))
    assert (config.ui_scale, config.reduce_motion) == (1.25, True)
    assert load_settings(settings) == UserSettings(ui_scale=1.25, reduce_motion=True)
    again = play.build_config(parse("--settings", str(settings)))
    assert (again.ui_scale, again.reduce_motion) == (1.25, True)
    off = play.build_config(parse("--no-reduce-motion", "--ui-scale", "auto", "--settings", str(settings)))
    assert (off.ui_scale, off.reduce_motion) == (AUTO, False)


def test_an_unknown_scale_is_refused_with_the_choices(capsys):
    with pytest.raises(SystemExit):
        parse("--ui-scale", "3")
    assert "not one of auto, 1, 1.1, 1.25, 1.5" in capsys.readouterr().err


def test_a_broken_settings_file_gives_the_defaults(tmp_path):
    broken = tmp_path / "settings.json"
    broken.write_text("{not json", encoding="utf-8")
    assert load_settings(broken) == UserSettings()
    broken.write_text('{"ui_scale": "big", "reduce_motion": 1}', encoding="utf-8")
    assert load_settings(broken) == UserSettings()


def test_auto_follows_the_window_and_never_goes_below_the_minimum():
    assert effective_scale(AUTO, (1280, 800)) == 1.0
    assert effective_scale(AUTO, (1024, 640)) == 1.0
    assert effective_scale(AUTO, (1920, 1080)) == pytest.approx(1.35)
    assert effective_scale(1.5, (1280, 800)) == pytest.approx(1.25)  # 1.5 would lay out below 1024x640


def test_a_scaled_window_lays_out_smaller_and_shows_it_enlarged(make_app):
    app = make_app(size=(1920, 1080), ui_scale=1.5)
    app.frame(1 / 60)
    assert app.size == (1280, 720) and app.size >= MIN_SIZE
    assert widget_problems(app) == []
    start = app.screen.start_button
    shown = pygame.display.get_surface()
    assert shown.get_size() == (1920, 1080)
    enlarged = pygame.Rect(round(start.rect.x * 1.5), round(start.rect.y * 1.5), round(start.rect.width * 1.5),
                           round(start.rect.height * 1.5))
    logical = pygame.surfarray.array3d(app.window.subsurface(start.rect)).reshape(-1, 3).mean(axis=0)
    displayed = pygame.surfarray.array3d(shown.subsurface(enlarged)).reshape(-1, 3).mean(axis=0)
    assert np.abs(logical - displayed).max() <= 6  # the same picture, half as large again
    real = (round(start.rect.centerx * 1.5), round(start.rect.centery * 1.5))  # where the mouse really is
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=real, button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=real, button=1))
    for event in pygame.event.get():
        app.handle_event(event)
    wait(app, 0.05)
    assert app.screen.name == "procedure"


def palpation_frames(app, screen, count=4):
    rect = screen.view.palpation.view.rect
    frames = []
    for _ in range(count):
        app.frame(1 / 60)
        frames.append(pygame.surfarray.array3d(app.window.subsurface(rect)).copy())
    return frames


@pytest.mark.parametrize("reduce_motion", [False, True])
def test_reduce_motion_keeps_the_drawing_still_for_the_jump_sign(make_app, reduce_motion):
    app = make_app(reduce_motion=reduce_motion)
    screen = start_procedure(app, app.config.cases[0].id)
    screen.view.jump_until = screen.wall_s + 5  # the patient jumps: the drawing would shake
    frames = palpation_frames(app, screen)
    still = all(np.array_equal(frames[0], f) for f in frames[1:])
    assert still is reduce_motion
