"""The practice hint on skin marks: green where the mark would earn full mark credit for an active
point, amber elsewhere, including on a latent point (tender, but not the patient's pain); in
assessment no ring at all. Marks are made with a real right click on the drawing."""

import numpy as np
import pygame

from simulator.render import palette as pal
from tests.ui.driving import click, key, wait

S1 = "s1_upper_trapezius_thin"  # one active and one latent point in the upper trapezius


def ring_pixels(app, centre, colour) -> int:
    x, y = centre
    px = pygame.surfarray.array3d(app.window.subsurface((x - 13, y - 13, 26, 26))).astype(int)
    return int((np.abs(px - np.array(colour)).sum(axis=2) < 30).sum())


def marked(make_app, mode):
    app = make_app(start_case=S1, mode=mode)
    wait(app, 0.1)
    if app.screen.state.probe_on_skin:  # practice: the probe rests over the active point and would hide the ring
        key(app, pygame.K_l)  # (an assessment starts with the probe off the skin)
        wait(app, 0.05)
    assert not app.screen.state.probe_on_skin
    case = app.screen.case
    active = next(tp for tp in case.trigger_points if tp.activity == "active")
    latent = next(tp for tp in case.trigger_points if tp.activity == "latent")
    view = app.screen.view.palpation.view
    spots = {name: tuple(round(v) for v in view.to_px(tp.x_mm, tp.y_mm)) for name, tp in
             (("active", active), ("latent", latent))}
    for spot in spots.values():
        click(app, spot, button=3)
    wait(app, 0.1)
    assert len(app.screen.state.marks) == 2
    return app, spots


def test_practice_rings_a_mark_on_the_active_point_green_and_one_on_the_latent_point_amber(make_app, artifacts):
    app, spots = marked(make_app, "practice")
    pygame.image.save(app.window, str(artifacts / "mark_hint.png"))
    assert ring_pixels(app, spots["active"], pal.OK) > 20 and ring_pixels(app, spots["active"], pal.WARN) == 0
    assert ring_pixels(app, spots["latent"], pal.WARN) > 20 and ring_pixels(app, spots["latent"], pal.OK) == 0


def test_assessment_rings_no_mark(make_app):
    app, spots = marked(make_app, "assessment")
    for spot in spots.values():
        assert ring_pixels(app, spot, pal.OK) == 0 and ring_pixels(app, spot, pal.WARN) == 0
