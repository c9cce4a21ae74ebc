"""One press of a key is one action, however long the frame it falls in; holding a key repeats
it only where holding means "more of the same" (arrows, adjustments, Backspace in a text field).

Found in the real window (tests/ui/test_keyboard_real_window.py): the window's timer-based key
repeat kept queueing KEYDOWNs while the app was stalled between a press and its release, so a
Tab moved the focus two or three times. The app now makes the repeats itself, at the frames it
runs (simulator/ui/key_repeat.py). Here the frames are fed by hand: a press, frames of a given
length (a long one is a stall), the release.
"""

import pygame

from simulator.core import actions as A
from simulator.ui.keyboard_finger import STEP_MM
from tests.ui.driving import focus_trainee_field, key, start_procedure, type_text, wait

STALL_S = 2.5  # one frame this long: the procedure screen preparing its first image on a busy machine


def down(app, k, mod=0, unicode=""):
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode=unicode, scancode=0))


def up(app, k, mod=0, unicode=""):
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=k, mod=mod, unicode=unicode, scancode=0))


def press_over_a_stall(app, k):
    """Press `k`, one stalled frame, a normal frame, release, then a few frames."""
    down(app, k)
    app.frame(STALL_S)
    app.frame(1 / 60)
    up(app, k)
    wait(app, 0.1)


def hold(app, k, seconds, mod=0, unicode=""):
    """Press `k` and keep it down for `seconds` of 60 Hz frames, then release it."""
    down(app, k, mod, unicode)
    wait(app, seconds)
    up(app, k, mod, unicode)
    wait(app, 0.05)


def actions_of(screen, kind) -> int:
    return sum(isinstance(action, kind) for _, action in screen.driver.timed)


def with_needle_in(app):
    screen = start_procedure(app, app.config.cases[0].id)
    for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5):
        key(app, k)
    wait(app, 0.1)
    key(app, pygame.K_n)
    wait(app, 0.1)
    assert screen.state.needle is not None
    return screen


# ------------------------------------------------------------------ one press, one action
def test_tab_over_a_stalled_frame_moves_the_focus_once(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    press_over_a_stall(app, pygame.K_TAB)
    assert app.focus.focused is screen.widgets_list[0]


def test_tab_held_a_second_moves_the_focus_once(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    hold(app, pygame.K_TAB, 1.0)
    assert app.focus.focused is screen.widgets_list[0]


def test_insert_held_over_a_stall_inserts_once(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    key(app, pygame.K_F5)
    wait(app, 0.1)
    press_over_a_stall(app, pygame.K_n)
    hold(app, pygame.K_n, 1.0)  # held as long as any repeat would need: still the one insertion
    assert actions_of(screen, A.Insert) == 1


def test_advance_over_a_stalled_frame_advances_one_millimetre(make_app):
    app = make_app()
    screen = with_needle_in(app)
    before_mm = screen.state.needle.length_mm
    press_over_a_stall(app, pygame.K_w)
    assert actions_of(screen, A.Advance) == 1
    assert abs(screen.state.needle.length_mm - before_mm - 1.0) < 1e-6


def test_one_shot_keys_held_act_once(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    hold(app, pygame.K_F3, 1.0)  # position the patient
    hold(app, pygame.K_SPACE, 1.0)  # aspirate (nothing to aspirate yet: one attempt logged, not twenty)
    hold(app, pygame.K_END, 1.0)  # finish: asks once
    assert actions_of(screen, A.Position) == 1 and actions_of(screen, A.Aspirate) == 1
    assert screen.dialogs.kind == "finish"


def test_a_held_consent_letter_ticks_its_topic_once(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    key(app, pygame.K_F2)
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    hold(app, pygame.K_a, 1.0)  # a repeat would untick it again, and tick it, and untick it...
    assert dialog.ticked() == (dialog.topics[0],)


# ------------------------------------------------------------------ holding still repeats
def finger_out(app):
    """The procedure screen with the keyboard finger out (P); returns the screen and the finger's x."""
    screen = start_procedure(app, app.config.cases[0].id)
    key(app, pygame.K_p)
    wait(app, 0.05)
    return screen, screen.finger_keys.x_mm


def test_a_held_arrow_moves_the_keyboard_finger_several_steps(make_app):
    app = make_app()
    screen, start_mm = finger_out(app)
    hold(app, pygame.K_LEFT, 0.6)  # 0.3 s before the first repeat, then one every 50 ms
    steps = round((start_mm - screen.finger_keys.x_mm) / STEP_MM)
    assert 5 <= steps <= 9


def test_a_held_w_advances_the_needle_several_millimetres(make_app):
    app = make_app()
    screen = with_needle_in(app)
    before_mm = screen.state.needle.length_mm
    hold(app, pygame.K_w, 0.6)
    advanced_mm = screen.state.needle.length_mm - before_mm
    assert 5 <= actions_of(screen, A.Advance) <= 9 and advanced_mm >= 5


def test_slow_frames_slow_the_repeat_but_add_none(make_app):
    """At 4 frames a second (a busy machine) a held arrow repeats at most once a frame, and a
    press released within the delay does nothing more, however long its frames."""
    app = make_app()
    screen, start_mm = finger_out(app)
    down(app, pygame.K_LEFT)
    for _ in range(8):
        app.frame(0.25)
    up(app, pygame.K_LEFT)
    wait(app, 0.05)
    steps = round((start_mm - screen.finger_keys.x_mm) / STEP_MM)
    assert 1 + 2 <= steps <= 1 + 6  # the press, then one repeat a frame once 0.3 s of frames were seen


def test_a_held_backspace_in_the_trainee_field_deletes_several_characters(make_app):
    app = make_app()
    picker = focus_trainee_field(app)
    type_text(app, "resident-0042")
    hold(app, pygame.K_BACKSPACE, 0.5)  # the press, then about 4 repeats
    left = picker.trainee_entry.get_text()
    assert "resident-0042".startswith(left) and 3 <= len("resident-0042") - len(left) <= 7
    assert app.screen is picker

