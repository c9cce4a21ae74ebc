"""Every reason in the decline dialog is readable: seen at 1024x640 and 1920x1080, the row "Unexplained
reaction to a local anaesthetic: get the records and an allergy w" was cut mid-word. Each row shows its
reason whole, or ends in an ellipsis, and choosing a shortened row still records the whole reason."""

from __future__ import annotations

import pygame
import pytest

from simulator.core import events as E
from tests.ui.driving import give_consent, key, pump, start_procedure, wait
from tests.ui.layout_checks import ELLIPSIS, TEXT_PAD_PX, widget_problems


@pytest.mark.parametrize("size", [(1024, 640), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_decline_reason_row_is_whole_or_ends_in_an_ellipsis(make_app, size):
    app = make_app(size=size)
    screen = start_procedure(app, "s2_levator_scapulae_warfarin", mode="assessment", trainee="t")
    key(app, pygame.K_F9)
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    seen = set()
    for _ in range(len(dialog.reasons)):  # Down through the whole list: each row scrolls into view
        key(app, pygame.K_DOWN)
        app.frame(1 / 60)
        assert widget_problems(app) == []
        for item in dialog.list.item_list:
            button = item["button_element"]
            if button is None or not dialog.list.rect.contains(button.rect):
                continue
            seen.add(item["text"])
            whole = button.font.size(item["text"])[0] + TEXT_PAD_PX <= button.rect.width
            assert whole or item["text"].endswith(ELLIPSIS), f"{item['text']!r} is cut in {button.rect.width} px"
    assert len(seen) == len(dialog.reasons), "some reasons never came into view"
    assert sorted(dialog.reason_of.values()) == sorted(dialog.reasons)


def test_a_shortened_row_records_the_whole_reason(make_app):
    app = make_app(size=(1024, 640))
    screen = start_procedure(app, "s2_levator_scapulae_warfarin", mode="assessment", trainee="t")
    give_consent(app)
    key(app, pygame.K_F9)
    wait(app, 0.05)
    dialog = screen.dialogs.dialog
    longest = max(dialog.reasons, key=len)
    shown = next(text for text, reason in dialog.reason_of.items() if reason == longest)
    while dialog.list.get_single_selection() != shown:
        key(app, pygame.K_DOWN)
    assert dialog.reason() == longest and dialog.confirm_button.is_enabled
    key(app, pygame.K_RETURN)
    pump(app)
    wait(app, 1.0)
    assert [e.reason for e in screen.session.events if isinstance(e, E.InjectionDeclined)] == [longest]
