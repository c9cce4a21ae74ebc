"""Whole sessions driven through the app with constructed pygame events (headless).

Practice: pick a case in the picker, palpate, mark, prepare, scan, needle to a twitch,
draw up, aspirate, inject, finish; the debrief shows the Session's score. Assessment:
the attempt is stored signed, and its replay re-scores to the identical result.
"""

import pygame

from simulator.core import events as E
from simulator.core.session import Session
from simulator.records import result_to_json
from simulator.records.attempt import AttemptFilter
from simulator.records.replay_file import parse_replay_lines
from simulator.records.signing import check, load_key
from simulator.records.store import open_store
from tests.ui.driving import aim_and_needle, click, give_consent, has, finish, key, scroll_to_end, viewport_shows_end, wait

CASE_ID = "s1_upper_trapezius_thin"


def _procedure(app, case, artifacts=None):
    screen = app.screen
    tp = next(t for t in case.trigger_points if t.activity == "active")
    finger = screen.view.palpation.view.to_px(tp.x_mm, tp.y_mm)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=finger, button=1))
    wait(app, 1.2)  # the press firms up with the hold
    if artifacts is not None:
        pygame.image.save(app.window, str(artifacts / "palpating.png"))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=finger, button=1))
    click(app, finger, button=3)  # mark
    give_consent(app)
    for k in (pygame.K_F3, pygame.K_F4, pygame.K_F5):
        key(app, k)
    wait(app, 0.2)
    aim_and_needle(app, case)
    if artifacts is not None:
        pygame.image.save(app.window, str(artifacts / "needle.png"))
    key(app, pygame.K_F7)
    wait(app, 0.1)
    key(app, pygame.K_SPACE)
    wait(app, 0.1)
    key(app, pygame.K_i)
    wait(app, 0.1)
    finish(app)
    wait(app, 1.0)  # the last words show, then the debrief


def _start_from_picker(app, mode, trainee=""):
    picker = app.screen
    index = next(i for i, c in enumerate(app.config.cases) if c.id == CASE_ID)
    picker.case_list.scroll_px = 0
    click(app, picker.case_list.card_rect(index).center)
    assert picker.case_list.selected == index
    if mode == "assessment":
        app.handle_event(pygame.event.Event(pygame_gui_pressed(), ui_element=picker.assessment_button, ui_object_id=""))
        picker.trainee_entry.set_text(trainee)
    key(app, pygame.K_RETURN)
    assert app.screen.name == "procedure"
    assert app.screen.mode == mode
    return app.screen


def pygame_gui_pressed():
    import pygame_gui

    return pygame_gui.UI_BUTTON_PRESSED


def test_practice_session_end_to_end(make_app, artifacts):
    app = make_app()
    app.frame(1 / 60)
    screen = _start_from_picker(app, "practice")
    case = screen.case
    session = screen.session
    _procedure(app, case, artifacts)
    felt = [e for e in session.events if isinstance(e, E.PalpationFelt)]
    # Pressing where the active point is hurts; how much varies with the session's felt offset and noise.
    assert felt and max(e.pain for e in felt) >= 3 and any(e.speech for e in felt)
    assert session.state.checklist.consent and session.state.checklist.skin_prep and session.state.checklist.needle
    assert has(session, E.TwitchElicited)
    assert has(session, E.Aspirated) and has(session, E.Injected)
    assert app.screen.name == "debrief"
    result = app.screen.result
    assert result == session.result()
    by_id = {c["id"]: c for c in result["criteria"]}
    assert by_id["localization"]["points"] == by_id["localization"]["max"]  # marked right on the point
    assert by_id["twitch"]["points"] > 0
    assert result["total"] >= result["pass_mark"] and result["passed"]
    pygame.image.save(app.window, str(artifacts / "debrief.png"))
    breakdown = app.screen.breakdown  # every criterion's evidence can be read to its last line
    scroll_to_end(app, breakdown)
    assert viewport_shows_end(app, breakdown)
    pygame.image.save(app.window, str(artifacts / "debrief_scrolled.png"))


def test_assessment_saves_a_signed_attempt_whose_replay_rescores_identically(make_app, tmp_path):
    app = make_app(seed=5, size=(1024, 680))  # the smallest window: the breakdown must scroll to its end
    app.frame(1 / 60)
    screen = _start_from_picker(app, "assessment", "dr-test")
    assert screen.trainee == "dr-test"
    _procedure(app, screen.case)
    saved = app.screen.saved
    assert "error" not in saved, saved
    store = open_store(app.config.db_url, app.config.key_file)
    [attempt] = store.find(AttemptFilter(trainee_id="dr-test"))
    assert attempt == saved["attempt"] and attempt.mode == "assessment" and attempt.seed == 5
    assert check(attempt, load_key(app.config.key_file))
    assert attempt.started_at < attempt.ended_at
    header, timed = parse_replay_lines(attempt.replay)
    assert header["case"] == CASE_ID and header["seed"] == 5 and header["trainee"] == "dr-test"
    rescored = Session(screen.case, app.config.catalogue, header["seed"]).run(timed)
    assert result_to_json(rescored) == result_to_json(attempt.result)
    assert attempt.total == app.screen.result["total"]
    assert f"Saved as attempt {attempt.attempt_id} in {store.where}." in app.screen.teaching_items
    scroll_to_end(app, app.screen.breakdown)
    assert viewport_shows_end(app, app.screen.breakdown)
