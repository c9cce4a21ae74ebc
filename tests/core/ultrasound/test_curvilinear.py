"""A curvilinear image is made along its beam lines: a rib's shadow fans out from the virtual apex."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import muscle_only_case

RIB_LATERAL_MM, RIB_DEPTH_MM = 20.0, 15.0
SETTINGS = ScanSettings(depth_cm=8.0, freq_mhz=4.0)


@pytest.fixture(scope="module")
def fan():
    rib = {"name": "rib", "radius_mm": 3, "start": {"x_mm": 60 + RIB_LATERAL_MM, "y_mm": 0, "depth_mm": RIB_DEPTH_MM},
           "end": {"x_mm": 60 + RIB_LATERAL_MM, "y_mm": 120, "depth_mm": RIB_DEPTH_MM}}
    case = muscle_only_case(**{"anatomy.cylinders": [rib], "ultrasound": {
        "probe": "curvilinear", "freq_mhz_min": 2, "freq_mhz_max": 6, "freq_mhz": 4, "depth_cm": 8, "gain_db": 0}})
    engine = UltrasoundEngine(AnatomyModel(case), seed=4)
    return engine.frame(ProbePose(60, 50, 0), SETTINGS)


def _shadow_centre_mm(frame, image_depth_mm: float) -> float:
    """Lateral position (mm, 0 at the centre) of the darkest 4 mm stretch of the rows around a depth."""
    row_mm, col_mm = frame.geometry.mm_per_px
    r = int(image_depth_mm / row_mm)
    rows = frame.envelope[r - 3: r + 4].astype(float)
    inside = (rows > 0).all(axis=0)
    window = max(3, int(round(4.0 / col_mm)))
    level = np.convolve(np.where(inside, rows.mean(axis=0), np.inf), np.ones(window) / window, mode="same")
    lateral = -frame.geometry.width_mm / 2 + (np.arange(level.size) + 0.5) * col_mm
    level[np.abs(lateral) > frame.geometry.width_mm / 2 - 6.0] = np.inf
    return float(lateral[int(np.argmin(level))])


@pytest.mark.parametrize("image_depth_mm", [40.0, 65.0])
def test_a_rib_shadow_follows_the_beam_line_through_the_rib(fan, image_depth_mm):
    radius = fan.geometry.radius_mm
    beam_deg = math.degrees(math.asin(RIB_LATERAL_MM / (radius + RIB_DEPTH_MM)))  # the beam line through the rib
    along_beam = (image_depth_mm + radius) * math.tan(math.radians(beam_deg))
    found = _shadow_centre_mm(fan, image_depth_mm)
    assert abs(found - along_beam) <= 2.0, (found, along_beam)
    assert abs(found - RIB_LATERAL_MM) > 5.0  # not straight down from the rib


@pytest.mark.parametrize("depth_cm", [3.0, 8.0, 16.0])
@pytest.mark.parametrize("shape", [(512, 512), (300, 200)])
def test_the_sector_is_one_run_of_rows_per_column_and_black_outside_it(depth_cm, shape):
    """The scan conversion zeroes each column outside one run of rows: that run is the fan's mask."""
    from simulator.core.ultrasound.scan_geometry import column_spans, make_geometry, sector_map

    inside = sector_map(make_geometry("curvilinear", depth_cm * 10.0, 20.0, shape)).inside
    spans = column_spans(inside)
    rows = np.arange(shape[0])[:, None]
    assert np.array_equal((rows >= spans[:, 0].astype(int)) & (rows < spans[:, 1].astype(int)), inside)
    assert inside[:, shape[1] // 2].all() and not inside[0, 0]


def test_a_mask_with_two_runs_in_a_column_is_refused():
    from simulator.core.ultrasound.scan_geometry import column_spans

    mask = np.zeros((10, 3), dtype=bool)
    mask[2:4, 1] = mask[6:8, 1] = True
    with pytest.raises(ValueError, match="one run of rows per column"):
        column_spans(mask)
    mask[4:6, 1] = True
    assert column_spans(mask).tolist() == [[0, 0], [2, 8], [0, 0]]


def test_the_fan_image_is_black_outside_the_sector(fan):
    assert fan.envelope[0, 0] == 0 and fan.image[0, 0] == 0 and fan.image[0, -1] == 0
    assert fan.envelope[fan.envelope.shape[0] // 2, fan.envelope.shape[1] // 2] > 0
