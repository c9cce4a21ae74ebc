"""Consent as a conversation, through the procedure screen's dialog (headless, real keys and clicks).

The dialog lists every consent topic, in an order fixed by the case id; practice marks the
topics that apply and assessment marks none; ticked topics are what the `Consent` action
carries. The safety criterion then credits the applicable topics and charges for the rest, so
ticking the whole list earns less than ticking exactly what applies. Screenshots go to
test-artifacts/.
"""

import pygame

from simulator.core import events as E
from simulator.core.preparation import CONSENT_TOPICS, applicable_consent_topics
from simulator.ui.screens.consent_dialog import APPLIES_MARK, DISCUSSED_SUFFIX
from tests.ui.driving import click_element, give_consent, finish, key, list_row, prepare_and_puncture, press_button, wait

S1, S9 = "s1_upper_trapezius_thin", "s9_scm_whiplash"


def rows(dialog) -> list[str]:
    return [item["text"] for item in dialog.list.item_list]


def consents(session) -> list[tuple[str, ...]]:
    return [e.topics for e in session.events if isinstance(e, E.ConsentObtained)]


def safety(result) -> dict:
    return next(c for c in result["criteria"] if c["id"] == "safety")


def test_ticked_topics_are_what_the_consent_carries(make_app, artifacts):
    app = make_app(start_case=S1)
    wait(app, 0.1)
    screen, session = app.screen, app.screen.session
    press_button(app, "consent")  # the button opens the dialog; nothing is recorded yet
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    assert screen.dialogs.kind == "consent" and not session.state.checklist.consent
    assert sorted(dialog.topics) == sorted(CONSENT_TOPICS)
    assert not dialog.confirm_button.is_enabled  # nothing ticked: nothing to confirm
    # Mouse: click two rows; keyboard: the letter of a third, then the letter of the first again (unticks).
    first, second, third = "bleeding", "kidney_damage", "pneumothorax"
    click_element(app, list_row(app, dialog.list, CONSENT_TOPICS[first]))
    click_element(app, list_row(app, dialog.list, CONSENT_TOPICS[second]))
    key(app, pygame.K_a + dialog.topics.index(third))
    wait(app, 0.05)
    assert set(dialog.ticked()) == {first, second, third}
    key(app, pygame.K_a + dialog.topics.index(first))
    assert set(dialog.ticked()) == {second, third} and dialog.confirm_button.is_enabled
    assert dialog.status.text == "Ticked: 2"
    wait(app, 0.05)  # draw the frame the screenshot shows
    pygame.image.save(app.window, str(artifacts / "consent_ticked.png"))
    click_element(app, dialog.confirm_button)
    wait(app, 0.1)
    assert not screen.dialogs.is_open
    assert consents(session) == [tuple(t for t in CONSENT_TOPICS if t in {second, third})]
    assert session.state.checklist.consent
    assert [text for _, text, _ in screen.feed if text.startswith("Consent")] == ["Consent obtained (2 topics discussed)"]


def test_the_order_follows_the_case_and_only_practice_marks_what_applies(make_app):
    orders = {}
    for case_id, mode in ((S1, "practice"), (S9, "practice"), (S1, "assessment")):
        app = make_app(start_case=case_id, mode=mode)
        wait(app, 0.05)
        key(app, pygame.K_F2)
        wait(app, 0.05)
        dialog = app.screen.dialogs.dialog
        orders[case_id, mode] = list(dialog.topics)
        marked = {t for t, row in zip(dialog.topics, rows(dialog)) if APPLIES_MARK in row}
        if mode == "practice":
            assert marked == set(applicable_consent_topics(app.screen.case))
            assert "apply to this procedure, marked" in dialog.hints[1].text
        else:
            assert marked == set()
            assert "marked" not in dialog.hints[1].text
        for i, row in enumerate(rows(dialog)):  # every row carries the letter that ticks it
            assert row.startswith(chr(ord("A") + i) + " ")
        key(app, pygame.K_ESCAPE)  # closed before the next app opens (apps share one pygame)
    assert orders[S1, "practice"] == orders[S1, "assessment"]  # fixed by the case, not the mode or the run
    assert orders[S1, "practice"] != orders[S9, "practice"]


def _consent_and_needle(make_app, topics):
    """Consent with `topics` through the dialog, prepare, put a needle in and out, finish; the debrief's result."""
    app = make_app(start_case=S1)
    wait(app, 0.1)
    screen, session = app.screen, app.screen.session
    give_consent(app, topics)
    prepare_and_puncture(app)
    assert any(isinstance(e, E.SkinPunctured) for e in session.events)
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    return consents(session), app.screen.result


def test_every_applicable_topic_earns_the_consent_item_and_the_whole_list_does_not(make_app, library):
    applicable = applicable_consent_topics(next(c for c in library[0] if c.id == S1))
    right, right_result = _consent_and_needle(make_app, applicable)
    everything, all_result = _consent_and_needle(make_app, list(CONSENT_TOPICS))
    assert set(right[0]) == set(applicable) and set(everything[0]) == set(CONSENT_TOPICS)
    right_safety, all_safety = safety(right_result), safety(all_result)
    n = len(applicable)
    assert f"covered {n} of the {n} topics that apply." in right_safety["evidence"]
    assert "do not apply" not in right_safety["evidence"]
    assert "topics that do not apply to this procedure cost credit" in all_safety["evidence"]
    assert all_safety["points"] < right_safety["points"]
    assert right_result["metrics"]["consent_topics"] == sorted(applicable)
    assert all_result["metrics"]["consent_topics"] == sorted(CONSENT_TOPICS)


def test_consents_add_up_and_the_dialog_shows_what_was_discussed(make_app, artifacts):
    app = make_app(start_case=S1)
    wait(app, 0.1)
    screen, session = app.screen, app.screen.session
    applicable = list(applicable_consent_topics(screen.case))
    half = len(applicable) // 2
    give_consent(app, applicable[:half])
    key(app, pygame.K_F2)
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    discussed = {t for t, row in zip(dialog.topics, rows(dialog)) if row.endswith(DISCUSSED_SUFFIX)}
    assert discussed == set(applicable[:half])
    assert f"discussed before: {half}" in dialog.status.text
    pygame.image.save(app.window, str(artifacts / "consent_again.png"))
    key(app, pygame.K_ESCAPE)
    wait(app, 0.05)
    assert not screen.dialogs.is_open and len(consents(session)) == 1  # Esc records nothing
    give_consent(app, applicable[half:])
    assert len(consents(session)) == 2
    assert {t for topics in consents(session) for t in topics} == set(applicable)
