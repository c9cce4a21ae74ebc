"""The exam's screens, headless: the candidate id, a case's countdown, help and Esc, saving between
cases (and retrying a save that failed), and what the end screen shows for each `show_at_end`."""

from __future__ import annotations

import sqlite3

import numpy as np
import pygame
import pygame_gui

from simulator.records.attempt import AttemptFilter
from simulator.render import palette as pal
from simulator.scenario.exam_loader import load_exam
from tests.exam.test_exam_file import GOOD, write_exam
from tests.ui.driving import finish, key, wait
from tests.ui.store_app import store_settings

EXAM = (GOOD.replace("show_at_end: pass_fail_only", "show_at_end: scores")
        .replace("  - case: ../cases/local.yaml\n    seed: 6\n    time_limit_s: 300\n",
                 "  - case: ../cases/local.yaml\n    seed: 6\n    time_limit_s: 30\n"))


def exam_app(make_app, tmp_path, text: str = EXAM, **overrides):
    loaded = load_exam(write_exam(tmp_path, text))
    settings = {**store_settings(tmp_path), **overrides}
    return make_app(exam=loaded, mode="exam", cases=list(loaded.cases), **settings)


def type_text(app, text: str) -> None:
    for char in text:
        app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=char))
    wait(app, 0.05)


def enter_candidate(app, candidate: str = "cand-7") -> None:
    type_text(app, candidate)
    key(app, pygame.K_RETURN)
    wait(app, 0.05)


def stored(app):
    return app.attempt_store().find(AttemptFilter(exam_id="unit-exam"))


def finish_case(app) -> None:
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "exam_between"


def test_the_candidate_screen_refuses_an_empty_or_malformed_id_and_starts_with_a_good_one(make_app, tmp_path,
                                                                                        artifacts):
    app = exam_app(make_app, tmp_path)
    screen = app.screen
    assert screen.name == "exam_candidate"
    pygame.image.save(app.window, str(artifacts / "exam_candidate_empty.png"))
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen is screen and screen.error.startswith("A trainee id is required")
    type_text(app, "   ")
    key(app, pygame.K_RETURN)
    assert app.screen is screen and screen.error.startswith("A trainee id is required")
    screen.id_entry.set_text("")
    type_text(app, "cand;7")
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen is screen and "letters, digits, spaces" in screen.error
    pygame.image.save(app.window, str(artifacts / "exam_candidate_refused.png"))
    screen.id_entry.set_text("")
    enter_candidate(app)
    assert app.screen.name == "exam_case" and app.screen.trainee == "cand-7"
    assert app.screen.mode == "exam" and not app.screen.practice


def test_a_case_counts_down_and_finishes_itself_at_zero_and_is_saved(make_app, tmp_path, artifacts):
    app = exam_app(make_app, tmp_path)
    enter_candidate(app)
    finish_case(app)
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    screen = app.screen
    assert screen.name == "exam_case" and screen.limit_s == 30
    assert screen.clock()[0] == "00:30 left"
    wait(app, 5.0)
    assert screen.clock()[0] == "00:25 left" and screen.clock()[1] == pal.DANGER  # red in the last minute
    pygame.image.save(app.window, str(artifacts / "exam_case_countdown.png"))
    assert not screen.state.probe_on_skin  # the probe starts off the skin
    wait(app, 25.5)
    assert screen.session.state.finished and screen.timed_out
    wait(app, 1.0)
    assert app.screen.name == "exam_between"
    attempts = stored(app)
    assert [a.case_id for a in attempts] == ["s1_upper_trapezius_thin", "s3_infraspinatus_diabetic"]
    assert attempts[1].result["metrics"]["finished"] and attempts[1].mode == "exam"
    assert attempts[1].seed == 6 and attempts[1].trainee_id == "cand-7"


def test_help_opens_only_when_the_exam_allows_it(make_app, tmp_path):
    app = exam_app(make_app, tmp_path)
    enter_candidate(app)
    key(app, pygame.K_F1)
    wait(app, 0.05)
    assert not app.screen.help_visible and app.screen.notice[1] == "Help is not available in this exam"
    allowed = exam_app(make_app, tmp_path, EXAM.replace("time_limit_s: 120", "time_limit_s: 120\nhelp_allowed: true"))
    enter_candidate(allowed)
    key(allowed, pygame.K_F1)
    assert allowed.screen.help_visible


