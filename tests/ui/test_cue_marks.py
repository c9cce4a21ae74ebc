"""Status cues carry a shape as well as a colour: the checklist's tick, '!' and empty ring, and
the feed's warning triangle, told apart on pixels alone."""

import numpy as np
import pygame
import pygame_gui

from simulator.render import palette as pal
from simulator.render.cues import draw_mark
from simulator.render.feed import draw_feed
from tests.ui.driving import give_consent, key, start_procedure, wait


def ink_columns(surface, centre, colour=pal.BG, tolerance=4) -> np.ndarray:
    """The x offsets of pixels near `colour` (the dark ink drawn inside a filled mark) in the square
    inscribed in the mark's disc; the panel around it is a shade lighter than the ink."""
    rect = pygame.Rect(centre[0] - 4, centre[1] - 4, 9, 9)
    pixels = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    near = (np.abs(pixels - np.array(colour)) <= tolerance).all(axis=2)
    return np.nonzero(near.any(axis=1))[0]


def mark_mask(shape: str) -> np.ndarray:
    surface = pygame.Surface((40, 40))
    surface.fill(pal.PANEL)
    draw_mark(surface, shape, (20, 20), 14, pal.TEXT)
    return (pygame.surfarray.array3d(surface).astype(int).sum(axis=2) > 300)


def test_every_mark_has_its_own_shape(fonts):
    shapes = ["tick", "caution", "triangle", "cross", "ring"]
    masks = {s: mark_mask(s) for s in shapes}
    for i, a in enumerate(shapes):
        for b in shapes[i + 1:]:
            differ = np.logical_xor(masks[a], masks[b]).sum() / max(masks[a].sum(), masks[b].sum())
            assert differ > 0.2, f"{a} and {b} are nearly the same shape"


def test_a_warning_line_in_the_feed_carries_a_triangle_and_an_info_line_none(fonts):
    surface = pygame.Surface((320, 140))
    rect = surface.get_rect()
    draw_feed(surface, rect, fonts, [(1.0, "Needle in at 30\u00b0", "info"), (2.0, "Vessel punctured", "danger"),
                                     (3.0, "Tip out of view", "warn")])
    line_h = fonts.regular(13).get_linesize()
    bottom = rect.inflate(-20, -16).bottom  # the panel's content box (its title shifts only the top)
    mark_x = rect.x + 10 + fonts.mono(12).size("00:00")[0] + 9
    column = pygame.Rect(mark_x - 6, 0, 13, 140)
    rows = {tone: pygame.Rect(column.x, bottom - (3 - i) * line_h, column.width, line_h)
            for i, tone in enumerate(["info", "danger", "warn"])}

    def count(tone_rect, colour):
        pixels = pygame.surfarray.array3d(surface.subsurface(tone_rect)).astype(int)
        return int((np.abs(pixels - np.array(colour)) <= 30).all(axis=2).sum())

    assert count(rows["warn"], pal.WARN) > 15
    assert count(rows["danger"], pal.DANGER) > 15
    assert count(rows["info"], pal.TEXT_DIM) == 0


def test_checklist_shows_a_tick_when_done_and_a_ring_before(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    x, y = screen.layout.controls.x + 19, screen.widgets.rows["consent"]
    dot = pygame.Rect(x - 8, y - 8, 17, 17)
    before = pygame.surfarray.array3d(app.window.subsurface(dot)).astype(int)
    assert not (np.abs(before - np.array(pal.OK)) <= 30).all(axis=2).sum() > 20  # not filled in blue
    give_consent(app)
    wait(app, 0.05)
    after = pygame.surfarray.array3d(app.window.subsurface(dot)).astype(int)
    assert (np.abs(after - np.array(pal.OK)) <= 30).all(axis=2).sum() > 60  # filled in OK blue
    assert len(ink_columns(app.window, (x, y))) >= 7  # and a tick drawn across it


def test_a_position_not_recommended_shows_an_exclamation_not_a_tick(make_app):
    app = make_app()
    screen = start_procedure(app, app.config.cases[0].id)
    dropdown = screen.widgets.position
    other = next(o for o in dropdown.options_list if (o[0] if isinstance(o, tuple) else o) != dropdown.selected_option[0])
    label = other[0] if isinstance(other, tuple) else other
    dropdown.selected_option = (label, label)
    app.handle_event(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=dropdown, text=label))
    key(app, pygame.K_F3)
    wait(app, 0.1)
    assert screen.state.checklist.position is not None and not screen.state.checklist.position_recommended
    x, y = screen.layout.controls.x + 19, screen.widgets.rows["position"]
    dot = pygame.Rect(x - 8, y - 8, 17, 17)
    pixels = pygame.surfarray.array3d(app.window.subsurface(dot)).astype(int)
    assert (np.abs(pixels - np.array(pal.WARN)) <= 30).all(axis=2).sum() > 60
    assert 1 <= len(ink_columns(app.window, (x, y))) <= 4  # one upright bar: '!'
