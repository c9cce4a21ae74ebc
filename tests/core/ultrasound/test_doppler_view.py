"""Colour Doppler as a scanner shows it: a visible colour box on the image and a velocity colour bar."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings
from simulator.core.ultrasound.doppler import VELOCITY_SCALE_CM_S, colour_scale
from simulator.render.palette import Fonts
from simulator.render.ultrasound import UltrasoundView

ALONG_ARTERY = ProbePose(60, 60, 0)


@pytest.fixture(scope="module")
def fonts():
    pygame.init()
    return Fonts()


def _draw(engine, fonts, doppler: bool):
    frame = engine.frame(ALONG_ARTERY, ScanSettings(depth_cm=4.0, freq_mhz=10.0, doppler=doppler), time_s=0.1)
    surface = pygame.Surface((700, 640))
    surface.fill((0, 0, 0))
    us = UltrasoundView(fonts, pygame.Rect(0, 0, 700, 640))
    view = us.draw(surface, frame)
    _draw.legend_right = us.doppler_legend_rect.right if doppler else 0  # the legend covers the image's top left
    return frame, surface, view.rect


def test_colour_scale_runs_from_red_toward_to_blue_away_through_black():
    bar = colour_scale(65)
    assert bar[0, 0] > 200 and bar[0, 2] == 0  # fastest toward the probe: red (washing to yellow)
    assert bar[-1, 2] > 200 and bar[-1, 0] == 0  # fastest away: blue (washing to cyan)
    assert (bar[32] == 0).all()  # no colour at zero velocity
    assert VELOCITY_SCALE_CM_S > 0


def test_doppler_on_draws_its_box_and_colour_bar_and_off_draws_neither(engine, fonts):
    frame, surface, rect = _draw(engine, fonts, doppler=True)
    pixels = pygame.surfarray.array3d(surface).transpose(1, 0, 2)
    (row0, col0), (_, col1), _, _ = frame.doppler_corners  # the top edge of the steered box
    height, width = frame.image.shape
    top = rect.y + round(row0 * rect.height / height)
    left = max(rect.x + round(max(col0, 0) * rect.width / width), _draw.legend_right)
    right = rect.x + round(min(col1, width) * rect.width / width)
    edge = pixels[top, left + 2: right - 2]
    assert (edge.min(axis=1) > 180).mean() > 0.9  # the box's top edge is a light line across the image
    bar = pixels[rect.y + 18: rect.y + 82, rect.x + 9]
    assert bar[0, 0] > 200 and bar[0, 2] < 50 and bar[-1, 2] > 200 and bar[-1, 0] < 50  # red on top, blue below
    _, plain, _ = _draw(engine, fonts, doppler=False)
    plain_pixels = pygame.surfarray.array3d(plain).transpose(1, 0, 2)
    assert not (plain_pixels[top, left + 2: right - 2].min(axis=1) > 180).mean() > 0.9
    bar_plain = plain_pixels[rect.y + 18: rect.y + 82, rect.x + 9]
    assert not (bar_plain[0, 0] > 200 and bar_plain[0, 2] < 50)
