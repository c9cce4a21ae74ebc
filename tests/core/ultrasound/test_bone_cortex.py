"""Bone: a bright cortex with a short ladder of reverberation inside it, fading into the shadow."""

from __future__ import annotations

import numpy as np

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import muscle_only_case

POSE = ProbePose(60, 50, 0)
SETTINGS = ScanSettings(depth_cm=4.0, freq_mhz=10.0, speckle_reduction=False)


def _rib_frame(tissue="bone"):
    rib = {"name": "rib", "tissue": tissue, "radius_mm": 5.0, "start": {"x_mm": 60, "y_mm": 0, "depth_mm": 18.0},
           "end": {"x_mm": 60, "y_mm": 120, "depth_mm": 18.0}}
    engine = UltrasoundEngine(AnatomyModel(muscle_only_case(**{"anatomy.cylinders": [rib]})), seed=2)
    frame = engine.frame(POSE, SETTINGS)
    labels = engine.anatomy.slice(POSE, frame.geometry.width_mm, frame.geometry.depth_mm, frame.image.shape).labels
    return frame, labels


def _column_db_below_cortex(frame, labels, from_mm, to_mm):
    """Mean envelope (dB) over the middle 1 mm of columns, from_mm..to_mm under the bone's top."""
    row_mm, col_mm = frame.geometry.mm_per_px
    centre = frame.envelope.shape[1] // 2
    cols = slice(centre - int(0.5 / col_mm), centre + int(0.5 / col_mm))
    top = int(np.argmax(labels[:, centre] == LABEL["bone"]))
    rows = slice(top + int(from_mm / row_mm), top + int(to_mm / row_mm))
    return float(20 * np.log10(frame.envelope[rows, cols].mean()))


def _profile_below_cortex(frame, labels, to_mm=3.0):
    row_mm = frame.geometry.mm_per_px[0]
    centre = frame.envelope.shape[1] // 2
    top = int(np.argmax(labels[:, centre] == LABEL["bone"]))
    return frame.envelope[top: top + int(to_mm / row_mm), centre - 3: centre + 4].mean(axis=1), row_mm


def test_the_cortex_reverberates_under_its_bright_line_before_the_shadow():
    frame, labels = _rib_frame()
    line = _column_db_below_cortex(frame, labels, -0.1, 0.2)
    profile, row_mm = _profile_below_cortex(frame, labels)
    first = 20 * np.log10(profile[int(round(0.8 / row_mm))])
    assert 10.0 < line - first < 22.0, (line, first)  # the first echo inside the cortex faint, about 16 dB under
    assert line - _column_db_below_cortex(frame, labels, 3.5, 5.5) > 50.0  # then the shadow


def test_the_ladder_has_distinct_echoes_not_a_smear():
    frame, labels = _rib_frame()
    profile, row_mm = _profile_below_cortex(frame, labels)
    step = int(round(0.8 / row_mm))
    for k in (1, 2):
        echo, before, after = profile[k * step], profile[k * step - step // 2], profile[k * step + step // 2]
        assert echo > 2 * max(before, after), (k, echo, before, after)
