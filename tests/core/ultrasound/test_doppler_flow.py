"""Colour Doppler flow: steering the colour beam, aliasing past the scale, colour filling the lumen."""

from __future__ import annotations

import numpy as np

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import case_with

ALONG_ARTERY = ProbePose(60, 60, 0)  # long axis of the fixture's artery (flow along +x, 19 mm deep)


def _systole(engine, case, steer=20.0, pose=ALONG_ARTERY):
    beat_s = 60.0 / case.patient.heart_rate_bpm
    settings = ScanSettings(depth_cm=4.0, freq_mhz=10.0, doppler=True, doppler_steer_deg=steer)
    return engine.frame(pose, settings, time_s=0.12 * beat_s)


def _red_blue(frame):
    colours = frame.doppler[frame.doppler_mask].astype(int)
    return int((colours[:, 0] > colours[:, 2]).sum()), int((colours[:, 2] > colours[:, 0]).sum())


def test_steering_the_colour_box_the_other_way_flips_the_colour(engine, case):
    red, blue = _red_blue(_systole(engine, case, 20.0))
    assert blue > 10 * max(red, 1)  # steered with the flow: it runs away from the beam, blue
    red, blue = _red_blue(_systole(engine, case, -20.0))
    assert red > 10 * max(blue, 1)  # steered against it: toward the beam, red
    square = _systole(engine, case, 0.0)  # beam square to the vessel: (almost) no Doppler shift
    assert square.doppler_mask.sum() < 0.2 * _systole(engine, case, 20.0).doppler_mask.sum()


def test_the_steer_is_one_of_the_scanners_three_angles():
    try:
        ScanSettings(doppler_steer_deg=10.0)
    except ValueError as error:
        assert "doppler_steer_deg must be one of -20, 0, 20" in str(error)
    else:
        raise AssertionError("a 10 degree steer was accepted")


def test_colour_fills_the_lumen_to_the_wall(engine, case):
    frame = _systole(engine, case)
    r0, c0, r1, c1 = frame.doppler_box
    lumen = np.zeros_like(frame.doppler_mask)
    lumen[r0:r1, c0:c1] = engine.anatomy.slice(ALONG_ARTERY, frame.geometry.width_mm, frame.geometry.depth_mm,
                                               frame.image.shape).labels[r0:r1, c0:c1] == LABEL["artery"]
    filled = (frame.doppler_mask & lumen).sum() / lumen.sum()
    assert filled > 0.9, filled


def test_fast_flow_aliases_to_the_other_colour_in_the_middle_of_the_lumen():
    fast_vessels = [
        {"name": "fast artery", "kind": "artery", "radius_mm": 1.5, "peak_velocity_cm_s": 200,
         "path": [{"x_mm": 20, "y_mm": 60, "depth_mm": 19}, {"x_mm": 110, "y_mm": 60, "depth_mm": 19}]},
    ]
    fast_case = case_with(**{"anatomy.vessels": fast_vessels})
    engine = UltrasoundEngine(AnatomyModel(fast_case), seed=7)
    frame = _systole(engine, fast_case)
    red, blue = _red_blue(frame)
    assert red > 0.1 * (red + blue) and blue > 0.1 * (red + blue), (red, blue)  # wrapped round the scale
    # the wrap sits in the fast centre of the lumen: the edges keep the true (blue) direction
    rows = np.nonzero(frame.doppler_mask.any(axis=1))[0]
    centre_row, edge_row = rows[rows.size // 2], rows[0]
    centre = frame.doppler[centre_row][frame.doppler_mask[centre_row]].astype(int)
    edge = frame.doppler[edge_row][frame.doppler_mask[edge_row]].astype(int)
    assert (edge[:, 2] > edge[:, 0]).mean() > 0.8
    assert (centre[:, 0] > centre[:, 2]).mean() > 0.5


def test_slow_flow_does_not_alias(engine, case):
    red, blue = _red_blue(_systole(engine, case))
    assert red == 0 and blue > 0


def test_the_steered_box_leans_with_the_beam_and_holds_the_colour(engine, case):
    for steer, lean in ((20.0, 1), (-20.0, -1), (0.0, 0)):
        frame = _systole(engine, case, steer, pose=ProbePose(60, 62, 90))  # across both vessels
        (top_r, top_c), _, _, (bottom_r, bottom_c) = frame.doppler_corners
        assert np.sign(round(bottom_c - top_c)) == lean
        # every coloured pixel lies between the box's two leaning sides
        r0, c0, r1, c1 = frame.doppler_box
        rows, cols = np.nonzero(frame.doppler_mask)
        assert rows.size > 0
        shift = (rows - (r0 + r1) / 2.0) * (bottom_c - top_c) / (bottom_r - top_r)
        assert np.all((cols >= c0 + shift - 1) & (cols < c1 + shift + 1))
