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
from simulator.records import read_replay, read_result, result_to_json
from simulator.ui.screens.procedure_view import CARD_TAB, PALPATION_TAB
from tests.ui.driving import click_element, key, list_row, press_button, wait

S9, S3 = "s9_scm_whiplash", "s3_infraspinatus_diabetic"
SIZES = [(1024, 680), (1280, 800)]


def rows(dialog) -> list[str]:
    return [item["text"] for item in dialog.list.item_list]


def said(row: str) -> str:
    """What a counsel row says, without the practice dot, the ellipsis and the 'given' mark."""
    return row.removeprefix("\u2022 ").removesuffix("  (given)").rstrip("\u2026")


def by_id(result) -> dict:
    return {c["id"]: c for c in result["criteria"]}


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
    key(app, pygame.K_TAB)  # read the case card (the history of the acute injury)
    wait(app, 0.2)
    assert screen.view.tab == CARD_TAB
    key(app, pygame.K_TAB)
    assert screen.view.tab == PALPATION_TAB
    press_button(app, "consent")
    wait(app, 0.1)
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
    header, timed = read_replay(saved["replay"])
    assert [type(a).__name__ for _, a in timed] == ["Consent", "Decline", "Finish"]
    rescored = Session(screen.case, app.config.catalogue, header["seed"]).run(timed)
    assert result_to_json(rescored) == result_to_json(read_result(saved["result"]))
    app.open_replay(saved["replay"])  # the viewer plays the recorded Finish; it adds none of its own
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
    click_element(app, list_row(app, dialog.list, "other"))
    assert not dialog.confirm_button.is_enabled
    assert any("Remove the needle" in e.text for e in dialog.elements if hasattr(e, "text"))
    assert all(not w.is_enabled for w in screen.widgets_list)  # the panel behind is inert
    key(app, pygame.K_F2)  # shortcuts do nothing while the dialog is open
    wait(app, 0.05)
    assert not session.state.checklist.consent
    key(app, pygame.K_ESCAPE)
    wait(app, 0.05)
    assert not screen.dialogs.is_open and all(w.is_enabled for w in screen.widgets_list)
    assert not session.state.finished and not session.state.declined
    key(app, pygame.K_F2)
    wait(app, 0.05)
    assert session.state.checklist.consent


def _s3_run(make_app, counsel: bool, artifacts=None):
    """Consent, prepare, needle in and out; counsel every expected topic through the dialog (or not); finish."""
    app = make_app(start_case=S3)
    wait(app, 0.1)
    screen, session = app.screen, app.screen.session
    for k in (pygame.K_F2, pygame.K_F3, pygame.K_F4, pygame.K_F5):
        key(app, k)
    wait(app, 0.1)
    key(app, pygame.K_n)
    wait(app, 0.1)
    for _ in range(3):
        key(app, pygame.K_w)
        wait(app, 0.05)
    key(app, pygame.K_r)
    wait(app, 0.1)
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
    key(app, pygame.K_END)
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
    app.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=other[0], h=other[1], size=other))
    app.frame(1 / 60)
    assert screen.dialogs.kind == "counsel" and screen.dialogs.dialog is not dialog
    assert_dialog_fits(app, screen.dialogs.dialog, "counsel after resize")
    assert all(not w.is_enabled for w in screen.widgets_list)
    key(app, pygame.K_ESCAPE)
    key(app, pygame.K_F9)
    wait(app, 0.05)
    assert_dialog_fits(app, screen.dialogs.dialog, "decline")
    pygame.image.save(app.window, str(artifacts / f"decline_{other[0]}x{other[1]}.png"))
