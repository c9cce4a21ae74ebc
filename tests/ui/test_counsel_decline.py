"""Counselling and declining through the procedure screen's dialogs (headless, real widget clicks).

S9 (acute whiplash) is played the right way, by declining without touching the skin; S3
(diabetic) is counselled through the dialog and the judgement criterion is compared with an
otherwise identical run without counselling. Screenshots go to test-artifacts/.
"""

import pygame
import pytest

from simulator.core import events as E
from simulator.core.scoring.judgement import topic_key
from simulator.core.session import Session
from simulator.records import result_to_json
from simulator.records.replay_file import parse_replay_lines
from simulator.ui.screens.procedure_view import CARD_TAB, PALPATION_TAB
from simulator.ui.screens.decline_dialog import OTHER
from tests.ui.driving import (click_element, give_consent, finish, key, list_row, prepare_and_puncture, press_button, pump,
                              type_text, wait)

S9, S3 = "s9_scm_whiplash", "s3_infraspinatus_diabetic"
SIZES = [(1024, 680), (1280, 800)]


def rows(dialog) -> list[str]:
    return [item["text"] for item in dialog.list.item_list]


def said(row: str) -> str:
    """What a counsel row says, without the practice dot, the ellipsis and the 'given' mark."""
    return row.removeprefix("\u2022 ").removesuffix("  (given)").rstrip("\u2026")


def by_id(result) -> dict:
    return {c["id"]: c for c in result["criteria"]}


def open_dialog(make_app, case_id, shortcut):
    """A practice app on the case with the dialog its shortcut opens: (app, session, dialog)."""
    app = make_app(start_case=case_id)
    wait(app, 0.1)
    key(app, shortcut)
    wait(app, 0.05)
    return app, app.screen.session, app.screen.dialogs.dialog


def resize(app, size):
    app.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size))
    app.frame(1 / 60)


def assert_dialog_fits(app, dialog, name):
    """The dialog is inside the window, and its widgets inside it and apart from each other."""
    window = pygame.Rect((0, 0), app.size)
    frame = dialog.window.rect
    assert window.contains(frame), f"{name}: dialog {frame} leaves the {app.size} window"
    rects = [e.rect for e in dialog.elements]
    for r in rects:
        assert frame.contains(r), f"{name}: {r} leaves the dialog {frame} at {app.size}"
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.colliderect(b), f"{name}: {a} and {b} overlap at {app.size}"


def test_whiplash_declined_through_the_ui_scores_a_pass(make_app, artifacts):
    app = make_app(start_case=S9, mode="assessment", trainee="dr-decline")
    wait(app, 0.1)
    screen, session = app.screen, app.screen.session
    assert screen.case.agent_policy.do_not_inject
    key(app, pygame.K_TAB, pygame.KMOD_CTRL)  # read the case card (the history of the acute injury)
    wait(app, 0.2)
    assert screen.view.tab == CARD_TAB
    key(app, pygame.K_TAB, pygame.KMOD_CTRL)
    assert screen.view.tab == PALPATION_TAB
    give_consent(app)
    assert session.state.checklist.consent
    press_button(app, "decline")
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    assert screen.dialogs.kind == "decline"
    assert not dialog.confirm_button.is_enabled  # no reason chosen yet
    click_element(app, list_row(app, dialog.list, "Red flag for a neck artery injury: refer today for CT angiography"))
    assert dialog.confirm_button.is_enabled
    pygame.image.save(app.window, str(artifacts / "decline.png"))
    click_element(app, dialog.confirm_button)
    wait(app, 1.0)  # the Session records the decline, the screen finishes it, the debrief opens
    declined = [e for e in session.events if isinstance(e, E.InjectionDeclined)]
    assert [e.reason for e in declined] == ["Red flag for a neck artery injury: refer today for CT angiography"]
    assert not any(isinstance(e, E.SkinPunctured) for e in session.events)
    assert session.state.finished and app.screen.name == "debrief"
    result = app.screen.result
    assert result["total"] >= result["pass_mark"] and result["passed"]
    judgement = by_id(result)["judgement"]
    assert judgement["points"] == judgement["max"] > 0
    saved = app.screen.saved
    assert "error" not in saved  # assessment: the decline is on the record and replays to the same result
    header, timed = parse_replay_lines(saved["attempt"].replay)
    # an assessment opens with the probe moved off the target and lifted (ui.context.start_off_skin)
    assert [type(a).__name__ for _, a in timed] == ["Probe", "LiftProbe", "Consent", "Decline", "Finish"]
    rescored = Session(screen.case, app.config.catalogue, header["seed"]).run(timed)
    assert result_to_json(rescored) == result_to_json(saved["attempt"].result)
    app.open_replay((header, timed))  # the viewer plays the recorded Finish; it adds none of its own
    app.screen.seek(app.screen.duration_s)
    assert app.screen.session.state.finished
    assert not any(isinstance(e, E.ActionRejected) for e in app.screen.session.events)


