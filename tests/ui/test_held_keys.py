"""A key held down while the screen changes does nothing on the next screen until it is released.

Found in the real window (tests/ui/test_keyboard_real_window.py): a key held a little long
repeats, so N ("next case") held on the debrief went on into the next case and inserted the
needle there, many times over. Here the window's key repeat is played as it arrives: one
KEYDOWN, more KEYDOWNs of the same key while it is held, then the KEYUP.
"""

import pygame

from simulator.core import actions as A
from tests.ui.driving import finish, key, start_procedure, wait


def down(app, k):
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))


def up(app, k):
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=k, mod=0, unicode="", scancode=0))


def hold_with_repeat(app, k, repeats=8):
    """Press `k`, let it repeat every 50 ms while the frames run, then release it."""
    down(app, k)
    for _ in range(repeats):
        wait(app, 0.05)
        down(app, k)
    wait(app, 0.05)
    up(app, k)
    wait(app, 0.05)


def inserts(screen) -> int:
    return sum(isinstance(action, A.Insert) for _, action in screen.driver.timed)


def test_n_held_on_the_debrief_opens_the_next_case_without_inserting_the_needle(make_app):
    app = make_app()
    start_procedure(app, app.config.cases[0].id)
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    hold_with_repeat(app, pygame.K_n)
    screen = app.screen
    assert screen.name == "procedure" and screen.case is app.config.cases[1]
    assert screen.state.needle is None and inserts(screen) == 0
    key(app, pygame.K_F5)  # take the needle, then N pressed again after the release inserts it, as always
    wait(app, 0.1)
    key(app, pygame.K_n)
    wait(app, 0.1)
    assert screen.state.needle is not None and inserts(screen) == 1


def test_g_held_on_the_picker_opens_the_guided_case_without_changing_the_grip(make_app, tmp_path):
    app = make_app(guide_file=tmp_path / "data" / "guided.json", seed=1)
    wait(app, 0.05)
    hold_with_repeat(app, pygame.K_g)
    screen = app.screen
    assert screen.name == "tutorial" and screen.grip == "flat"
    key(app, pygame.K_g)  # a fresh press is the grip key again
    wait(app, 0.05)
    assert screen.grip == "pincer"
