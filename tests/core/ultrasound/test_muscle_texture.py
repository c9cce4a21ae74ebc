"""Muscle echotexture: fascicles along the case's pennation angle, and an aponeurosis where the
case gives one (a bright band that follows the muscle layer)."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine
from simulator.scenario.schema import Case

from .conftest import case_with, muscle_only_case

ALONG_FIBRES = ProbePose(60, 40, 0)  # muscle_only_case: fibre_direction_deg 0
SETTINGS = ScanSettings(depth_cm=4.0, freq_mhz=10.0)


def _streak_angle_deg(frame, top_mm: float, bottom_mm: float) -> float:
    """Dominant orientation (deg below the horizontal, + going deeper to the right) of the bright
    structures in a depth band: the structure tensor of the log envelope, in millimetres."""
    row_mm, col_mm = frame.geometry.mm_per_px
    band = 20 * np.log10(frame.envelope[int(top_mm / row_mm): int(bottom_mm / row_mm)] + 1e-9)
    gz, gx = np.gradient(band, row_mm, col_mm)
    jxx, jzz, jxz = (gx * gx).sum(), (gz * gz).sum(), (gx * gz).sum()
    gradient = 0.5 * np.degrees(np.arctan2(2 * jxz, jxx - jzz))  # across the streaks
    return float((gradient + 90.0 + 90.0) % 180.0 - 90.0)


def _muscle_with(pennation_deg: float) -> UltrasoundEngine:
    case = muscle_only_case()
    data = case.model_dump(mode="json", exclude_none=True)
    data["anatomy"]["layers"][-1]["pennation_deg"] = pennation_deg
    return UltrasoundEngine(AnatomyModel(Case.model_validate(data)), seed=4)


def test_fascicles_follow_the_pennation_angle():
    shallow = _streak_angle_deg(_muscle_with(8.0).frame(ALONG_FIBRES, SETTINGS), 10, 30)
    steep = _streak_angle_deg(_muscle_with(28.0).frame(ALONG_FIBRES, SETTINGS), 10, 30)
    assert steep - shallow > 8.0, (shallow, steep)
    assert steep > 5.0, steep  # slanting down the way the case says, not just flatter


def _layers(aponeurosis=None, thickness=20.0):
    muscle = {"tissue": "muscle", "name": "upper_trapezius", "fibre_direction_deg": 0, "thickness_mm": thickness}
    if aponeurosis is not None:
        muscle["aponeurosis"] = aponeurosis
    return [
        {"tissue": "skin", "thickness_mm": 2},
        {"tissue": "fat", "thickness_mm": 4},
        {"tissue": "fascia", "thickness_mm": 1},
        muscle,
        {"tissue": "muscle", "name": "levator_scapulae", "fibre_direction_deg": 0},
    ]


def _band_db(frame, depth_mm: float, half_mm: float = 0.3) -> float:
    row_mm = frame.geometry.mm_per_px[0]
    rows = slice(int((depth_mm - half_mm) / row_mm), int((depth_mm + half_mm) / row_mm))
    return float(20 * np.log10(frame.envelope[rows].mean()))


def _engine(layers):
    case = case_with(**{"anatomy.layers": layers, "anatomy.vessels": [], "anatomy.nerves": [],
                        "anatomy.cylinders": []})
    return UltrasoundEngine(AnatomyModel(case), seed=4)


def test_an_aponeurosis_is_a_bright_band_at_its_share_of_the_muscle():
    with_band = _engine(_layers({"depth_fraction": 0.5})).frame(ALONG_FIBRES, SETTINGS)
    without = _engine(_layers()).frame(ALONG_FIBRES, SETTINGS)
    centre_mm = 7.0 + 0.5 * 20.0  # the muscle runs 7-27 mm
    assert _band_db(with_band, centre_mm) - _band_db(without, centre_mm) > 8.0
    # the muscle beside it is muscle as before (a band, not a brighter muscle)
    assert abs(_band_db(with_band, centre_mm - 4) - _band_db(without, centre_mm - 4)) < 1.5


def test_an_aponeurosis_follows_the_layer_when_the_muscle_thickens():
    sloped = [{"x_mm": 40, "y_mm": 40, "thickness_mm": 14}, {"x_mm": 80, "y_mm": 40, "thickness_mm": 26}]
    engine = _engine(_layers({"depth_fraction": 0.5}, thickness=sloped))
    frame = engine.frame(ALONG_FIBRES, SETTINGS)
    row_mm, col_mm = frame.geometry.mm_per_px
    width = frame.envelope.shape[1]
    depths, expected = [], []
    for lateral_mm in (-12.0, 12.0):
        x, y, _ = ALONG_FIBRES.to_world(lateral_mm, 0.0)
        tops = engine.anatomy.layer_tops_mm(x, y)
        expected.append(float(tops[3] + 0.5 * (tops[4] - tops[3])))  # half-way down the first muscle
        col = int(width / 2 + lateral_mm / col_mm)
        # the displayed grey (TGC evens out the muscle) down the column, between the fascia and the deeper muscle
        profile = frame.image[int(10 / row_mm): int(24 / row_mm), col - 4: col + 5].mean(axis=1)
        depths.append(10 + np.argmax(np.convolve(profile, np.ones(5) / 5, mode="same")) * row_mm)
    assert expected[1] - expected[0] > 2.0  # the muscle is thicker to the right ...
    assert np.allclose(depths, expected, atol=0.8), (depths, expected)  # ... and the band stays half-way down


def test_an_aponeurosis_only_on_a_muscle_layer_with_a_thickness():
    with pytest.raises(Exception, match="needs the layer's `thickness_mm`"):
        layers = _layers()
        layers[-1]["aponeurosis"] = {"depth_fraction": 0.5}
        _engine(layers)


def _stacked(upper_deg: float, lower_deg: float) -> UltrasoundEngine:
    """Two muscles one above the other (7-19 mm and below 19 mm), each with its own pennation."""
    layers = _layers(thickness=12.0)
    layers[3]["pennation_deg"], layers[4]["pennation_deg"] = upper_deg, lower_deg
    return _engine(layers)


def test_stacked_muscles_show_fascicles_at_their_own_angles():
    frame = _stacked(4.0, 30.0).frame(ALONG_FIBRES, SETTINGS)
    upper, lower = _streak_angle_deg(frame, 9, 17), _streak_angle_deg(frame, 22, 34)
    assert lower - upper > 8.0, (upper, lower)
    # swapped: each band follows its muscle, not its depth
    swapped = _stacked(30.0, 4.0).frame(ALONG_FIBRES, SETTINGS)
    upper_s, lower_s = _streak_angle_deg(swapped, 9, 17), _streak_angle_deg(swapped, 22, 34)
    assert upper_s - lower_s > 8.0, (upper_s, lower_s)


def test_stacked_muscles_with_one_angle_keep_one_texture():
    same = _stacked(12.0, 12.0).frame(ALONG_FIBRES, SETTINGS)
    default = _engine(_layers(thickness=12.0)).frame(ALONG_FIBRES, SETTINGS)
    assert np.array_equal(same.image, default.image)


def _streak_angle_in_columns_deg(frame, top_mm, bottom_mm, cols: slice) -> float:
    class Part:  # the same measure on a lateral part of the frame
        geometry, envelope = frame.geometry, frame.envelope[:, cols]
    return _streak_angle_deg(Part, top_mm, bottom_mm)


def test_side_by_side_regions_show_fascicles_at_their_own_angles():
    layers = _layers(thickness=20.0)
    layers[3]["pennation_deg"] = 4.0
    left = [{"x_mm": -100, "y_mm": -100}, {"x_mm": 60, "y_mm": -100}, {"x_mm": 60, "y_mm": 200},
            {"x_mm": -100, "y_mm": 200}]
    layers[3]["regions"] = [{"name": "levator_scapulae", "outline": left, "pennation_deg": 30.0, "septum_mm": 0,
                             "sources": layers[3].get("sources", [])}]
    frame = _engine(layers).frame(ALONG_FIBRES, SETTINGS)
    width = frame.envelope.shape[1]
    region = _streak_angle_in_columns_deg(frame, 9, 25, slice(0, width // 2 - 8))
    rest = _streak_angle_in_columns_deg(frame, 9, 25, slice(width // 2 + 8, width))
    assert region - rest > 8.0, (region, rest)
