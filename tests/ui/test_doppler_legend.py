"""Colour Doppler over an artery at the smallest and the full-HD window: the colour box and its legend
(the +/- velocity bar with the direction words, the unit and the steer) sit on the image, readable. (The readouts under the image are tested in test_scanner_readout.py.)"""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from simulator.core import actions as A
from tests.ui.driving import start_procedure, wait

CASE_ID = "s9_scm_whiplash"  # the common carotid runs under the probe here
OVER_ARTERY = A.Probe(x_mm=104, y_mm=105, heading_deg=75, pressure=0.3)
SIZES = pytest.mark.parametrize("size", [(1024, 640), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")


def _doppler_on(make_app, size, steer_deg=20.0):
    app = make_app(size=size)
    screen = start_procedure(app, CASE_ID)
    screen.submit([OVER_ARTERY, A.Settings(doppler=True, doppler_steer_deg=steer_deg)])
    wait(app, 0.6)
    return app, screen


def _pixels(app, rect):
    return pygame.surfarray.array3d(app.window.subsurface(rect)).astype(int)


@SIZES
def test_the_doppler_legend_is_on_the_image_with_scale_words_and_steer(make_app, artifacts, size):
    app, screen = _doppler_on(make_app, size)
    pygame.image.save(app.window, str(artifacts / f"doppler_legend_{size[0]}x{size[1]}.png"))
    us = screen.view.ultrasound
    legend, image = us.doppler_legend_rect, us.image_view.rect
    assert image.contains(legend), "the legend runs off the image"
    assert legend.width >= 90 and legend.height >= 110, f"legend {legend.size}: no room for words and the steer"
    pixels = _pixels(app, legend)
    red = (pixels[..., 0] > 150) & (pixels[..., 2] < 80)
    blue = (pixels[..., 2] > 150) & (pixels[..., 0] < 80)
    text = pixels.min(axis=2) > 170  # light label pixels on the black backing
    assert red.sum() > 50 and blue.sum() > 50, "no red-to-blue velocity bar"
    right_of_bar = text[20:, :]  # (x, y) columns right of the bar: "+40 toward", "-40 away"
    assert right_of_bar.sum() > 100, "no velocity numbers beside the bar"
    assert np.nonzero(right_of_bar.any(axis=1))[0].max() + 20 > 70, "no direction words after the numbers"
    # the colour box itself is drawn on the image (a white outline around coloured flow)
    assert (_pixels(app, image).min(axis=2) > 230).sum() > 200


def test_the_legend_shows_the_steer_that_is_set(make_app):
    rows = []
    for steer in (20.0, -20.0):
        app, screen = _doppler_on(make_app, (1024, 640), steer)
        legend = screen.view.ultrasound.doppler_legend_rect
        steer_row = pygame.Rect(legend.x, legend.bottom - 18, legend.width, 18)  # the last line: "steer +20°"
        rows.append(_pixels(app, steer_row).min(axis=2) > 120)
        assert rows[-1].sum() > 40, "no steer line at the legend's foot"
    assert (rows[0] != rows[1]).sum() > 10, "the legend's steer does not change with the steer"
