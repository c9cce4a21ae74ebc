"""What the anatomy looks like: lumens, shadows, enhancement, the trigger point, the pleura."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import muscle_only_case
from .helpers import cols_of, mean_db, rows_of

SETTINGS = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
ACROSS_VESSELS = ProbePose(60, 62, 90)  # artery at lateral -2 mm, vein at +2 mm, both about 19-20 mm deep


def test_vessel_lumen_is_at_least_20_db_darker_than_muscle(engine):
    frame = engine.frame(ACROSS_VESSELS, SETTINGS)
    rows = rows_of(frame, 18.6, 19.4)
    lumen = frame.envelope[rows, cols_of(frame, -2.4, -1.6)]
    muscle = frame.envelope[rows, cols_of(frame, -12.0, -6.0)]
    assert mean_db(muscle) - mean_db(lumen) >= 20.0


def test_posterior_enhancement_below_the_artery(engine):
    frame = engine.frame(ACROSS_VESSELS, SETTINGS)
    rows = rows_of(frame, 21.5, 24.0)
    below = frame.envelope[rows, cols_of(frame, -2.5, -1.5)]
    beside = frame.envelope[rows, cols_of(frame, -12.0, -6.0)]
    assert mean_db(below) - mean_db(beside) >= 2.0


def test_bone_casts_a_shadow_at_least_20_db_below_the_tissue_beside_it():
    rib = {"name": "rib", "radius_mm": 3, "start": {"x_mm": 0, "y_mm": 50, "depth_mm": 15},
           "end": {"x_mm": 120, "y_mm": 50, "depth_mm": 15}}
    engine = UltrasoundEngine(AnatomyModel(muscle_only_case(**{"anatomy.cylinders": [rib]})), seed=2)
    frame = engine.frame(ProbePose(60, 50, 90), SETTINGS)
    rows = rows_of(frame, 21.0, 28.0)
    shadow = frame.envelope[rows, cols_of(frame, -1.0, 1.0)]
    beside = frame.envelope[rows, cols_of(frame, 8.0, 14.0)]
    assert mean_db(beside) - mean_db(shadow) >= 20.0
    # and the cortex itself is the brightest thing in its rows
    top = rows_of(frame, 11.8, 12.4)
    assert frame.image[top, cols_of(frame, -0.5, 0.5)].max() > frame.image[top, cols_of(frame, 8, 14)].max()


def test_trigger_point_is_hypoechoic_by_its_configured_contrast(engine, case):
    probe = ProbePose(60, 40, 0)  # along the band of ut1
    frame = engine.frame(probe, SETTINGS)
    plane = engine.anatomy.slice(probe, frame.geometry.width_mm, frame.geometry.depth_mm, frame.envelope.shape)
    tp = plane.trigger_point_index == 0
    core = ndimage.binary_erosion(tp, iterations=4)
    rows = np.nonzero(core.any(axis=1))[0]
    band = np.zeros_like(tp)
    band[rows.min():rows.max() + 1] = True
    around = band & ~ndimage.binary_dilation(tp, iterations=8) & (plane.labels == LABEL["muscle"])
    contrast = mean_db(frame.envelope[core]) - mean_db(frame.envelope[around])
    expected = case.trigger_points[0].echo_contrast_db
    assert abs(contrast - expected) <= 2.0, contrast


def test_pleural_line_is_the_brightest_echo_with_a_lines_below_it(engine):
    frame = engine.frame(ProbePose(60, 40, 0), ScanSettings(depth_cm=7.0, freq_mhz=7.0))
    labels = engine.anatomy.slice(ProbePose(60, 40, 0), frame.geometry.width_mm, frame.geometry.depth_mm,
                                  frame.envelope.shape).labels
    col = frame.envelope.shape[1] // 2
    pleura = int(np.argmax(labels[:, col] == LABEL["lung"]))
    profile = frame.image[:, col - 20: col + 20].mean(axis=1)
    a_line = 2 * (pleura + 1) - 1
    assert profile[pleura - 2: pleura + 4].max() > 170
    assert profile[a_line - 2: a_line + 4].max() > profile[a_line + 15: a_line + 40].mean() + 40
    # between the pleura and the first A-line: the lung's grey reverberation, well under the line
    gap = profile[pleura + 15: a_line - 10]
    assert gap.mean() < profile[pleura - 2: pleura + 4].max() - 60


def test_veins_flatten_under_probe_pressure_and_arteries_do_not(engine):
    def dark_pixels(pressure, lateral):
        frame = engine.frame(ProbePose(60, 62, 90, pressure), SETTINGS, pneumothorax=True)
        rows, cols = rows_of(frame, 16.0, 23.0), cols_of(frame, *lateral)
        muscle = np.median(frame.envelope[rows, cols_of(frame, -12.0, -6.0)])
        return int((frame.envelope[rows, cols] < 0.15 * muscle).sum())

    vein, artery = (0.3, 4.0), (-3.6, -0.4)
    assert dark_pixels(0.9, vein) < 0.5 * dark_pixels(0.0, vein)
    assert dark_pixels(0.9, artery) > 0.8 * dark_pixels(0.0, artery)