def test_decline_is_not_offered_with_the_needle_in_and_the_dialog_blocks_the_procedure(make_app):
    app = make_app(start_case=S9)
    wait(app, 0.1)
    screen, session = app.screen, app.screen.session
    key(app, pygame.K_F5)  # take a needle and put it in
    wait(app, 0.05)
    key(app, pygame.K_n)
    wait(app, 0.1)
    assert session.state.needle is not None
    key(app, pygame.K_F9)
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    click_element(app, list_row(app, dialog.list, OTHER))
    type_text(app, "Patient would rather wait")
    assert not dialog.confirm_button.is_enabled  # a reason, but the needle is still in
    assert any("Remove the needle" in e.text for e in dialog.elements if hasattr(e, "text"))
    assert all(not w.is_enabled for w in screen.widgets_list)  # the panel behind is inert
    key(app, pygame.K_F2)  # shortcuts do nothing while the dialog is open
    wait(app, 0.05)
    assert screen.dialogs.kind == "decline"
    key(app, pygame.K_ESCAPE)
    wait(app, 0.05)
    assert not screen.dialogs.is_open and all(w.is_enabled for w in screen.widgets_list)
    assert not session.state.finished and not session.state.declined
    give_consent(app)
    assert session.state.checklist.consent


def _s3_run(make_app, counsel: bool, artifacts=None):
    """Consent, prepare, needle in and out; counsel every expected topic through the dialog (or not); finish."""
    app = make_app(start_case=S3)
    wait(app, 0.1)
    screen, session = app.screen, app.screen.session
    give_consent(app)
    prepare_and_puncture(app, advance_mm=3)
    assert any(isinstance(e, E.SkinPunctured) for e in session.events) and session.state.needle is None
    if counsel:
        key(app, pygame.K_F8)
        wait(app, 0.05)
        dialog = screen.dialogs.dialog
        expected = screen.case.agent_policy.expected_counselling
        # Practice: the rows this case expects carry a dot, and there is one per expected topic.
        assert sum(r.startswith("\u2022 ") for r in rows(dialog)) == len(expected)
        for text in expected:
            row = next(r for r in rows(dialog) if topic_key(text).startswith(topic_key(said(r))))
            click_element(app, list_row(app, dialog.list, row))
            click_element(app, dialog.say_button)
            wait(app, 0.05)
            button = next(i["button_element"] for i in dialog.list.item_list if said(i["text"]) == said(row))
            assert button is not None and dialog.list.rect.contains(button.rect)  # still in view, now marked
            assert button.text.endswith("(given)")
        assert sum(r.endswith("(given)") for r in rows(dialog)) == len(expected)
        if artifacts is not None:
            pygame.image.save(app.window, str(artifacts / "counsel.png"))
        click_element(app, dialog.close_button)
        assert not screen.dialogs.is_open
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    return session, app.screen.result, screen


def test_counselling_through_the_dialog_is_credited_by_the_judgement_criterion(make_app, artifacts):
    session, with_counsel, screen = _s3_run(make_app, counsel=True, artifacts=artifacts)
    given = [e for e in session.events if isinstance(e, E.CounselGiven)]
    expected = screen.case.agent_policy.expected_counselling
    assert len(given) == len(expected)
    assert sum(line.startswith("Counselled: ") for _, line, _ in screen.feed) == len(expected)
    _, without, _ = _s3_run(make_app, counsel=False)
    a, b = by_id(with_counsel)["judgement"], by_id(without)["judgement"]
    # The needle went in and out without treating (half of judgement lost either way); counselling
    # every expected topic keeps the other half, missing them all loses it (docs/scoring.md).
    assert a["points"] == pytest.approx(a["max"] / 2, abs=0.01)  # points are rounded down to 0.01
    assert b["points"] == 0
    assert "did not counsel" in b["evidence"] and "did not counsel" not in a["evidence"]


def test_a_typed_reason_is_recorded_verbatim(make_app, artifacts):
    app = make_app(start_case=S9, mode="assessment", trainee="dr-own-words")
    wait(app, 0.1)
    screen, session = app.screen, app.screen.session
    give_consent(app)
    key(app, pygame.K_F9)
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    assert not dialog.entry.visible  # the free-text line appears only with "other"
    for _ in range(len(dialog.reasons)):  # the keyboard reaches every reason; the last is "other"
        key(app, pygame.K_DOWN)
    wait(app, 0.05)
    assert dialog.list.get_single_selection() == OTHER
    assert dialog.entry.visible and dialog.entry.is_focused
    assert not dialog.confirm_button.is_enabled  # "other" with nothing typed is no reason
    type_text(app, "   ")
    assert not dialog.confirm_button.is_enabled  # nor are spaces
    reason = "Bruised and swollen after the crash, INR unknown — reassess in 2 weeks"
    for _ in range(3):
        key(app, pygame.K_BACKSPACE)
    assert dialog.entry.get_text() == ""
    type_text(app, reason)
    assert dialog.confirm_button.is_enabled
    pygame.image.save(app.window, str(artifacts / "decline_other.png"))
    key(app, pygame.K_UP)  # while typing, arrows belong to the text line: "other" stays chosen
    assert dialog.list.get_single_selection() == OTHER
    key(app, pygame.K_RETURN)  # Enter in the text line confirms
    pump(app)
    wait(app, 1.0)
    assert [e.reason for e in session.events if isinstance(e, E.InjectionDeclined)] == [reason]
    assert app.screen.name == "debrief"
    header, timed = parse_replay_lines(app.screen.saved["attempt"].replay)
    assert [a.reason for _, a in timed if type(a).__name__ == "Decline"] == [reason]
    pygame.image.save(app.window, str(artifacts / "debrief_declined.png"))


