"""The left panel: a large palpation view whose labels never collide, and a case card that
scrolls to its last line."""

import itertools

import numpy as np
import pygame
import pytest

from simulator.render.layout import ProcedureLayout
from simulator.render.palpation import PalpationRenderer
from tests.ui.driving import key


@pytest.mark.parametrize("size", [(1280, 800), (1024, 680)])
@pytest.mark.parametrize("practice", [True, False])
def test_every_case_gets_a_big_true_to_scale_drawing_with_separate_labels(library, fonts, size, practice):
    cases, _ = library
    layout = ProcedureLayout.for_size(size)
    for case in cases:
        renderer = PalpationRenderer(case, fonts, layout.palpation_box, show_muscles=practice)
        rect = renderer.view.rect
        region = case.body_region
        assert rect.width / rect.height == pytest.approx(region.width_mm / region.height_mm, rel=0.02)
        # The drawing fills the panel's width or its height (the main hands-on view).
        assert rect.width >= layout.palpation_box.width - 16 or rect.height >= layout.palpation_box.height - 16
        labels = renderer.labels
        for (a, ra), (b, rb) in itertools.combinations(labels, 2):
            assert not ra.colliderect(rb), f"{case.id}: {a!r} overlaps {b!r}"
        for text, r in labels:
            assert rect.contains(r), f"{case.id}: {text!r} leaves the drawing"
        muscle_labels = {o.name.replace("_", " ") for o in region.drawing.outlines if o.kind == "muscle"}
        shown = {text for text, _ in labels}
        if not practice:
            assert not shown & muscle_labels  # assessment reveals no muscle names
        if size == (1280, 800):
            def landmark_name(text):  # a landmark's name, whole or shortened, and not a (shortened) muscle's
                stem = text.rstrip("\u2026")
                return (any(lm.name.startswith(stem) for lm in region.landmarks)
                        and not any(m.startswith(stem) for m in muscle_labels))
            assert len([t for t in shown if landmark_name(t)]) == len(region.landmarks)


def test_the_case_card_tab_scrolls_to_its_last_line(make_app, library):
    cases, _ = library
    case = max(cases, key=lambda c: len(c.teaching.hints) + len(c.patient.history))
    app = make_app(size=(1024, 680))
    app.start_case(case, "practice", "")
    screen = app.screen
    key(app, pygame.K_TAB, pygame.KMOD_CTRL)
    app.frame(1 / 60)
    card = screen.view.card
    assert card.scrollable, "the longest card should not fit a 1024x680 window"
    assert screen.context().palpation_view is None  # clicks on the card do not palpate
    for _ in range(60):
        app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, pos=card.viewport.center))
    assert card.scroll_px == card.max_scroll_px
    app.frame(1 / 60)
    vp = card.viewport
    shown = pygame.surfarray.array3d(app.window.subsurface((vp.x, vp.y, vp.width - 8, vp.height)))
    end = pygame.surfarray.array3d(card.content.subsurface((0, card.max_scroll_px, vp.width - 8, vp.height)))
    assert np.array_equal(shown, end)  # the card's last lines are on screen
    assert end[:, -40:].std() > 5  # and they hold text, not padding
    key(app, pygame.K_TAB, pygame.KMOD_CTRL)
    assert screen.context().palpation_view is not None
