"""Closing the replay goes back to the debrief it was opened from; a replay opened from a file
goes back to the case list."""

import pygame

from simulator.core import actions as A
from tests.ui.driving import click_element, finish, key, start_procedure, wait

CASE_ID = "s1_upper_trapezius_thin"


def _debrief(make_app):
    app = make_app()
    start_procedure(app, CASE_ID)
    key(app, pygame.K_F4)  # skin prep, so the replay has something in it
    wait(app, 0.2)
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    return app


def test_esc_and_the_close_button_in_the_replay_return_to_the_same_debrief(make_app, artifacts):
    app = _debrief(make_app)
    debrief = app.screen
    app.frame(1 / 60)
    before = pygame.surfarray.array3d(app.window).copy()
    key(app, pygame.K_p)  # watch the replay
    assert app.screen.name == "replay"
    wait(app, 0.3)
    key(app, pygame.K_ESCAPE)
    assert app.screen is debrief
    app.frame(1 / 60)
    pygame.image.save(app.window, str(artifacts / "debrief_after_replay.png"))
    assert (pygame.surfarray.array3d(app.window) == before).all()  # the same debrief, drawn the same
    assert all(button.alive() for button in debrief.buttons)  # its buttons work again
    key(app, pygame.K_p)
    replay = app.screen
    wait(app, 0.1)
    pygame.image.save(app.window, str(artifacts / "replay_from_debrief.png"))
    assert replay.back_button.text == "Debrief"
    click_element(app, replay.back_button)
    assert app.screen is debrief


def test_a_replay_opened_without_a_debrief_closes_to_the_case_list(make_app):
    app = make_app()
    case = next(c for c in app.config.cases if c.id == CASE_ID)
    app.open_replay(({"case": case.id, "seed": 3}, [(0.2, A.SkinPrep())]))
    assert app.screen.back_button.text == "Close"
    wait(app, 0.1)
    key(app, pygame.K_ESCAPE)
    assert app.screen.name == "picker"
