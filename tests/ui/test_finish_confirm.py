"""End asks before it finishes: Enter confirms, Esc goes back; in assessment nothing is saved
until the trainee confirms."""

import pygame

from simulator.records.attempt import AttemptFilter
from simulator.records.store import open_store

from simulator.core import events as E
from tests.ui.driving import click_element, has, key, press_button, start_procedure, wait

CASE_ID = "s1_upper_trapezius_thin"


def _procedure(make_app, mode="practice"):
    app = make_app()
    start_procedure(app, CASE_ID, mode, "r1" if mode == "assessment" else "")
    return app


def test_end_opens_a_confirmation_and_esc_keeps_the_procedure_going(make_app, artifacts):
    app = _procedure(make_app, "assessment")
    screen = app.screen
    key(app, pygame.K_END)
    wait(app, 0.1)
    pygame.image.save(app.window, str(artifacts / "finish_confirm.png"))
    assert screen.dialogs.kind == "finish"
    assert "This assessment attempt is scored and saved." in screen.dialogs.dialog.lines
    key(app, pygame.K_ESCAPE)
    wait(app, 1.0)
    assert not screen.dialogs.is_open
    assert app.screen is screen and not has(screen.session, E.SessionFinished)
    assert open_store(app.config.db_url, app.config.key_file).find(AttemptFilter()) == []  # no attempt saved


def test_enter_in_the_confirmation_finishes_and_opens_the_debrief(make_app):
    app = _procedure(make_app)
    screen = app.screen
    key(app, pygame.K_END)
    wait(app, 0.05)
    assert "This assessment attempt is scored and saved." not in screen.dialogs.dialog.lines  # practice
    key(app, pygame.K_RETURN)
    wait(app, 1.0)
    assert has(screen.session, E.SessionFinished)
    assert app.screen.name == "debrief"


def test_the_finish_button_asks_too_and_its_cancel_goes_back(make_app):
    app = _procedure(make_app)
    screen = app.screen
    press_button(app, "finish")
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    assert screen.dialogs.kind == "finish"
    click_element(app, dialog.cancel_button)
    wait(app, 0.5)
    assert not screen.dialogs.is_open and app.screen is screen
    assert not has(screen.session, E.SessionFinished)
