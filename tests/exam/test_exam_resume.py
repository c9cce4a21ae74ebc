"""An interrupted exam, with the real attempt store: the same candidate is offered to resume, the
cases already stored are not taken again, the case that was open goes on with only the time it had left, the others follow with their
time limits, and
the exam ends with one signed sitting over all its attempts (checked by `tpi-sim verify`)."""

from __future__ import annotations

import pygame
import pytest

from simulator.core.exam_rule import evaluate
from simulator.records.attempt import AttemptFilter
from simulator.records.sitting import SittingFilter
from simulator.scenario.exam_loader import load_exam
from tests.cli_run import run_cli
from tests.exam.test_exam_file import GOOD, write_exam
from tests.ui.driving import finish, key, type_text, wait
from tests.ui.layout_checks import widget_problems
from tests.ui.store_app import store_settings

THREE_CASES = (GOOD.replace("show_at_end: pass_fail_only", "show_at_end: scores")
               + "  - case: s2_levator_scapulae_warfarin\n    seed: 7\n")
CASE_IDS = ["s1_upper_trapezius_thin", "s3_infraspinatus_diabetic", "s2_levator_scapulae_warfarin"]


def exam_app(make_app, folder, **overrides):
    """The trainer running the three-case exam on the store in `folder` (the same file on every call)."""
    loaded = load_exam(write_exam(folder, THREE_CASES))
    return make_app(exam=loaded, mode="exam", cases=list(loaded.cases), **store_settings(folder), **overrides)


def enter_candidate(app, candidate: str) -> None:
    type_text(app, candidate)
    key(app, pygame.K_RETURN)
    wait(app, 0.05)


def finish_case(app) -> None:
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "exam_between"


def stored(app, candidate: str = "cand-7"):
    store = app.attempt_store()
    return (store.find(AttemptFilter(trainee_id=candidate, exam_id="unit-exam")),
            store.find_sittings(SittingFilter(candidate_id=candidate, exam_id="unit-exam")))


def test_a_sitting_killed_in_case_2_resumes_at_case_2_and_ends_with_one_sitting_of_three_attempts(
        make_app, tmp_path, artifacts):
    first = exam_app(make_app, tmp_path)
    enter_candidate(first, "cand-7")
    finish_case(first)
    key(first, pygame.K_RETURN)
    wait(first, 2.0)
    assert first.screen.name == "exam_case" and first.screen.case.id == CASE_IDS[1]
    attempts, sittings = stored(first)
    assert [a.case_id for a in attempts] == CASE_IDS[:1] and sittings == []
    # the process dies here, in case 2: nothing more is saved, and nothing is said

    again = exam_app(make_app, tmp_path)
    enter_candidate(again, "cand-7")
    resume = again.screen
    assert resume.name == "exam_resume" and sorted(resume.plan) == [0] and resume.remaining == [1, 2]
    assert sorted(resume.open_cases) == [1] and resume.open_cases[1].used_s == pytest.approx(2.0, abs=0.02)
    assert resume.resume_button.text == "Resume at case 2   (Enter)"
    pygame.image.save(again.window, str(artifacts / "exam_resume.png"))
    key(again, pygame.K_RETURN)
    wait(again, 0.05)
    case = again.screen
    assert case.name == "exam_case" and case.case.id == CASE_IDS[1]
    # case 2's own limit less the 2 s it ran before the process died (and 0.05 s since)
    assert case.limit_s == 300 and case.clock()[0] == "04:58 left"
    finish_case(again)
    assert again.screen.next_button.text == "Start case 3   (Enter)"
    key(again, pygame.K_RETURN)
    wait(again, 0.05)
    assert again.screen.name == "exam_case" and again.screen.case.id == CASE_IDS[2]
    assert again.screen.limit_s == 120
    finish_case(again)
    key(again, pygame.K_RETURN)
    wait(again, 0.05)
    end = again.screen
    assert end.name == "exam_end" and len(end.verdict.cases) == 3
    pygame.image.save(again.window, str(artifacts / "exam_end_resumed.png"))

    attempts, sittings = stored(again)
    assert [a.case_id for a in attempts] == CASE_IDS  # case 1 once, not repeated
    (sitting,) = sittings
    assert sitting.attempt_ids == tuple(a.attempt_id for a in attempts) and sitting.cases_resumed == 1
    assert sitting.started_at == attempts[0].started_at and sitting.candidate_id == "cand-7"
    rule = again.config.exam.exam.pass_rule
    assert sitting.verdict["passed"] is evaluate(rule, [a.result for a in attempts]).passed is end.verdict.passed
    assert sitting.verdict["reasons"] == list(end.verdict.reasons) != []
    lab = ["--db", again.config.db_url, "--key", str(again.config.key_file)]
    code, out, err = run_cli("verify", sitting.sitting_id, *lab)
    assert code == 0, out + err
    assert out.splitlines()[-1] == "1 of 1 exam sitting verified (3 of 3 attempts)"


def test_a_finished_sitting_is_not_offered_again_and_another_candidate_starts_afresh(make_app, tmp_path):
    first = exam_app(make_app, tmp_path)
    enter_candidate(first, "cand-7")
    finish_case(first)
    key(first, pygame.K_RETURN)
    wait(first, 0.05)
    other = exam_app(make_app, tmp_path)
    enter_candidate(other, "cand-8")
    assert other.screen.name == "exam_case" and other.screen.case.id == CASE_IDS[0]
    for _ in range(3):
        finish_case(other)
        key(other, pygame.K_RETURN)
        wait(other, 0.05)
    assert other.screen.name == "exam_end" and len(stored(other, "cand-8")[1]) == 1
    later = exam_app(make_app, tmp_path)
    enter_candidate(later, "cand-8")  # a new sitting, not a resumed one
    assert later.screen.name == "exam_case" and later.screen.case.id == CASE_IDS[0]


