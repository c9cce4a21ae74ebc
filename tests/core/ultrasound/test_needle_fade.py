"""The needle fades as a real one does: with insertion angle, across the beam's elevation, with a
comet tail only under a flat shaft and a faint shadow under it; the tip stays visible when steep."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.core.geometry import NeedleGeometry, ProbePose, in_beam
from simulator.core.ultrasound import ScanSettings

from .helpers import mean_db

SETTINGS = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
PROBE = ProbePose(60, 40, 0)  # long axis of the upper trapezius
TIP_DEPTH_MM, TIP_X_MM = 13.0, 66.0


def _in_plane(angle_deg, y=40.0, gauge=25, tip_depth_mm=TIP_DEPTH_MM):
    run = tip_depth_mm / math.tan(math.radians(angle_deg))
    return NeedleGeometry(TIP_X_MM - run, y, angle_deg, 0.0, tip_depth_mm / math.sin(math.radians(angle_deg)), gauge)


def _pixels(frame, needle, skip_tip_mm=2.0, deeper_mm=0.0):
    """Pixels on the in-plane path of `needle` (whatever its elevation), leaving out the tip."""
    points = needle.sample(0.2)
    points = points[points[:, 2] <= points[-1, 2] - skip_tip_mm * math.sin(math.radians(needle.angle_deg))]
    lateral, _, depth = PROBE.to_plane(points[:, 0], np.full(len(points), PROBE.y_mm), points[:, 2])
    keep = (np.abs(lateral) < frame.geometry.width_mm / 2 - 0.5) & (depth > 0.5)
    rows, cols = frame.geometry.px_of(lateral[keep], depth[keep] + deeper_mm)
    return np.rint(rows).astype(int), np.rint(cols).astype(int)


def _shaft_gain_db(engine, needle, path=None):
    plain = engine.frame(PROBE, SETTINGS, pneumothorax=True)
    frame = engine.frame(PROBE, SETTINGS, needle=needle, pneumothorax=True)
    r, c = _pixels(frame, path or needle)
    return mean_db(frame.envelope[r, c]) - mean_db(plain.envelope[r, c])


def test_shaft_brightness_falls_with_angle_and_never_rises_again(engine):
    angles = [20, 30, 40, 50, 60, 70, 80]
    gains = [_shaft_gain_db(engine, _in_plane(a)) for a in angles]
    assert gains[0] > 10.0  # a shallow shaft stands well out of the muscle
    for a, b in zip(gains, gains[1:]):
        assert b <= a + 0.2, gains  # non-increasing (within the speckle's sampling noise)
    for angle, gain in zip(angles, gains):
        if angle >= 60:
            assert gain <= 3.0, (angle, gain)  # a steep shaft is barely above the tissue


def test_a_steep_needle_still_shows_its_tip(engine):
    needle = _in_plane(70)
    plain = engine.frame(PROBE, SETTINGS, pneumothorax=True)
    frame = engine.frame(PROBE, SETTINGS, needle=needle, pneumothorax=True)
    lateral, _, depth = PROBE.to_plane(*needle.tip)
    r, c = (int(round(float(v))) for v in frame.geometry.px_of(lateral, depth))
    box = (slice(r - 4, r + 3), slice(c - 4, c + 5))
    assert mean_db(frame.envelope[box]) - mean_db(plain.envelope[box]) >= 6.0
    assert _shaft_gain_db(engine, needle) < 3.0  # while the shaft behind it is not


def test_elevation_fade_is_smooth_with_no_step_over_3_db_per_tenth_of_a_mm(engine):
    path = _in_plane(20)
    offsets = np.round(np.arange(0.0, 2.01, 0.1), 2)
    gains = np.array([_shaft_gain_db(engine, _in_plane(20, y=PROBE.y_mm + dy), path) for dy in offsets])
    assert gains[0] > 10.0 and gains[-1] < 1.0  # bright in plane, gone 2 mm away
    steps = np.abs(np.diff(gains))
    assert steps.max() <= 3.0, dict(zip(offsets[1:], steps.round(2)))


@pytest.mark.parametrize("angle_deg, has_tail", [(8, True), (60, False)])
def test_comet_tail_only_under_a_flat_shaft(engine, angle_deg, has_tail):
    needle = _in_plane(angle_deg, tip_depth_mm=10.0)
    plain = engine.frame(PROBE, SETTINGS, pneumothorax=True)
    frame = engine.frame(PROBE, SETTINGS, needle=needle, pneumothorax=True)
    under = [_pixels(frame, needle, deeper_mm=d) for d in np.arange(0.4, 1.65, 0.1)]  # where the copies ring
    r, c = np.concatenate([u[0] for u in under]), np.concatenate([u[1] for u in under])
    gain = mean_db(frame.envelope[r, c]) - mean_db(plain.envelope[r, c])
    assert (gain >= 3.0) if has_tail else (gain <= 1.0), gain


def test_a_faint_shadow_under_the_shaft(engine):
    needle = _in_plane(15, tip_depth_mm=8.0)
    plain = engine.frame(PROBE, SETTINGS, pneumothorax=True)
    frame = engine.frame(PROBE, SETTINGS, needle=needle, pneumothorax=True)
    r, c = _pixels(frame, needle, deeper_mm=6.0)  # well under the comet tail
    shade = mean_db(plain.envelope[r, c]) - mean_db(frame.envelope[r, c])
    assert 1.0 <= shade <= 4.0, shade  # seen, but faint: not a bone's shadow
    thick = engine.frame(PROBE, SETTINGS, needle=_in_plane(15, tip_depth_mm=8.0, gauge=21), pneumothorax=True)
    assert mean_db(thick.envelope[r, c]) < mean_db(frame.envelope[r, c])  # a wider needle shades more


def test_tip_visible_is_what_the_scoring_calls_in_the_beam(engine):
    """The frame draws the shaft out to 1.5 slab half-thicknesses but says the tip is visible only
    where geometry.in_beam (the score's test) does: across the plane, past the image's side and bottom."""
    geometry = engine.frame(PROBE, SETTINGS).geometry
    half_width = geometry.width_mm / 2
    tips = [(TIP_X_MM, 13.0), (PROBE.x_mm + half_width - 0.05, 10.0), (PROBE.x_mm + half_width + 0.05, 10.0),
            (TIP_X_MM, geometry.depth_mm - 0.05), (TIP_X_MM, geometry.depth_mm + 0.05)]
    answers = []
    for tip_x, depth in tips:
        for dy in np.round(np.arange(-2.0, 2.01, 0.1), 2):  # the slab is about 1.2 mm either side here
            run = depth / math.tan(math.radians(20))
            needle = NeedleGeometry(tip_x - run, PROBE.y_mm + dy, 20.0, 0.0, depth / math.sin(math.radians(20)))
            expected = bool(in_beam(PROBE, *needle.tip, geometry.width_mm, geometry.depth_mm))
            assert engine.frame(PROBE, SETTINGS, needle=needle).tip_visible == expected, (tip_x, depth, dy)
            answers.append(expected)
    assert any(answers) and not all(answers)
