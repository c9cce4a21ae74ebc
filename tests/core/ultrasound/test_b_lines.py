"""B-lines: a case's optional bright bands from the pleura to the bottom, wiping out the A-lines;
none in a normal lung and none after a pneumothorax."""

from __future__ import annotations

import numpy as np

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import case_with
from .test_lung import FLAT_CHEST, PROBE

SETTINGS = ScanSettings(depth_cm=6.0, freq_mhz=8.0)


def _engine(b_lines: int) -> UltrasoundEngine:
    case = case_with(**{"anatomy.layers": FLAT_CHEST, "anatomy.vessels": [], "anatomy.nerves": [],
                        "anatomy.cylinders": [], "ultrasound.b_lines": b_lines})
    return UltrasoundEngine(AnatomyModel(case), seed=5)


def _bands(frame) -> int:
    """Bright vertical bands in the deep lung (from 1.5x the pleural depth down): columns 8 dB
    above the median, counted as runs."""
    row_mm, col_mm = frame.geometry.mm_per_px
    deep = frame.image[int(36.0 / row_mm):, :].astype(float).mean(axis=0)
    bright = deep > np.median(deep) + 8 * 255 / 60
    return int(np.count_nonzero(np.diff(bright.astype(int)) == 1) + bright[0])


def test_a_case_with_b_lines_shows_them_down_to_the_bottom():
    frame = _engine(3).frame(PROBE, SETTINGS)
    assert _bands(frame) == 3


def test_no_b_lines_in_a_normal_lung_or_after_a_pneumothorax():
    assert _bands(_engine(0).frame(PROBE, SETTINGS)) == 0
    assert _bands(_engine(3).frame(PROBE, SETTINGS, pneumothorax=True)) == 0


def test_b_lines_stay_with_the_chest_when_the_probe_slides():
    engine = _engine(2)
    a = engine.frame(PROBE, SETTINGS)
    b = engine.frame(ProbePose(PROBE.x_mm + 3.0, PROBE.y_mm, PROBE.heading_deg), SETTINGS)
    col_mm = a.geometry.mm_per_px[1]
    row = int(45.0 / a.geometry.mm_per_px[0])
    peak_a = int(np.argmax(a.image[row:, :].mean(axis=0)[: a.image.shape[1] // 2 + 40]))
    profile_b = b.image[row:, :].mean(axis=0)
    shift = int(round(3.0 / col_mm))
    window = profile_b[max(peak_a - shift - 15, 0): peak_a - shift + 16]
    assert window.max() > np.median(profile_b) + 8 * 255 / 60  # the same line, 3 mm further left on screen
