"""The ultrasound panel's readouts are all there at every supported size: the seven scanner settings
along the top (shorter labels in a narrow panel, never one left out) and the four image controls
under the image (TGC, tilt, steer, speckle reduction; wrapping onto a second line when the panel is
narrow), each drawn inside the panel, clear of the image, of each other and of the anatomy button."""

from __future__ import annotations

import itertools

import numpy as np
import pygame
import pytest

from simulator.core import actions as A
from simulator.render.scanner_readout import ROW_H, item_slots, scanner_lines
from tests.ui.driving import key, start_procedure, wait

SIZES = [(1024, 640), (1280, 800), (1920, 1080)]


def _ink(app, rect) -> int:
    """Pixels in the rectangle that differ from its most common colour (the panel behind the text)."""
    pixels = pygame.surfarray.array3d(app.window.subsurface(rect)).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    return int((np.abs(pixels - colours[counts.argmax()]).sum(axis=1) > 60).sum())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_readout_is_drawn_inside_the_panel_and_clear_of_the_button(make_app, artifacts, size):
    app = make_app(size=size)
    screen = start_procedure(app, "s1_upper_trapezius_thin")
    key(app, pygame.K_u)  # the overlay on: the button lit
    screen.submit([A.Settings(tgc_near_db=-20.0, tgc_mid_db=-20.0, tgc_far_db=-20.0, speckle_reduction=False)])
    wait(app, 0.3)
    pygame.image.save(app.window, str(artifacts / f"scanner_readouts_{size[0]}x{size[1]}.png"))
    panel_rect, scan = screen.layout.ultrasound, screen.view.scanner
    image, pill = scan.ultrasound.image_view.rect, scan.anatomy_pill
    assert len(scan.readout_rects) == 7, f"{len(scan.readout_rects)} of the 7 scanner settings shown along the top"
    assert len(scan.scanner_rects) == 4, f"{len(scan.scanner_rects)} of the 4 image controls shown under the image"
    for r in scan.readout_rects + scan.scanner_rects:
        assert panel_rect.contains(r), f"{r} leaves the panel {panel_rect}"
        assert not r.colliderect(image), f"{r} runs onto the image {image}"
        assert not r.colliderect(pill), f"{r} runs under the anatomy button {pill}"
        assert _ink(app, r) > 30, f"nothing drawn at {r}"
    for a, b in itertools.combinations(scan.readout_rects + scan.scanner_rects + [scan.status_rect], 2):
        assert not a.colliderect(b), f"{a} overlaps {b}"
    if size[0] >= 1280:
        assert scan.strip_lines == 1, "the image controls should fit on one line from 1280 px"


def test_a_narrow_strip_wraps_the_items_onto_a_second_line(fonts):
    """The layout rule itself: in a wide strip one line; too narrow for four items, a second line,
    each item still whole and inside the strip."""
    assert scanner_lines(fonts, 600) == 1
    slots = item_slots(fonts, 250)
    assert scanner_lines(fonts, 250) == 2 and {line for _, line in slots} == {0, 1}
    assert all(x < 250 for x, _ in slots) and ROW_H >= 16
