"""Every text field of the app leaves the window's own key repeat off while it has the focus.

Why: pygame_gui's text field switches the window's timer repeat on when it takes the focus,
and that timer queued presses while the app was stalled (key_repeat.py). The app's text
fields (simulator/ui/text_field.py) leave the repeat as it was, so nothing has to switch it
off again frame after frame. Each field here takes the focus the way a user gives it (a
click, Tab, the screen opening with it focused, "other" chosen in the decline list), and the
window repeat is read at once, before any further frame. Holding Backspace still deletes
repeatedly: the app's own repeat (tests/ui/test_key_repeat.py).
"""

from __future__ import annotations

import pygame

from simulator.ui.screens.decline_dialog import OTHER
from simulator.ui.text_field import TextField
from tests.ui.driving import click, focus_trainee_field, give_consent, key, start_procedure, type_text, wait
from tests.ui.store_app import store_settings
from tests.ui.test_attempts_view import open_attempts, store_attempts
from tests.ui.test_exam_mode import exam_app

OFF = (0, 0)


def test_clicking_into_the_trainee_field_leaves_the_window_repeat_off(make_app):
    app = make_app()
    picker = focus_trainee_field(app)  # the click, no frame after it
    assert picker.trainee_entry.is_focused and pygame.key.get_repeat() == OFF
    wait(app, 0.1)
    assert picker.trainee_entry.is_focused and pygame.key.get_repeat() == OFF


def test_tab_into_the_trainee_field_leaves_the_window_repeat_off(make_app):
    app = make_app()
    picker = focus_trainee_field(app)
    click(app, (2, app.size[1] - 2))  # a click outside takes the focus away
    assert not picker.trainee_entry.is_focused
    for _ in range(len(picker.focus_order())):
        key(app, pygame.K_TAB)
        if picker.trainee_entry.is_focused:
            break
    assert picker.trainee_entry.is_focused and pygame.key.get_repeat() == OFF


def test_a_held_backspace_deletes_by_the_apps_repeat_with_the_window_repeat_off(make_app):
    app = make_app()
    picker = focus_trainee_field(app)
    type_text(app, "resident-0042")
    key(app, pygame.K_BACKSPACE)
    assert picker.trainee_entry.get_text() == "resident-004"  # one press, one character
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0, unicode="", scancode=0))
    wait(app, 0.5)  # the press, then about 4 repeats made by the app
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=pygame.K_BACKSPACE, mod=0, unicode="", scancode=0))
    wait(app, 0.05)
    deleted = len("resident-004") - len(picker.trainee_entry.get_text())
    assert 3 <= deleted <= 7 and pygame.key.get_repeat() == OFF


def test_the_exam_candidate_field_opens_focused_with_the_window_repeat_off(make_app, tmp_path):
    app = exam_app(make_app, tmp_path)
    assert app.screen.name == "exam_candidate" and app.screen.id_entry.is_focused
    assert pygame.key.get_repeat() == OFF


def test_the_my_attempts_trainee_field_opens_focused_with_the_window_repeat_off(make_app, tmp_path):
    app = make_app(**store_settings(tmp_path))
    screen = open_attempts(app, "")  # no trainee given: the field asks for one
    assert screen.trainee_entry.is_focused and pygame.key.get_repeat() == OFF


def test_the_rating_dialogs_fields_leave_the_window_repeat_off(make_app, tmp_path):
    app = make_app(**store_settings(tmp_path))
    store_attempts(app, "r-rated", 1)
    open_attempts(app, "r-rated")
    key(app, pygame.K_p)
    wait(app, 0.05)
    key(app, pygame.K_r)
    dialog = app.screen.rating_dialog
    for field in (dialog.examiner, dialog.comment):
        click(app, field.rect.center)
        assert field.is_focused and pygame.key.get_repeat() == OFF


def test_the_decline_reason_field_takes_the_focus_with_the_window_repeat_off(make_app):
    app = make_app()
    screen = start_procedure(app, "s9_scm_whiplash")
    give_consent(app)
    key(app, pygame.K_F9)
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    for _ in range(len(dialog.reasons)):  # down to the last reason, "other"
        key(app, pygame.K_DOWN)
    app.frame(1 / 60)  # the dialog's update shows the field and gives it the focus
    assert dialog.list.get_single_selection() == OTHER
    assert dialog.entry.is_focused and pygame.key.get_repeat() == OFF


def test_focus_and_unfocus_keep_a_window_repeat_that_was_set(make_app):
    """The field neither switches the repeat on nor off: a repeat set before is still there."""
    app = make_app()
    picker = focus_trainee_field(app)
    assert isinstance(picker.trainee_entry, TextField)
    click(app, (2, app.size[1] - 2))
    pygame.key.set_repeat(300, 40)
    try:
        click(app, picker.trainee_entry.rect.center)
        assert picker.trainee_entry.is_focused and pygame.key.get_repeat() == (300, 40)
        click(app, (2, app.size[1] - 2))
        assert not picker.trainee_entry.is_focused and pygame.key.get_repeat() == (300, 40)
    finally:
        pygame.key.set_repeat()
