"""The debrief's marks panel: the drawing fills the panel, the true points and the marks are drawn
where they are, and the legend names the points and the best mark's distance to an active point."""

import math

import numpy as np
import pygame
import pytest

from simulator.render import palette as pal
from simulator.render.debrief_marks import MarksPanel
from simulator.render.layout import DebriefLayout
from simulator.render.palette import Fonts


@pytest.fixture(scope="module")
def fonts():
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((64, 64))
    return Fonts()


def red_pixels(surface, centre, r=5) -> int:
    x, y = centre
    px = pygame.surfarray.array3d(surface.subsurface((x - r, y - r, 2 * r, 2 * r))).astype(int)
    return int((np.abs(px - np.array(pal.DANGER)).sum(axis=2) < 40).sum())


@pytest.mark.parametrize("size", [(1024, 680), (1280, 800), (1600, 1000)])
def test_every_case_fills_the_panel_and_states_the_best_distance(library, fonts, size):
    cases, _ = library
    rect = DebriefLayout.for_size(size).marks
    for case in cases:
        active = [tp for tp in case.trigger_points if tp.activity == "active"]
        target = active[0]
        marks = [(target.x_mm + 6.0, target.y_mm + 8.0), (target.x_mm + 30.0, target.y_mm)]
        panel = MarksPanel(case, marks, fonts, rect)
        box, visible = panel.box, panel.palpation.visible
        assert visible.width >= box.width - 8 and visible.height >= box.height - 8, f"{case.id}: {visible} in {box}"
        assert rect.contains(panel.legend) and not panel.legend.colliderect(visible)
        expected = min(math.hypot(tp.x_mm - x, tp.y_mm - y) for x, y in marks for tp in active)
        text = " ".join(t for _, _, t in panel.legend_rows)
        assert f"{expected:.1f} mm from" in text, text
        for tp in case.trigger_points:
            assert tp.id in text
        surface = pygame.Surface(size)
        panel.draw(surface)
        for tp in active:
            centre = panel.palpation.view.to_px(tp.x_mm, tp.y_mm)
            assert visible.collidepoint(centre), f"{case.id}: {tp.id} off the drawing"
            assert red_pixels(surface, centre) >= 20
        assert panel.legend.bottom <= rect.bottom - 4  # the legend is not cut off


def test_no_mark_is_said_plainly(library, fonts):
    cases, _ = library
    panel = MarksPanel(cases[0], [], fonts, DebriefLayout.for_size((1280, 800)).marks)
    assert panel.legend_rows[0][2].startswith("No skin mark")
