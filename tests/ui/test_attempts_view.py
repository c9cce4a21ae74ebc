"""'My attempts' from the picker: a trainee's stored attempts newest first, scrolling, each opening its
stored debrief and its replay, where an examiner's rating is attached and signed."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pygame
import pygame_gui

from simulator import paths
from simulator.core.session import Session
from simulator.records import read_replay
from simulator.records.attempt import RATING_DOMAINS, new_attempt
from simulator.records.signing import check, load_key
from simulator.ui.screens.attempt_replay import stored_replay
from tests.ui.driving import key, wait
from tests.ui.store_app import store_settings

REPLAYS = ["s1_upper_trapezius_thin.expert", "s3_infraspinatus_diabetic.novice-intravascular",
           "s9_scm_whiplash.expert"]
START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def store_attempts(app, trainee: str, count: int) -> list:
    """`count` attempts of `trainee`, a day apart (the shipped replays in turn), saved in the app's store."""
    cases = {c.id: c for c in app.config.cases}
    sessions = []
    for name in REPLAYS:
        header, timed = read_replay(paths.REPLAYS_DIR / f"{name}.jsonl")
        session = Session(cases[header["case"]], app.config.catalogue, header["seed"])
        session.run(timed)
        sessions.append(session)
    store = app.attempt_store()
    saved = []
    for index in range(count):
        started = START + timedelta(days=index)
        attempt = new_attempt(sessions[index % len(sessions)], trainee_id=trainee, mode="assessment",
                              started_at=started, ended_at=started + timedelta(minutes=5))
        saved.append(store.save(attempt))
    return saved


def open_attempts(app, trainee: str):
    picker = app.screen
    picker.trainee_entry.set_text(trainee)
    key(app, pygame.K_F2)
    wait(app, 0.05)
    assert app.screen.name == "attempts"
    return app.screen


def test_the_list_is_newest_first_with_every_criterion_and_scrolls(make_app, tmp_path, artifacts):
    app = make_app(**store_settings(tmp_path))
    saved = store_attempts(app, "r-list", 9)
    store_attempts(app, "someone-else", 1)
    screen = open_attempts(app, "r-list")
    assert [a.attempt_id for a in screen.attempts] == [a.attempt_id for a in reversed(saved)]
    newest = screen.attempts[0]
    assert newest.result == saved[-1].result and newest.mode == "assessment"
    pygame.image.save(app.window, str(artifacts / "my_attempts.png"))
    assert screen.max_scroll_px > 0  # nine rows do not fit
    app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-2, pos=screen.viewport.center))
    assert screen.scroll_px > 0
    key(app, pygame.K_END)
    assert screen.selected == 8 and screen.row_rect(8).bottom <= screen.viewport.bottom
    key(app, pygame.K_HOME)
    assert screen.selected == 0 and screen.scroll_px == 0


def test_no_attempts_and_no_trainee_say_so(make_app, tmp_path):
    app = make_app(**store_settings(tmp_path))
    screen = open_attempts(app, "")
    assert screen.attempts == [] and screen.note == "Type a trainee name or id, then Enter."
    screen.trainee_entry.set_text("nobody-yet")
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=screen.show_button, ui_object_id=""))
    assert screen.attempts == [] and screen.error == screen.note == "" and screen.loaded_for == "nobody-yet"
    assert not screen.debrief_button.is_enabled
    key(app, pygame.K_ESCAPE)
    assert app.screen.name == "picker"


def test_an_attempt_opens_its_stored_debrief_and_comes_back(make_app, tmp_path, artifacts):
    app = make_app(**store_settings(tmp_path))
    store_attempts(app, "r-debrief", 3)
    screen = open_attempts(app, "r-debrief")
    key(app, pygame.K_DOWN)  # the second newest: the failed attempt (an intravascular injection)
    chosen = screen.attempts[1]
    assert not chosen.result["passed"]
    key(app, pygame.K_d)
    wait(app, 0.05)
    debrief = app.screen
    assert debrief.name == "review_debrief" and debrief.result == chosen.result
    assert [b.text for b in debrief.buttons] == ["Back to my attempts   (Esc)", "Replay and rate"]
    assert debrief.teaching_items[:2] == [
        f"Stored attempt {chosen.attempt_id}: r-debrief, assessment, 2026-11-03 09:00 UTC, station {chosen.station}.",
        "Not rated by an examiner yet."]
    pygame.image.save(app.window, str(artifacts / "my_attempts_debrief.png"))
    key(app, pygame.K_ESCAPE)
    assert app.screen is screen and screen.selected == 1


