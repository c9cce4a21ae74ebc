"""Every screen at the smallest supported window, a common laptop one and full HD: no widget
outside the window or on top of another, no label cut without an ellipsis, no text under 12 px;
and sizes below the minimum refused with a message that says why."""

import warnings

import pygame
import pytest

from simulator.render.layout import DebriefLayout, PickerLayout, ProcedureLayout
from simulator.render.help import help_box
from simulator.render.window_limits import MIN_SIZE, size_problem
from tests.ui.driving import finish, give_consent, key, start_procedure, wait
from tests.ui.layout_checks import rects_problems, widget_problems

SIZES = [(1024, 640), (1280, 800), (1920, 1080)]
BY_SIZE = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
DIALOG_KEYS = {"consent": pygame.K_F2, "counsel": pygame.K_F8, "decline": pygame.K_F9, "emergency": pygame.K_F10,
               "aftercare": pygame.K_F11, "finish": pygame.K_END}


def assert_widgets_fit(app) -> None:
    problems = widget_problems(app)
    assert problems == [], "\n".join(problems)


def procedure_at(make_app, size):
    app = make_app(size=size)
    start_procedure(app, app.config.cases[0].id)
    return app


def smallest_text_px(app) -> int:
    return min(size for _, size in app.fonts._cache)


@BY_SIZE
def test_picker_fits(make_app, size):
    app = make_app(size=size)
    app.frame(1 / 60)
    layout = PickerLayout.for_size(size)
    assert rects_problems({"cases": layout.cases, "details": layout.details}, size) == []
    assert_widgets_fit(app)


@BY_SIZE
def test_procedure_panels_and_widgets_fit(make_app, size):
    app = procedure_at(make_app, size)
    L = ProcedureLayout.for_size(size)
    panels = {"left": L.palpation, "info": L.palpation_info, "ultrasound": L.ultrasound, "scanner": L.scanner_bar,
              "needle": L.needle_bar, "controls": L.controls, "feed": L.feed}
    assert rects_problems(panels, size) == []
    assert L.feed.height >= 3 * 20 + 30, "the event feed keeps room for its title and three lines"
    assert_widgets_fit(app)
    assert help_box(size).height <= size[1] and help_box(size).width <= size[0]


@BY_SIZE
@pytest.mark.parametrize("kind", list(DIALOG_KEYS))
def test_every_dialog_fits(make_app, size, kind):
    app = procedure_at(make_app, size)
    key(app, DIALOG_KEYS[kind])
    wait(app, 0.05)
    assert app.screen.dialogs.kind == kind
    assert_widgets_fit(app)


@BY_SIZE
def test_debrief_and_replay_fit_and_no_text_is_under_12_px(make_app, size):
    app = procedure_at(make_app, size)
    give_consent(app)
    key(app, pygame.K_F1)
    wait(app, 0.05)
    key(app, pygame.K_ESCAPE)
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    L = DebriefLayout.for_size(size)
    assert rects_problems({"score": L.score, "critical": L.critical, "needle": L.needle_path, "marks": L.marks,
                           "teaching": L.teaching, "buttons": L.buttons}, size) == []
    assert_widgets_fit(app)
    key(app, pygame.K_p)  # the debrief's replay
    assert app.screen.name == "replay"
    wait(app, 0.1)
    assert_widgets_fit(app)
    assert smallest_text_px(app) >= 12


def test_sizes_below_the_minimum_are_refused_with_a_reason(make_app):
    assert size_problem(*MIN_SIZE) is None
    message = size_problem(1000, 640)
    assert "smaller than the supported minimum 1024x640" in message
    with pytest.raises(ValueError, match="smaller than the supported minimum"):
        make_app(size=(800, 600))


def test_the_window_is_held_at_the_minimum_when_shrunk(make_app):
    app = make_app(size=(1280, 800))
    app.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=900, h=500, size=(900, 500)))
    app.frame(1 / 60)
    assert app.size == MIN_SIZE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the display-module window is the app's window
        assert pygame.Window.from_display_module().minimum_size == MIN_SIZE


@BY_SIZE
def test_the_needle_line_keeps_clear_of_the_depth_scale(make_app, size):
    app = procedure_at(make_app, size)
    screen = app.screen
    for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5, pygame.K_n):
        key(app, k)
        wait(app, 0.05)
    for _ in range(6):  # several passes: the longest needle line, with "pass N"
        key(app, pygame.K_w)
        key(app, pygame.K_s)
    for _ in range(12):  # deeper: a taller, narrower image, its depth scale further in
        key(app, pygame.K_2)
    wait(app, 0.1)
    assert screen.state.needle is not None
    status, unit = screen.view.status_rect, screen.view.ultrasound.unit_rect
    assert status.width > 0 and unit.width > 0
    assert not status.colliderect(unit), f"needle line {status} runs into the depth unit {unit}"


def test_play_refuses_a_window_below_the_minimum_and_says_why(capsys):
    from simulator.cli import build_parser
    from simulator.commands import play

    assert play.build_config(build_parser().parse_args(["play", "--mute", "--size", "1000x600"])) == 1
    assert "smaller than the supported minimum 1024x640" in capsys.readouterr().err
