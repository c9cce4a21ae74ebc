"""The case picker's list: more cases than fit, so it scrolls with the wheel and the keys, keeps
the selected card in view, and says there is more."""

import numpy as np
import pygame

from tests.ui.driving import key


def accent_pixels(surface, rect) -> int:
    px = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    return int((np.abs(px - np.array((56, 189, 178))).sum(axis=2) < 30).sum())


def wheel(app, picker, y, times=1):
    for _ in range(times):
        app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, pos=picker.case_list.viewport.center))


def test_keys_move_the_selection_and_keep_it_in_view(make_app, artifacts):
    app = make_app(size=(1024, 680))
    app.frame(1 / 60)
    picker = app.screen
    n = len(picker.cases)
    vp = picker.case_list.viewport
    assert picker.case_list.max_scroll_px > 0, "the library should not fit a 1024x680 window"
    bottom_strip = pygame.Rect(vp.centerx - 100, vp.bottom - 18, 200, 14)  # clear of the cards' borders
    assert accent_pixels(app.window, bottom_strip) > 20  # '▼ n more below'
    for i in range(1, n):
        key(app, pygame.K_DOWN)
        app.frame(1 / 60)
        assert picker.case_list.selected == i
        assert vp.contains(picker.case_list.card_rect(i)), f"card {i} is cut off"
    pygame.image.save(app.window, str(artifacts / "picker_end.png"))
    assert picker.case_list.scroll_px == picker.case_list.max_scroll_px
    assert accent_pixels(app.window, bottom_strip) < 5  # at the end: no 'more below'
    last = picker.case_list.card_rect(n - 1)
    assert pygame.surfarray.array3d(app.window.subsurface(last)).std() > 20  # the last card is drawn, whole
    key(app, pygame.K_HOME)
    assert picker.case_list.selected == 0 and picker.case_list.scroll_px == 0
    key(app, pygame.K_END)
    assert picker.case_list.selected == n - 1 and vp.contains(picker.case_list.card_rect(n - 1))
    key(app, pygame.K_PAGEUP)
    assert picker.case_list.selected < n - 1 and vp.contains(picker.case_list.card_rect(picker.case_list.selected))


def test_the_wheel_scrolls_the_list_to_both_ends(make_app):
    app = make_app(size=(1280, 800))
    app.frame(1 / 60)
    picker = app.screen
    wheel(app, picker, -1, 100)
    assert picker.case_list.scroll_px == picker.case_list.max_scroll_px > 0
    assert picker.case_list.viewport.contains(picker.case_list.card_rect(len(picker.cases) - 1))
    assert picker.case_list.selected == 0  # the wheel scrolls; it does not choose
    wheel(app, picker, 1, 100)
    assert picker.case_list.scroll_px == 0
    pos = picker.case_list.card_rect(2).center
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    assert picker.case_list.selected == 2


def test_a_half_hidden_card_scrolls_into_view_when_clicked(make_app):
    app = make_app(size=(1024, 680))
    app.frame(1 / 60)
    picker = app.screen
    vp = picker.case_list.viewport
    index = next(i for i in range(len(picker.cases)) if picker.case_list.card_rect(i).bottom > vp.bottom)
    pos = (vp.centerx, vp.bottom - 3)  # the visible sliver of the first cut-off card
    assert picker.case_list.card_rect(index).collidepoint(pos)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    assert picker.case_list.selected == index and vp.contains(picker.case_list.card_rect(index))
