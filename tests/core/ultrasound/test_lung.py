"""The lung under the pleura: speckled grey reverberation and A-lines, not a bone's black shadow."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine
from simulator.core.ultrasound.synth import tgc_curve_db

from .conftest import case_with

PROBE = ProbePose(60, 40, 0)
FLAT_CHEST = [
    {"tissue": "skin", "thickness_mm": 2},
    {"tissue": "fat", "thickness_mm": 4},
    {"tissue": "fascia", "thickness_mm": 1},
    {"tissue": "muscle", "name": "upper_trapezius", "fibre_direction_deg": 0, "thickness_mm": 15},
    {"tissue": "pleura", "thickness_mm": 1},
    {"tissue": "lung"},
]
RIB_AT_15_MM = {"name": "rib", "radius_mm": 3, "start": {"x_mm": 60, "y_mm": 0, "depth_mm": 15},
                "end": {"x_mm": 60, "y_mm": 120, "depth_mm": 15}}


@pytest.fixture(scope="module")
def chest():
    case = case_with(**{"anatomy.layers": FLAT_CHEST, "anatomy.vessels": [], "anatomy.nerves": [],
                        "anatomy.cylinders": []})
    return UltrasoundEngine(AnatomyModel(case), seed=5)


def _shown_db(engine, settings, frame, cols=slice(60, 450)):
    """Per-row mean of the envelope as displayed (TGC applied), in dB, and the lung's first row."""
    depth_axis = (np.arange(frame.envelope.shape[0]) + 0.5) * frame.geometry.mm_per_px[0]
    tgc = 10 ** (tgc_curve_db(depth_axis, settings.freq_mhz) / 20)
    shown = frame.envelope[:, cols] * tgc[:, None]
    labels = engine.anatomy.slice(PROBE, frame.geometry.width_mm, frame.geometry.depth_mm, frame.envelope.shape).labels
    lung_row = int(np.argmax(labels[:, frame.envelope.shape[1] // 2] == LABEL["lung"]))
    return 20 * np.log10(shown.mean(axis=1)), lung_row


def test_lung_under_the_pleura_is_speckled_grey_within_20_db_of_the_muscle_above(chest):
    settings = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
    frame = chest.frame(PROBE, settings, pneumothorax=True)
    level, lung = _shown_db(chest, settings, frame)
    px = 1.0 / frame.geometry.mm_per_px[0]
    muscle = level[lung - int(8 * px): lung - int(2 * px)].mean()
    under = level[lung + int(1 * px): lung + int(6 * px)].mean()
    line = level[lung - int(1 * px): lung + int(0.5 * px)].max()
    assert abs(under - muscle) <= 20.0, (under, muscle)  # a grey lung, not a bone's black shadow
    assert 10.0 <= line - under <= 20.0, (line, under)  # still well under the bright pleural line
    # speckled: its pixels vary like tissue speckle, not a flat wash
    rows = slice(lung + int(1 * px), lung + int(6 * px))
    values = frame.envelope[rows, 60:450]
    assert 0.3 < values.std() / values.mean() < 0.8


def test_a_bone_still_casts_a_black_shadow_unlike_the_lung():
    layers = FLAT_CHEST[:4] + [{"tissue": "muscle", "name": "deep", "fibre_direction_deg": 0}]
    case = case_with(**{"anatomy.layers": layers, "anatomy.vessels": [], "anatomy.nerves": [],
                        "anatomy.cylinders": [RIB_AT_15_MM]})
    engine = UltrasoundEngine(AnatomyModel(case), seed=5)
    settings = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
    frame = engine.frame(ProbePose(60, 40, 0), settings)
    c = frame.envelope.shape[1] // 2
    px = 1.0 / frame.geometry.mm_per_px[0]
    above = frame.envelope[int(8 * px): int(10 * px), c - 20: c + 20].mean()
    shadow = frame.envelope[int(20 * px): int(25 * px), c - 5: c + 5].mean()
    tgc = 10 ** (tgc_curve_db(np.array([9.0, 22.5]), 10.0) / 20)
    assert 20 * np.log10(above * tgc[0]) - 20 * np.log10(shadow * tgc[1]) > 25.0


def test_a_lines_sit_at_whole_multiples_of_the_pleural_depth(chest):
    settings = ScanSettings(depth_cm=8.0, freq_mhz=7.0)
    frame = chest.frame(PROBE, settings, pneumothorax=True)
    level, lung = _shown_db(chest, settings, frame)
    row_mm = frame.geometry.mm_per_px[0]
    pleura_mm = lung * row_mm
    for k in (2, 3):
        lo, hi = int((k - 0.5) * lung), min(int((k + 0.5) * lung), len(level))
        peak_mm = (lo + int(np.argmax(level[lo:hi]))) * row_mm
        assert abs(peak_mm - k * pleura_mm) <= 2.0, (k, peak_mm, pleura_mm)
        between = level[int((k - 0.4) * lung): int((k - 0.15) * lung)].mean()
        assert level[lo:hi].max() - between >= 6.0  # a line that stands out of the lung's grey


def test_lung_speckle_slides_with_breathing_and_stops_after_a_pneumothorax(chest):
    settings = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
    a, b = (chest.frame(PROBE, settings, time_s=t) for t in (0.0, 1.0))
    _, lung = _shown_db(chest, settings, a)
    deep = slice(lung + int(3.0 / a.geometry.mm_per_px[0]), None)  # 3 mm and more under the pleura
    assert (a.image[deep] != b.image[deep]).mean() > 0.3
    c, d = (chest.frame(PROBE, settings, time_s=t, pneumothorax=True) for t in (0.0, 1.0))
    assert np.array_equal(c.image, d.image)


def test_a_lung_point_at_the_edge_of_the_pneumothorax_pocket(chest):
    """The breach 25 mm to the probe's right (the pocket's radius): the lung under the image's left
    half still slides with breathing, under the right half (inside the air pocket) it is still."""
    from simulator.core.ultrasound.engine import POCKET_RADIUS_MM

    settings = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
    breach = (PROBE.x_mm + POCKET_RADIUS_MM, PROBE.y_mm)
    a, b = (chest.frame(PROBE, settings, time_s=t, pneumothorax=True, pneumothorax_xy_mm=breach) for t in (0.0, 1.0))
    _, lung = _shown_db(chest, settings, a)
    row_mm, col_mm = a.geometry.mm_per_px
    deep = slice(lung + int(3.0 / row_mm), None)
    centre, margin = a.image.shape[1] // 2, int(3.0 / col_mm)
    left, right = slice(0, centre - margin), slice(centre + margin, None)
    assert (a.image[deep, left] != b.image[deep, left]).mean() > 0.3  # sliding lung
    assert np.array_equal(a.image[deep, right], b.image[deep, right])  # the pocket: no sliding
    # the whole image inside the pocket: no lung point, nothing slides
    inside = (PROBE.x_mm, PROBE.y_mm)
    c, d = (chest.frame(PROBE, settings, time_s=t, pneumothorax=True, pneumothorax_xy_mm=inside) for t in (0.0, 1.0))
    assert np.array_equal(c.image, d.image)
