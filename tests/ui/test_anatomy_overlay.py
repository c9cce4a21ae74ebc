"""Anatomy you can see: the cross-section on the image (practice, U or its button), the needle guide,
and the labelled cross-section of the needle's path in the debrief (A)."""

import numpy as np
import pygame

from simulator.core import actions as A
from simulator.render import palette as pal
from simulator.render.cross_section import TISSUE_COLOURS
from tests.ui.driving import click, finish, key, start_procedure, wait


def redness(app, rect) -> float:
    """Mean red minus green over a rectangle: muscle (red) tints it up, the grey scan is near 0."""
    pixels = pygame.surfarray.array3d(app.window.subsurface(rect)).astype(float)
    return float((pixels[..., 0] - pixels[..., 1]).mean())


def colour_count(app, rect, colour, tolerance=2) -> int:
    pixels = pygame.surfarray.array3d(app.window.subsurface(rect)).astype(int)
    return int(np.all(np.abs(pixels - np.array(colour)) <= tolerance, axis=2).sum())


def test_u_lays_the_anatomy_and_the_needle_guide_on_the_image_in_practice(make_app, artifacts):
    app = make_app()
    screen = start_procedure(app, "s1_upper_trapezius_thin")
    wait(app, 0.1)
    image = screen.view.ultrasound.image_view.rect
    plain = redness(app, image)
    guide_before = colour_count(app, image, pal.ACCENT)
    whites = colour_count(app, image, (240, 240, 240), 15)
    key(app, pygame.K_u)
    wait(app, 0.1)
    assert screen.anatomy_on
    assert redness(app, image) > plain + 15  # the muscles, tinted
    assert colour_count(app, image, (240, 240, 240), 15) > whites + 500  # tissue outlines and the outlined names
    assert colour_count(app, image, pal.ACCENT) > guide_before + 40  # the planned in-plane path, dashed
    pygame.image.save(app.window, str(artifacts / "anatomy_overlay.png"))
    key(app, pygame.K_u)
    wait(app, 0.1)
    assert not screen.anatomy_on and abs(redness(app, image) - plain) < 3


def test_the_anatomy_button_toggles_it_too(make_app):
    app = make_app()
    screen = start_procedure(app, "s1_upper_trapezius_thin")
    wait(app, 0.1)
    click(app, screen.view.anatomy_pill.center)
    wait(app, 0.05)
    assert screen.anatomy_on


def test_assessment_has_no_anatomy_overlay_and_no_button(make_app):
    app = make_app()
    screen = start_procedure(app, "s1_upper_trapezius_thin", mode="assessment", trainee="t")
    probe = screen.case.body_region.default_probe  # assessment starts with the probe off the skin: put it on
    screen.submit([A.Probe(x_mm=probe.x_mm, y_mm=probe.y_mm, heading_deg=probe.heading_deg, pressure=0.3)])
    wait(app, 0.2)
    image = screen.view.ultrasound.image_view.rect
    plain = redness(app, image)
    key(app, pygame.K_u)
    wait(app, 0.1)
    assert not screen.anatomy_on and screen.view.anatomy_pill is None
    assert abs(redness(app, image) - plain) < 3


def test_the_debrief_shows_a_labelled_cross_section_under_the_needle_path(make_app, artifacts):
    app = make_app()
    start_procedure(app, "s1_upper_trapezius_thin")
    finish(app)
    wait(app, 1.0)
    assert app.screen.name == "debrief"
    panel = app.screen.layout.needle_path
    assert colour_count(app, panel, TISSUE_COLOURS["fat"]) < 50
    key(app, pygame.K_a)
    wait(app, 0.05)
    assert colour_count(app, panel, TISSUE_COLOURS["fat"]) > 500  # the fat layer, in the section's flat colour
    assert colour_count(app, panel, TISSUE_COLOURS["muscle"]) > 2000
    pygame.image.save(app.window, str(artifacts / "debrief_cross_section.png"))