def test_an_examiner_rates_an_attempt_from_its_replay_and_the_rating_is_signed(make_app, tmp_path, artifacts):
    app = make_app(**store_settings(tmp_path))
    store_attempts(app, "r-rated", 2)
    screen = open_attempts(app, "r-rated")
    target = screen.attempts[0]
    key(app, pygame.K_p)
    wait(app, 0.05)
    replay = app.screen
    assert replay.name == "attempt_replay" and replay.timed == stored_replay(target)[1]
    key(app, pygame.K_r)
    dialog = replay.rating_dialog
    assert dialog is not None and not dialog.save_button.is_enabled
    for score in (4, 3, 5, 4, 3, 4):  # each key scores the marked domain and moves to the next
        key(app, pygame.K_0 + score)
    dialog.examiner.focus()
    for char in "dr-examiner":
        app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=char))
    wait(app, 0.05)
    assert dialog.save_button.is_enabled
    pygame.image.save(app.window, str(artifacts / "rating_dialog.png"))
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=dialog.save_button, ui_object_id=""))
    assert replay.rating_dialog is None and replay.notice[1] == "Rating saved and signed (dr-examiner)"
    stored = app.attempt_store().get(target.attempt_id)
    assert stored.rating.global_score_1_5 == dict(zip(RATING_DOMAINS, (4, 3, 5, 4, 3, 4)))
    assert stored.rating.examiner == "dr-examiner" and stored.signature != target.signature
    assert check(stored, load_key(app.config.key_file, create=False))
    key(app, pygame.K_ESCAPE)
    assert app.screen is screen and screen.attempts[0].rating == stored.rating
    pygame.image.save(app.window, str(artifacts / "my_attempts_rated.png"))
    key(app, pygame.K_d)  # the debrief says who rated it and how
    wait(app, 0.05)
    assert app.screen.teaching_items[1] == (
        f"Examiner's rating by dr-examiner, {stored.rating.rated_at.strftime('%Y-%m-%d')}: respect for tissue 4, "
        "time and motion 3, instrument handling 5, knowledge of procedure 4, flow 3, overall 4.")


def test_the_picker_button_opens_the_list_for_the_trainee_typed_and_esc_comes_back(make_app, tmp_path):
    app = make_app(**store_settings(tmp_path))
    store_attempts(app, "r-button", 1)
    picker = app.screen
    key(app, pygame.K_DOWN)  # the second case is selected
    picker.trainee_entry.set_text("r-button")
    app.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=picker.attempts_button,
                                        ui_object_id=""))
    screen = app.screen
    assert screen.name == "attempts" and screen.trainee == "r-button" and len(screen.attempts) == 1
    key(app, pygame.K_ESCAPE)
    assert app.screen.name == "picker" and app.screen.case_list.selected == 1


def store_sittings(app, folder, candidate: str, count: int) -> list:
    """`count` sittings of the three-case exam by `candidate`, a day apart: the last failed (a novice
    case, resumed after one case), the others passed. Returns them oldest first."""
    from tests.records.sittings import case_attempts, sitting_of, three_case_exam

    loaded, store, kept = three_case_exam(folder), app.attempt_store(), []
    for day in range(count):
        failed = day == count - 1
        kinds = ("expert", "novice-no-consent", "expert") if failed else ("expert",) * 3
        attempts = case_attempts(candidate, kinds, START + timedelta(days=day))
        for done in attempts[:2]:
            store.save(done)
        kept.append(store.save_sitting(sitting_of(loaded, candidate, attempts, cases_resumed=1 if failed else 0),
                                       last_attempt=attempts[2]))
    return kept


def test_the_trainees_exam_sittings_stand_above_the_attempts_newest_first(make_app, tmp_path, artifacts):
    from simulator.ui.screens.attempts_sittings import SHOWN_MAX, band_height, sitting_line

    app = make_app(**store_settings(tmp_path))
    kept = store_sittings(app, tmp_path, "r-exams", 4)
    (tmp_path / "other").mkdir()
    store_sittings(app, tmp_path / "other", "someone-else", 1)
    screen = open_attempts(app, "r-exams")
    assert [s.sitting_id for s in screen.sittings] == [s.sitting_id for s in reversed(kept)]
    assert len(screen.attempts) == 12
    band = band_height(4)
    assert band == band_height(SHOWN_MAX + 1) > band_height(1) > band_height(0) == 0
    assert screen.viewport.y == screen.panel_rect.y + 110 + band  # the attempts start below the band
    newest_failed = sitting_line(kept[-1])
    assert "resumed: 1 of 3 from an interrupted run" in newest_failed
    assert kept[-1].verdict["reasons"][0] in newest_failed
    app.frame(1 / 60)
    pygame.image.save(app.window, str(artifacts / "my_attempts_sittings.png"))
    band_rect = pygame.Rect(screen.viewport.x, screen.panel_rect.y + 84, screen.viewport.width, band)
    colours = {tuple(app.window.get_at((x, y)))[:3] for x in range(band_rect.x, band_rect.x + 260)
               for y in range(band_rect.y, band_rect.bottom)}
    from simulator.render import palette as pal

    assert tuple(pal.DANGER)[:3] in colours and tuple(pal.OK)[:3] in colours  # a FAIL pill, then two PASS pills
    screen.trainee_entry.set_text("someone-else")
    key(app, pygame.K_RETURN)
    assert len(screen.sittings) == 1 and screen.viewport.y == screen.panel_rect.y + 110 + band_height(1)
    screen.trainee_entry.set_text("r-list")
    key(app, pygame.K_RETURN)
    assert screen.sittings == [] and screen.viewport.y == screen.panel_rect.y + 110  # no exams: no band
