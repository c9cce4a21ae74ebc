"""A whole practice case with the keyboard alone, through real key events (posted to pygame's
queue and read by the app's own event loop, as the window's keys are): choose the case in the
picker, palpate and mark with the keyboard finger, consent, prepare, needle to a twitch, draw
up, aspirate, inject, finish; the debrief shows a pass. And the finger's own keys, one by one."""

import math

import pygame

from simulator.core import actions as A
from simulator.core import events as E
from simulator.ui.keyboard_finger import COARSE_STEP_MM, STEP_MM, KeyboardFinger
from tests.ui.driving import aim_and_needle, finish, give_consent, has

CASE_ID = "s1_upper_trapezius_thin"


class Keyboard:
    """Posts key events to pygame's queue and runs the app's frames, which read the queue."""

    def __init__(self, app):
        self.app = app

    def frames(self, seconds: float) -> None:
        for _ in range(max(1, round(seconds * 60))):
            self.app.frame(1 / 60, pygame.event.get())

    def down(self, k, mod=0) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0))
        self.frames(1 / 60)

    def up(self, k, mod=0) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode="", scancode=0))
        self.frames(1 / 60)

    def press(self, k, mod=0) -> None:
        self.down(k, mod)
        self.up(k, mod)


def walk_finger(keyboard, finger, target_mm) -> None:
    """Arrow presses (Shift for the long steps) that bring the finger onto `target_mm`."""
    for axis, (minus, plus) in enumerate(((pygame.K_LEFT, pygame.K_RIGHT), (pygame.K_UP, pygame.K_DOWN))):
        here = (finger.x_mm, finger.y_mm)[axis]
        distance = target_mm[axis] - here
        direction = plus if distance > 0 else minus
        for _ in range(int(abs(distance) // COARSE_STEP_MM)):
            keyboard.press(direction, pygame.KMOD_SHIFT)
        here = (finger.x_mm, finger.y_mm)[axis]
        for _ in range(round(abs(target_mm[axis] - here) / STEP_MM)):
            keyboard.press(direction)


def test_a_whole_practice_case_with_the_keyboard_alone(make_app, artifacts):
    app = make_app()
    pygame.event.clear()
    keyboard = Keyboard(app)
    keyboard.frames(0.05)
    index = next(i for i, c in enumerate(app.config.cases) if c.id == CASE_ID)
    for _ in range(index):
        keyboard.press(pygame.K_DOWN)
    keyboard.press(pygame.K_RETURN)
    assert app.screen.name == "procedure" and app.screen.case.id == CASE_ID
    screen, case = app.screen, app.screen.case
    tp = next(t for t in case.trigger_points if t.activity == "active")

    keyboard.press(pygame.K_p)  # the keyboard finger
    finger = screen.finger_keys
    assert finger.active
    walk_finger(keyboard, finger, (tp.x_mm, tp.y_mm))
    assert math.dist((finger.x_mm, finger.y_mm), (tp.x_mm, tp.y_mm)) <= STEP_MM
    keyboard.down(pygame.K_SPACE)
    keyboard.frames(1.2)  # the press firms up with the hold
    pygame.image.save(app.window, str(artifacts / "keyboard_palpating.png"))
    keyboard.up(pygame.K_SPACE)
    keyboard.press(pygame.K_k)  # mark under the finger
    keyboard.press(pygame.K_p)  # finger away: the arrows are the probe's again
    assert not finger.active and screen.state.marks

    give_consent(app, press=keyboard.press)
    for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5):
        keyboard.press(k)
    keyboard.frames(0.2)
    aim_and_needle(app, case, press=keyboard.press)
    keyboard.press(pygame.K_F7)
    keyboard.frames(0.1)
    keyboard.press(pygame.K_SPACE)
    keyboard.frames(0.1)
    keyboard.press(pygame.K_i)
    keyboard.frames(0.1)
    finish(app, press=keyboard.press)
    keyboard.frames(1.0)

    session = screen.session
    felt = [e for e in session.events if isinstance(e, E.PalpationFelt)]
    assert felt and max(e.pressure for e in felt) > 0.6  # a real press that firmed up
    assert has(session, E.TwitchElicited) and has(session, E.Injected)
    assert app.screen.name == "debrief"
    result = app.screen.result
    by_id = {c["id"]: c for c in result["criteria"]}
    assert by_id["localization"]["points"] == by_id["localization"]["max"]
    assert result["passed"], [(c["id"], c["points"], c["evidence"]) for c in result["criteria"]]
    pygame.image.save(app.window, str(artifacts / "keyboard_debrief.png"))


def key_event(kind, k, mod=0):
    return pygame.event.Event(kind, key=k, mod=mod, unicode="", scancode=0)


def test_the_finger_moves_presses_releases_and_goes_away():
    finger = KeyboardFinger((120.0, 80.0))
    assert finger.key(key_event(pygame.KEYDOWN, pygame.K_LEFT), 0.3, None) is None  # not out: the probe's arrow
    finger.show(None)
    assert (finger.x_mm, finger.y_mm) == (60.0, 40.0)
    assert finger.key(key_event(pygame.KEYDOWN, pygame.K_RIGHT), 0.3, None) == []  # moves, no press yet
    assert finger.key(key_event(pygame.KEYDOWN, pygame.K_DOWN, pygame.KMOD_SHIFT), 0.3, None) == []
    assert (finger.x_mm, finger.y_mm) == (60.0 + STEP_MM, 40.0 + COARSE_STEP_MM)
    [press] = finger.key(key_event(pygame.KEYDOWN, pygame.K_SPACE), 0.3, None)
    assert isinstance(press, A.Palpate) and (press.x_mm, press.y_mm) == (62.0, 50.0)
    assert finger.key(key_event(pygame.KEYDOWN, pygame.K_SPACE), 0.5, None) == []  # key repeat: still one press
    [slide] = finger.key(key_event(pygame.KEYDOWN, pygame.K_UP), 0.55, "pincer")
    assert slide == A.Palpate(x_mm=62.0, y_mm=48.0, pressure=0.55, grip="pincer")
    assert finger.key(key_event(pygame.KEYUP, pygame.K_SPACE), 0.55, None) == [A.Release()]
    assert finger.key(key_event(pygame.KEYDOWN, pygame.K_k), 0.3, None) is None  # K is the screen's mark key
    assert finger.key(key_event(pygame.KEYDOWN, pygame.K_ESCAPE), 0.3, None) == []
    assert not finger.active


def test_the_finger_stays_on_the_region():
    finger = KeyboardFinger((30.0, 20.0))
    finger.show((2.0, 2.0))
    for _ in range(3):
        finger.key(key_event(pygame.KEYDOWN, pygame.K_LEFT, pygame.KMOD_SHIFT), 0.3, None)
        finger.key(key_event(pygame.KEYDOWN, pygame.K_UP, pygame.KMOD_SHIFT), 0.3, None)
    assert (finger.x_mm, finger.y_mm) == (0.0, 0.0)
