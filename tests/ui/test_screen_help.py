"""F1 on every screen: the debrief and the replay viewer show their own keys over a dimmed
screen; while the help is open a key does nothing behind it; Esc closes it."""

import numpy as np
import pygame
import pytest

from simulator.render import palette as pal
from simulator.ui.keys import DEBRIEF_HELP, REPLAY_HELP
from tests.ui.driving import finish, key, start_procedure, wait


def help_look(app) -> tuple[float, int]:
    """(mean brightness of the top bar, pixels of the amber the key names are drawn in)."""
    top = pygame.surfarray.array3d(app.window.subsurface((0, 0, app.size[0], 40))).astype(float).mean()
    pixels = pygame.surfarray.array3d(app.window).astype(int)
    return top, int((np.abs(pixels - np.array(pal.WARN)) <= 40).all(axis=2).sum())


def to_debrief(app):
    start_procedure(app, app.config.cases[0].id)
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"


@pytest.mark.parametrize("where", ["debrief", "replay"])
def test_f1_shows_the_screens_keys_and_esc_closes_them(make_app, artifacts, where):
    app = make_app(size=(1024, 640))
    to_debrief(app)
    if where == "replay":
        key(app, pygame.K_p)
        wait(app, 0.05)
    screen = app.screen
    assert screen.name == where
    assert screen.help_groups is (DEBRIEF_HELP if where == "debrief" else REPLAY_HELP)
    top_before, _ = help_look(app)
    key(app, pygame.K_F1)
    wait(app, 0.05)
    pygame.image.save(app.window, str(artifacts / f"help_{where}.png"))
    top, amber = help_look(app)
    assert app.screen_help.visible and top < 0.6 * top_before  # the screen behind is dimmed
    assert amber > 200  # the key names in amber: all else behind the help is dimmed out of that colour
    key(app, pygame.K_r if where == "debrief" else pygame.K_ESCAPE)  # R would retry; Esc closes the help
    wait(app, 0.05)
    assert app.screen is screen
    if where == "debrief":
        key(app, pygame.K_ESCAPE)
        wait(app, 0.05)
        assert app.screen is screen
    assert not app.screen_help.visible