def test_esc_cannot_leave_a_case_and_end_needs_a_confirmation(make_app, tmp_path):
    app = exam_app(make_app, tmp_path)
    enter_candidate(app)
    screen = app.screen
    key(app, pygame.K_ESCAPE)
    wait(app, 0.2)
    assert app.screen is screen and not screen.state.finished
    key(app, pygame.K_END)
    wait(app, 0.05)
    assert screen.dialogs.kind == "finish"
    assert screen.dialogs.dialog.lines[0] == "This case ends here and cannot be reopened."
    key(app, pygame.K_ESCAPE)  # Esc closes the question, not the case
    wait(app, 0.5)
    assert app.screen is screen and screen.dialogs.kind is None and not screen.state.finished
    app.handle_event(pygame.event.Event(pygame.QUIT))  # closing the window asks to finish too
    assert app.running and screen.dialogs.kind == "finish"
    assert stored(app) == []


def test_a_failed_save_is_offered_again_and_the_exam_waits_for_it(make_app, tmp_path, artifacts):
    path = tmp_path / "lab.db"
    app = exam_app(make_app, tmp_path, db_url=f"sqlite:///{path}?timeout=0.2")
    assert stored(app) == []
    enter_candidate(app)
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the database while the case is saved
    finish_case(app)
    between = app.screen
    assert between.flow.pending is not None and between.flow.save_error.startswith("The attempt could not be saved")
    assert between.retry_button.visible and not between.next_button.is_enabled
    pygame.image.save(app.window, str(artifacts / "exam_between_save_failed.png"))
    key(app, pygame.K_RETURN)
    assert app.screen is between  # no next case while the attempt is not kept
    other.rollback()
    other.close()
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=between.retry_button,
                                        ui_object_id=""))
    assert between.flow.pending is None and [a.case_id for a in stored(app)] == ["s1_upper_trapezius_thin"]
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen.name == "exam_case"


def run_to_the_end(app) -> None:
    enter_candidate(app)
    for _ in range(2):
        finish_case(app)
        key(app, pygame.K_RETURN)
        wait(app, 0.05)
    assert app.screen.name == "exam_end"


def table_colours(app) -> int:
    """How many colours the case table's place holds (1: nothing drawn there)."""
    screen = app.screen
    rect = screen.row_rect(0).union(screen.row_rect(1))
    pixels = pygame.surfarray.array3d(app.window.subsurface(rect)).reshape(-1, 3)
    return len(np.unique(pixels, axis=0))


def test_the_end_shows_scores_or_only_the_verdict_as_the_exam_says(make_app, tmp_path, artifacts):
    app = exam_app(make_app, tmp_path)
    run_to_the_end(app)
    end = app.screen
    verdict = end.verdict
    assert not verdict.passed  # two cases finished at once: nothing was done
    assert [c.case_id for c in verdict.cases] == ["s1_upper_trapezius_thin", "s3_infraspinatus_diabetic"]
    assert verdict.reasons == (f"the mean total {verdict.mean_total:g} is below the 70 this exam requires",)
    pygame.image.save(app.window, str(artifacts / "exam_end_scores.png"))
    assert table_colours(app) > 20  # the case rows are drawn
    assert len(stored(app)) == 2 and end.debrief_buttons == {}

    (tmp_path / "other").mkdir()
    only = exam_app(make_app, tmp_path / "other", EXAM.replace("show_at_end: scores", "show_at_end: pass_fail_only"))
    run_to_the_end(only)
    pygame.image.save(only.window, str(artifacts / "exam_end_pass_fail_only.png"))
    assert table_colours(only) == 1  # no rows: the verdict only
    key(only, pygame.K_ESCAPE)
    assert not only.running


def test_full_debrief_opens_each_case_debrief_and_comes_back(make_app, tmp_path, artifacts):
    app = exam_app(make_app, tmp_path, EXAM.replace("show_at_end: scores", "show_at_end: full_debrief"))
    run_to_the_end(app)
    end = app.screen
    button = next(b for b, index in end.debrief_buttons.items() if index == 1)
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=button, ui_object_id=""))
    wait(app, 0.05)
    debrief = app.screen
    assert debrief.name == "review_debrief" and debrief.case.id == "s3_infraspinatus_diabetic"
    assert [b.text for b in debrief.buttons] == ["Back to the results   (Esc)"]
    pygame.image.save(app.window, str(artifacts / "exam_full_debrief.png"))
    key(app, pygame.K_r)  # no retry in an exam: every key of this debrief leads back
    wait(app, 0.05)
    assert app.screen is end