def test_esc_on_the_offer_goes_back_to_an_empty_candidate_id(make_app, tmp_path):
    first = exam_app(make_app, tmp_path)
    enter_candidate(first, "cand-7")
    finish_case(first)
    again = exam_app(make_app, tmp_path)
    enter_candidate(again, "cand-7")
    assert again.screen.name == "exam_resume"
    key(again, pygame.K_ESCAPE)
    wait(again, 0.05)
    assert again.screen.name == "exam_candidate" and again.screen.id_entry.get_text() == ""
    assert stored(again)[1] == []


def test_a_store_that_cannot_be_read_keeps_the_candidate_on_the_id_screen_with_the_reason(make_app, tmp_path,
                                                                                         artifacts):
    import sqlite3

    loaded = load_exam(write_exam(tmp_path, THREE_CASES))
    path = tmp_path / "attempts.db"
    app = make_app(exam=loaded, mode="exam", cases=list(loaded.cases), db_url=f"sqlite:///{path}?timeout=0.2",
                   key_file=tmp_path / "signing.key")
    app.attempt_store()  # the store was opened (and made) before the window, as `exam run` does
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the database: the resume check cannot read it
    enter_candidate(app, "cand-7")
    screen = app.screen
    assert screen.name == "exam_candidate" and screen.error.startswith("The attempt store cannot be read: ")
    pygame.image.save(app.window, str(artifacts / "exam_candidate_store_unreadable.png"))
    other.rollback()
    other.close()
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen.name == "exam_case" and app.screen.case.id == CASE_IDS[0]


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_offer_to_resume_fits_every_supported_window(make_app, tmp_path, artifacts, size):
    first = exam_app(make_app, tmp_path)
    enter_candidate(first, "cand-7")
    finish_case(first)
    again = exam_app(make_app, tmp_path, size=size)
    enter_candidate(again, "cand-7")
    assert again.screen.name == "exam_resume"
    again.draw()
    pygame.image.save(again.window, str(artifacts / f"exam_resume_{size[0]}x{size[1]}.png"))
    assert widget_problems(again) == []
    assert min(px for _, px in again.fonts._cache) >= 12


def test_a_sitting_stopped_after_its_last_case_was_stored_keeps_its_result_on_resuming(make_app, tmp_path):
    """Attempts of every case stored without a sitting (for example entered with `tpi-sim attempt
    --exam`): resuming takes no case again and keeps the sitting at once."""
    from datetime import datetime, timedelta, timezone

    from simulator.core import actions as A
    from simulator.core.session import Session
    from simulator.records.attempt import new_attempt

    app = exam_app(make_app, tmp_path)
    loaded = app.config.exam
    start = datetime.now(timezone.utc) - timedelta(hours=1)
    for index, (case, entry) in enumerate(zip(loaded.cases, loaded.exam.cases)):
        session = Session(case, loaded.catalogue, entry.seed)
        session.run([(1.0, A.Finish())])
        app.attempt_store().save(new_attempt(session, trainee_id="cand-7", mode="exam", exam_id="unit-exam",
                                             started_at=start + timedelta(minutes=5 * index)))
    enter_candidate(app, "cand-7")
    assert app.screen.name == "exam_resume" and app.screen.remaining == []
    assert app.screen.resume_button.text == "See the results   (Enter)"
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen.name == "exam_end" and len(app.screen.verdict.cases) == 3
    attempts, (sitting,) = stored(app)
    assert sitting.attempt_ids == tuple(a.attempt_id for a in attempts) and sitting.cases_resumed == 3
    assert sitting.started_at == start and not sitting.passed


def test_a_refused_last_save_keeps_neither_the_last_attempt_nor_the_sitting_and_retry_keeps_both(make_app, tmp_path):
    import sqlite3

    import pygame_gui

    loaded = load_exam(write_exam(tmp_path, THREE_CASES))
    path = tmp_path / "attempts.db"
    app = make_app(exam=loaded, mode="exam", cases=list(loaded.cases), db_url=f"sqlite:///{path}?timeout=0.2",
                   key_file=tmp_path / "signing.key")
    enter_candidate(app, "cand-7")
    for _ in range(2):
        finish_case(app)
        key(app, pygame.K_RETURN)
        wait(app, 0.05)
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the database while the last case is saved
    finish_case(app)
    between = app.screen
    assert between.flow.unsaved and between.flow.save_error.startswith("The attempt could not be saved")
    other.rollback()
    attempts, sittings = stored(app)
    assert [a.case_id for a in attempts] == CASE_IDS[:2] and sittings == []  # neither was kept
    key(app, pygame.K_RETURN)
    assert app.screen is between  # no results while the exam's record is not kept
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=between.retry_button,
                                        ui_object_id=""))
    attempts, (sitting,) = stored(app)
    assert [a.case_id for a in attempts] == CASE_IDS and not between.flow.unsaved
    assert sitting.attempt_ids == tuple(a.attempt_id for a in attempts) and sitting.cases_resumed == 0
    other.close()
    key(app, pygame.K_RETURN)
    wait(app, 0.05)
    assert app.screen.name == "exam_end"
