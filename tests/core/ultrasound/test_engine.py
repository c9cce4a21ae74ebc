"""Determinism, world-anchored speckle, geometry and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import case_with

SETTINGS = ScanSettings(depth_cm=4.0, freq_mhz=10.0)


def test_same_pose_gives_the_identical_frame(engine, case):
    probe = ProbePose(60, 40, 0)
    first = engine.frame(probe, SETTINGS)
    engine.frame(ProbePose(70, 45, 30), SETTINGS)  # something else in between
    again = engine.frame(probe, SETTINGS)
    fresh = UltrasoundEngine(AnatomyModel(case), seed=7).frame(probe, SETTINGS)
    assert np.array_equal(first.image, again.image) and np.array_equal(first.envelope, again.envelope)
    assert np.array_equal(first.image, fresh.image)
    other_seed = UltrasoundEngine(AnatomyModel(case), seed=8).frame(probe, SETTINGS)
    assert not np.array_equal(first.image, other_seed.image)


def _log(frame):
    return 20 * np.log10(frame.envelope + 1e-9)


def test_sliding_the_probe_1_mm_slides_the_image_1_mm(engine):
    before = engine.frame(ProbePose(60, 40, 0), SETTINGS)
    after = engine.frame(ProbePose(61, 40, 0), SETTINGS)
    col_mm = before.geometry.mm_per_px[1]
    rows = slice(30, 300)  # skin to the deep muscle, above the lung
    best = {}
    for shift in range(5, 25):
        a = _log(before)[rows, shift:]
        b = _log(after)[rows, : a.shape[1]]
        best[shift] = float(np.corrcoef(a.ravel(), b.ravel())[0, 1])
    shift = max(best, key=best.get)
    assert abs(shift * col_mm - 1.0) <= col_mm
    assert best[shift] >= 0.9


def test_speckle_does_not_boil_when_nothing_moves_but_time(engine):
    probe = ProbePose(60, 40, 0)
    a = engine.frame(probe, SETTINGS, time_s=0.0, pneumothorax=True)
    b = engine.frame(probe, SETTINGS, time_s=0.37, pneumothorax=True)
    # only the pulsing artery (none in this plane) and lung sliding may move; both are off here
    assert np.array_equal(a.image, b.image)


def test_image_geometry_is_data_for_the_ui(engine):
    frame = engine.frame(ProbePose(60, 40, 0), ScanSettings(depth_cm=4.5, freq_mhz=10.0, focus_cm=2.0))
    g = frame.geometry
    assert g.kind == "linear" and g.depth_mm == 45.0 and g.focus_mm == 20.0
    assert g.depth_ticks_cm == (0, 1, 2, 3, 4)
    row, col = g.px_of(0.0, 20.0)
    assert abs(row - (20.0 / g.mm_per_px[0] - 0.5)) < 1e-9 and abs(col - (frame.image.shape[1] / 2 - 0.5)) < 1e-9


def test_curvilinear_probe_gives_a_sector():
    case = case_with(**{"ultrasound.probe": "curvilinear", "ultrasound.freq_mhz_min": 2,
                        "ultrasound.freq_mhz": 5, "ultrasound.depth_cm": 8})
    engine = UltrasoundEngine(AnatomyModel(case), seed=1, size_px=(256, 256))
    frame = engine.frame(ProbePose(60, 40, 0), ScanSettings(depth_cm=8.0, freq_mhz=5.0))
    assert frame.geometry.kind == "curvilinear"
    assert frame.geometry.width_mm > 60.0  # the sector widens with depth
    image = frame.image
    assert image[0, 0] == 0 and image[0, -1] == 0  # corners above the arc are not imaged
    assert image[5:40, 118:138].mean() > 40  # tissue under the middle of the face
    # the skin line follows the convex face: it is deeper at the sides than in the middle
    row_mid = int(np.argmax(image[:, 128] > 0))
    row_side = int(np.argmax(image[:, 40] > 0))
    assert row_side > row_mid + 3


def test_bad_settings_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="depth_cm"):
        ScanSettings(depth_cm=0.2)
    with pytest.raises(ValueError, match="freq_mhz"):
        ScanSettings(freq_mhz=float("nan"))


def test_gain_brightens_the_image(engine):
    probe = ProbePose(60, 40, 0)
    low = engine.frame(probe, ScanSettings(depth_cm=4.0, gain_db=-6.0))
    high = engine.frame(probe, ScanSettings(depth_cm=4.0, gain_db=6.0))
    assert np.array_equal(low.envelope, high.envelope)
    assert high.image.mean() > low.image.mean() + 10


def _centre_correlation(a, b, rows=slice(30, 300), cols=slice(192, 320)):
    """Correlation of the speckle (log envelope less each row's mean: the layers are the same anyway)."""
    x, y = _log(a)[rows, cols], _log(b)[rows, cols]
    x, y = x - x.mean(axis=1, keepdims=True), y - y.mean(axis=1, keepdims=True)
    return float(np.corrcoef(x.ravel(), y.ravel())[0, 1])


def test_a_small_rotation_keeps_the_speckle_a_large_one_does_not(engine):
    # scatterers are frozen in the tissue: turning the probe half a degree (across a whole
    # degree, where the speckle used to be re-drawn) barely moves those under the centre
    base = engine.frame(ProbePose(60, 40, 0.3), SETTINGS, pneumothorax=True)
    small = engine.frame(ProbePose(60, 40, 0.8), SETTINGS, pneumothorax=True)
    large = engine.frame(ProbePose(60, 40, 25.0), SETTINGS, pneumothorax=True)
    assert _centre_correlation(base, small) >= 0.8
    assert _centre_correlation(base, large) < 0.5
    # and the sides, where the plane swings through more tissue, decorrelate first
    edge = slice(0, 64)
    assert _centre_correlation(base, small, cols=edge) < _centre_correlation(base, small)
