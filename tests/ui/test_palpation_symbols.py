"""The palpation view's moving symbols: the fingertip pad and its pressure ring, the needle entry,
the planned entry, and a legend that names them."""

import numpy as np
import pygame
import pytest

from simulator.core.geometry import NeedleGeometry
from simulator.render import palette as pal
from simulator.render.layout import ProcedureLayout
from simulator.render.palpation import Fingertip, PalpationRenderer, draw_legend


@pytest.fixture
def renderer(library, fonts):
    cases, _ = library
    case = next(c for c in cases if c.id == "s1_upper_trapezius_thin")
    return PalpationRenderer(case, fonts, ProcedureLayout.for_size((1280, 800)).palpation_box, show_muscles=False)


def close_to(surface, rect, colour, tol=40) -> int:
    px = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    return int((np.abs(px - np.array(colour)).sum(axis=2) < tol).sum())


def blue_ring_radius(surface, centre, max_r=40) -> int:
    """The largest distance from `centre` at which the pressure ring's blue shows."""
    x, y = centre
    rect = pygame.Rect(x - max_r, y - max_r, 2 * max_r, 2 * max_r)
    px = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    blue = (px[..., 2] > 170) & (px[..., 2] - px[..., 0] > 60)
    xs, ys = np.nonzero(blue)
    return int(np.hypot(xs - max_r, ys - max_r).max()) if xs.size else 0


def test_the_fingertip_shows_while_pressing_and_its_ring_grows_with_pressure(renderer):
    surface = pygame.Surface((1280, 800))
    x_mm, y_mm = 90.0, 50.0
    centre = renderer.view.to_px(x_mm, y_mm)
    renderer.draw(surface)
    assert blue_ring_radius(surface, centre) == 0
    renderer.draw(surface, finger=Fingertip(x_mm, y_mm, 0.1, True))
    light = blue_ring_radius(surface, centre)
    renderer.draw(surface, finger=Fingertip(x_mm, y_mm, 1.0, True))
    firm = blue_ring_radius(surface, centre)
    assert light >= renderer.finger_radius_px()  # the ring sits around the pad
    assert firm >= light + 6
    renderer.draw(surface, finger=Fingertip(x_mm, y_mm, 1.0, False))
    assert blue_ring_radius(surface, centre) == 0  # lifted: no pressure ring


def test_the_needle_entry_and_the_planned_entry_are_drawn_in_red(renderer):
    surface = pygame.Surface((1280, 800))
    x, y = renderer.view.to_px(90.0, 50.0)
    around = pygame.Rect(x - 10, y - 10, 20, 20)
    renderer.draw(surface)
    assert close_to(surface, around, pal.DANGER) == 0
    renderer.draw(surface, planned_entry=(90.0, 50.0, 0.0))
    assert close_to(surface, around, pal.DANGER) >= 15
    needle = NeedleGeometry(entry_x_mm=90.0, entry_y_mm=50.0, angle_deg=30.0, heading_deg=0.0, length_mm=20.0,
                            gauge=25)
    renderer.draw(surface, needle=needle)
    assert close_to(surface, around, pal.DANGER) >= 20


def test_the_legend_names_every_symbol_and_fits_a_small_window(fonts):
    layout = ProcedureLayout.for_size((1024, 680))
    surface = pygame.Surface((1024, 680))
    surface.fill(pal.PANEL)
    draw_legend(surface, layout.palpation_legend, fonts)
    strip = pygame.surfarray.array3d(surface.subsurface(layout.palpation_legend)).astype(int)
    assert strip.std() > 10
    outside = pygame.surfarray.array3d(surface).astype(int)
    mask = np.ones(outside.shape[:2], bool)
    r = layout.palpation_legend
    mask[r.x:r.right, r.y:r.bottom] = False
    assert (np.abs(outside[mask] - np.array(pal.PANEL)).sum(axis=1) == 0).all()  # nothing spills out
    for colour in (pal.MARK, pal.PROBE, pal.DANGER, pal.INFO):
        assert close_to(surface, r, colour) > 0