def test_choosing_a_listed_reason_after_typing_sends_the_listed_one(make_app):
    app, session, dialog = open_dialog(make_app, S9, pygame.K_F9)
    click_element(app, list_row(app, dialog.list, OTHER))
    type_text(app, "typed but then changed my mind")
    listed = "Acute muscle trauma at the site: defer and reassess in a few weeks"
    click_element(app, list_row(app, dialog.list, listed))
    assert not dialog.entry.visible and dialog.reason() == listed
    click_element(app, dialog.confirm_button)
    wait(app, 1.0)
    assert [e.reason for e in session.events if isinstance(e, E.InjectionDeclined)] == [listed]


@pytest.mark.parametrize("size", SIZES)
def test_dialogs_fit_the_window_and_survive_a_resize(make_app, artifacts, size):
    app = make_app(start_case=S9, size=size, mode="assessment")
    wait(app, 0.05)
    screen = app.screen
    press_button(app, "counsel")
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    assert_dialog_fits(app, dialog, "counsel")
    assert not any(r.startswith("\u2022") for r in rows(dialog))  # assessment: no hint
    assert "expects" not in dialog.hint.text
    pygame.image.save(app.window, str(artifacts / f"counsel_{size[0]}x{size[1]}.png"))
    other = SIZES[1 - SIZES.index(size)]
    resize(app, other)
    assert screen.dialogs.kind == "counsel" and screen.dialogs.dialog is not dialog
    assert_dialog_fits(app, screen.dialogs.dialog, "counsel after resize")
    assert all(not w.is_enabled for w in screen.widgets_list)
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_F9)
    wait(app, 0.05)
    click_element(app, list_row(app, screen.dialogs.dialog.list, OTHER))
    type_text(app, "Wants to think it over")
    assert screen.dialogs.dialog.entry.visible
    assert_dialog_fits(app, screen.dialogs.dialog, "decline")
    pygame.image.save(app.window, str(artifacts / f"decline_{other[0]}x{other[1]}.png"))
    resize(app, size)  # what was chosen and typed survives the rebuild
    dialog = screen.dialogs.dialog
    assert screen.dialogs.kind == "decline" and dialog.list.get_single_selection() == OTHER
    assert dialog.entry.visible and dialog.entry.get_text() == "Wants to think it over" and dialog.reason()
    assert_dialog_fits(app, dialog, "decline after resize")
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_F2)
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    key(app, pygame.K_a)
    key(app, pygame.K_c)
    ticked = dialog.ticked()
    assert len(ticked) == 2
    for shown in (size, other):  # the consent dialog at both sizes; the ticks survive the rebuild
        if app.size != shown:
            resize(app, shown)
        assert screen.dialogs.kind == "consent"
        dialog = screen.dialogs.dialog
        assert dialog.ticked() == ticked
        assert_dialog_fits(app, dialog, "consent")
        last = dialog.list.item_list[-1]["button_element"]  # every topic shows without scrolling
        assert last is not None and dialog.list.rect.contains(last.rect)
        pygame.image.save(app.window, str(artifacts / f"consent_{shown[0]}x{shown[1]}.png"))
    key(app, pygame.K_ESCAPE)
    assert not screen.dialogs.is_open and all(w.is_enabled for w in screen.widgets_list)


def test_the_counsel_list_works_from_the_keyboard(make_app):
    app, session, dialog = open_dialog(make_app, S3, pygame.K_F8)
    assert dialog.selected() is None and not dialog.say_button.is_enabled
    key(app, pygame.K_DOWN)  # the first row
    key(app, pygame.K_DOWN)
    key(app, pygame.K_DOWN)
    key(app, pygame.K_UP)  # back to the second
    wait(app, 0.05)
    chosen = dialog.selected()
    assert chosen is dialog.options[1] and dialog.say_button.is_enabled
    key(app, pygame.K_RETURN)
    wait(app, 0.1)
    assert [e.topic for e in session.events if isinstance(e, E.CounselGiven)] == [chosen.label]
    for _ in range(len(dialog.options) + 3):  # past the end it stays on the last row, scrolled into view
        key(app, pygame.K_DOWN)
    wait(app, 0.05)
    last = dialog.list.item_list[-1]
    assert dialog.selected() is dialog.options[-1]
    assert last["button_element"] is not None and dialog.list.rect.contains(last["button_element"].rect)
