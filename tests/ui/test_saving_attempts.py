"""The trainer keeps attempts in the store: an assessment needs a trainee id before it starts,
practice attempts are kept under the id given, and a save that failed can be retried from
the debrief."""

import sqlite3

import pygame
import pygame_gui

from simulator.records.attempt import AttemptFilter
from simulator.records.store import open_store
from tests.ui.driving import finish, key, start_procedure, wait

CASE_ID = "s1_upper_trapezius_thin"


def _stored(app):
    return open_store(app.config.db_url, app.config.key_file).find(AttemptFilter())


def _finish_at_once(app, mode, trainee):
    start_procedure(app, CASE_ID, mode, trainee)
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    return app.screen


def test_an_assessment_does_not_start_without_a_trainee_id(make_app, artifacts):
    app = make_app()
    picker = app.screen
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=picker.assessment_button,
                                        ui_object_id=""))
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen is picker and picker.problem == "Enter a trainee id to start an assessment."
    pygame.image.save(app.window, str(artifacts / "picker_needs_trainee.png"))
    picker.trainee_entry.set_text("r2;kim")
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen is picker
    assert picker.problem == "A trainee id may use letters, digits, spaces and . _ @ + - only."
    picker.trainee_entry.set_text("r2-kim")
    key(app, pygame.K_RETURN)
    assert app.screen.name == "procedure" and app.screen.trainee == "r2-kim"


def test_practice_is_kept_under_the_trainee_id_and_under_guest_without_one(make_app):
    app = make_app()
    debrief = _finish_at_once(app, "practice", "r1")
    [attempt] = _stored(app)
    assert attempt.mode == "practice" and attempt.trainee_id == "r1" and attempt == debrief.saved["attempt"]
    debrief = _finish_at_once(app, "practice", "")
    first, second = _stored(app)
    assert first == attempt and second.trainee_id == "guest" and second == debrief.saved["attempt"]


def test_a_failed_save_says_why_and_retry_save_keeps_the_attempt(make_app, tmp_path, artifacts):
    path = tmp_path / "lab.db"
    app = make_app(db_url=f"sqlite:///{path}?timeout=0.2")
    assert _stored(app) == []  # the database exists, empty
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the file while the attempt is saved
    debrief = _finish_at_once(app, "assessment", "r3")
    assert debrief.saved["error"].startswith(f"Not saved: the attempts database {path} is busy")
    assert debrief.saved["error"] in debrief.teaching_items
    retry = next(b for b, command in debrief.buttons.items() if command == "save")
    assert retry.text == "Retry save"
    pygame.image.save(app.window, str(artifacts / "debrief_save_failed.png"))
    other.rollback()
    other.close()
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=retry, ui_object_id=""))
    wait(app, 0.05)
    [attempt] = _stored(app)
    assert attempt.trainee_id == "r3" and attempt.result == debrief.result
    assert "save" not in debrief.buttons.values()
    assert f"Saved as attempt {attempt.attempt_id} in {path}." in debrief.teaching_items
