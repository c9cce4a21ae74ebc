"""A rib over the lung: one continuous shadow through the pleural depth, no step where the lung begins.

The pleural line and the lung's reverberation under it are echoes of the sound that reaches the
pleura, so beside a rib they fill in from the side exactly as the tissue just above them does.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.core.anatomy import LABEL, AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import case_with

PROBE = ProbePose(60, 40, 0)
MUSCLE_MM = 25.0  # skin, fat and fascia (7 mm) over it: the pleura at 32 mm
CHEST = [
    {"tissue": "skin", "thickness_mm": 2},
    {"tissue": "fat", "thickness_mm": 4},
    {"tissue": "fascia", "thickness_mm": 1},
    {"tissue": "muscle", "name": "upper_trapezius", "fibre_direction_deg": 0, "thickness_mm": MUSCLE_MM},
    {"tissue": "pleura", "thickness_mm": 1},
    {"tissue": "lung"},
]
RIB_RADIUS_MM = 4.0


def _rib(lateral_mm: float, depth_mm: float) -> dict:
    x = PROBE.x_mm + lateral_mm
    return {"name": "rib", "radius_mm": RIB_RADIUS_MM, "start": {"x_mm": x, "y_mm": 0, "depth_mm": depth_mm},
            "end": {"x_mm": x, "y_mm": 120, "depth_mm": depth_mm}}


def _engine(rib: dict, ultrasound: dict | None = None) -> UltrasoundEngine:
    changes = {"anatomy.layers": CHEST, "anatomy.vessels": [], "anatomy.nerves": [], "anatomy.cylinders": [rib]}
    if ultrasound:
        changes["ultrasound"] = ultrasound
    return UltrasoundEngine(AnatomyModel(case_with(**changes)), seed=5)


def _pleura_mm(engine, frame) -> float:
    """Depth (mm) of the first lung row beside the rib."""
    labels = engine.anatomy.slice(PROBE, frame.geometry.width_mm, frame.geometry.depth_mm, frame.envelope.shape).labels
    return float(np.argmax(labels[:, 20] == LABEL["lung"]) * frame.geometry.mm_per_px[0])


def _shown_db(frame, depth_mm: float, half_mm: float = 0.5) -> np.ndarray:
    """Lateral profile (dB) of the envelope in the rows within half_mm of a depth, smoothed over 0.5 mm.
    The TGC would add the same dB to the whole profile: it moves no edge."""
    row_mm, col_mm = frame.geometry.mm_per_px
    rows = slice(int((depth_mm - half_mm) / row_mm), int((depth_mm + half_mm) / row_mm) + 1)
    window = max(1, int(round(0.5 / col_mm)))
    return np.convolve(20 * np.log10(np.maximum(frame.envelope[rows].mean(axis=0), 1e-30)), np.ones(window) / window, mode="same")


def _shadow_edges_mm(frame, depth_mm: float, centre_mm: float = 0.0) -> tuple[float, float]:
    """Lateral positions (mm, 0 at the image centre) where the shadow round centre_mm is half-way
    (in dB) between its darkest middle and the grey beside it, found walking out from the middle."""
    col_mm = frame.geometry.mm_per_px[1]
    level = _shown_db(frame, depth_mm)
    lateral = -frame.geometry.width_mm / 2 + (np.arange(level.size) + 0.5) * col_mm
    middle = int(np.argmin(np.abs(lateral - centre_mm)))
    beside = np.abs(np.abs(lateral - centre_mm) - (RIB_RADIUS_MM + 5.0)) < 2.0
    half = (np.median(level[beside]) + level[np.abs(lateral - centre_mm) < 1.0].mean()) / 2
    edges = []
    for step in (-1, 1):
        i = middle
        while level[i + step] < half:
            i += step
        j = i + step  # level[i] < half <= level[j]: interpolate
        edges.append(float(lateral[i] + (lateral[j] - lateral[i]) * (half - level[i]) / (level[j] - level[i])))
    return edges[0], edges[1]


@pytest.fixture(scope="module")
def linear():
    engine = _engine(_rib(0.0, 7.0 + MUSCLE_MM - RIB_RADIUS_MM))  # the rib's deep surface on the pleura
    frame = engine.frame(PROBE, ScanSettings(depth_cm=5.0, freq_mhz=10.0))
    return frame, _pleura_mm(engine, frame)


def test_the_shadow_has_the_same_edges_just_above_and_just_below_the_pleural_line(linear):
    frame, pleura = linear
    above, below = _shadow_edges_mm(frame, pleura - 2.0), _shadow_edges_mm(frame, pleura + 2.0)
    assert abs(above[0] - below[0]) < 0.5, (above, below)
    assert abs(above[1] - below[1]) < 0.5, (above, below)


def test_the_shadow_is_as_soft_just_below_the_pleural_line_as_just_above_it(linear):
    """Edge softness: the lateral distance over which the profile climbs from a quarter to three
    quarters of the way (in dB) out of the shadow, on the left edge."""
    frame, pleura = linear
    col_mm = frame.geometry.mm_per_px[1]

    def ramp_mm(depth_mm):
        level = _shown_db(frame, depth_mm)
        centre = level.size // 2
        outside = np.median(level[centre - int(12.0 / col_mm): centre - int(7.0 / col_mm)])
        inside = level[centre - int(1.0 / col_mm): centre + int(1.0 / col_mm)].mean()
        i = centre
        crossings = {}
        for share in (0.25, 0.75):
            target = inside + share * (outside - inside)
            while level[i] < target:
                i -= 1
            crossings[share] = i
        return (crossings[0.25] - crossings[0.75]) * col_mm

    assert abs(ramp_mm(pleura - 2.0) - ramp_mm(pleura + 2.0)) < 0.5


def test_the_pleural_line_stops_at_the_shadow_edge_and_is_not_drawn_under_the_rib(linear):
    frame, pleura = linear
    line = _shown_db(frame, pleura - 0.3, half_mm=0.3)
    beside = _shown_db(frame, pleura - 2.0)
    col_mm = frame.geometry.mm_per_px[1]
    centre = line.size // 2
    left = slice(centre - int(12.0 / col_mm), centre - int(7.0 / col_mm))
    assert np.median(line[left]) - np.median(beside[left]) > 10.0  # a bright line between the ribs
    under = slice(centre - int(1.0 / col_mm), centre + int(1.0 / col_mm))
    assert np.median(line[left]) - line[under].mean() > 30.0  # none under the rib
    # it fades out where the shadow begins, not a shadow's width further out
    above = _shadow_edges_mm(frame, pleura - 2.0)
    at_line = _shadow_edges_mm(frame, pleura - 0.3)
    assert abs(at_line[0] - above[0]) < 0.5 and abs(at_line[1] - above[1]) < 0.5, (at_line, above)


def test_a_curvilinear_rib_shadow_keeps_to_its_beam_line_through_the_lung():
    lateral_mm, depth_mm = 20.0, 7.0 + MUSCLE_MM - RIB_RADIUS_MM
    engine = _engine(_rib(lateral_mm, depth_mm), {
        "probe": "curvilinear", "freq_mhz_min": 2, "freq_mhz_max": 6, "freq_mhz": 4, "depth_cm": 8, "gain_db": 0})
    frame = engine.frame(PROBE, ScanSettings(depth_cm=8.0, freq_mhz=4.0))
    radius = frame.geometry.radius_mm
    beam = math.asin(lateral_mm / (radius + depth_mm))  # the beam line through the rib's centre
    pleura = 7.0 + MUSCLE_MM
    edges = {}
    for image_depth_mm in (pleura - 2.0, pleura + 2.0, pleura + 15.0):
        along = (image_depth_mm + radius) * math.tan(beam)
        left, right = _shadow_edges_mm(frame, image_depth_mm, along)
        assert abs((left + right) / 2 - along) <= 2.0, (image_depth_mm, left, right, along)
        edges[image_depth_mm] = right - left
    # widening with the fan, with no step at the pleura
    assert abs(edges[pleura + 2.0] - edges[pleura - 2.0]) < 1.0, edges
    assert edges[pleura + 15.0] > edges[pleura + 2.0], edges


def test_the_lung_slides_under_a_shadow_that_stays_put(linear):
    frame, pleura = linear
    engine = _engine(_rib(0.0, 7.0 + MUSCLE_MM - RIB_RADIUS_MM))
    later = engine.frame(PROBE, ScanSettings(depth_cm=5.0, freq_mhz=10.0), time_s=1.0)
    row_mm, col_mm = frame.geometry.mm_per_px
    lung = slice(int((pleura + 3.0) / row_mm), None)
    beside = slice(20, frame.image.shape[1] // 2 - int(6.0 / col_mm))
    assert (frame.image[lung, beside] != later.image[lung, beside]).mean() > 0.3  # the lung slides
    for depth_mm in (pleura - 2.0, pleura + 2.0, pleura + 8.0):
        still, moved = _shadow_edges_mm(frame, depth_mm), _shadow_edges_mm(later, depth_mm)
        assert abs(still[0] - moved[0]) < 0.2 and abs(still[1] - moved[1]) < 0.2, (depth_mm, still, moved)
