"""What the engine keeps between frames (runs, blur weights, power tables, slices) never changes a frame.

A frame rendered after other poses and settings must equal the same frame from a fresh engine,
byte for byte: the per-setting tables are shared between engines and poses for speed.
"""

from __future__ import annotations

import numpy as np

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import case_with


def render(case, pose, settings, engine=None):
    engine = engine or UltrasoundEngine(AnatomyModel(case), seed=5, size_px=(160, 144))
    return engine.frame(pose, settings, time_s=0.25), engine


def test_frames_do_not_depend_on_what_was_rendered_before(case):
    p = case.body_region.default_probe
    poses = [ProbePose(p.x_mm, p.y_mm, p.heading_deg), ProbePose(p.x_mm + 3.1, p.y_mm - 1.2, p.heading_deg + 20, 0.4)]
    settings = [ScanSettings(depth_cm=4.0, freq_mhz=10.0), ScanSettings(depth_cm=6.0, gain_db=4.0, freq_mhz=7.0),
                ScanSettings(depth_cm=4.0, freq_mhz=12.0, focus_cm=1.5)]
    fresh = {(i, j): render(case, pose, s)[0] for i, pose in enumerate(poses) for j, s in enumerate(settings)}
    _, engine = render(case, poses[0], settings[0])
    other_engine = UltrasoundEngine(AnatomyModel(case), seed=9, size_px=(96, 80))  # shares the module caches
    for i, j in [(1, 2), (0, 1), (1, 0), (0, 2), (0, 0), (1, 1)]:
        other_engine.frame(poses[1 - i], settings[(j + 1) % 3])
        frame, _ = render(case, poses[i], settings[j], engine)
        assert np.array_equal(frame.image, fresh[i, j].image), (i, j)
        assert np.array_equal(frame.envelope, fresh[i, j].envelope), (i, j)


def test_a_curvilinear_case_too(case):
    curved = case_with(**{"ultrasound.probe": "curvilinear"})
    p = curved.body_region.default_probe
    pose = ProbePose(p.x_mm, p.y_mm, p.heading_deg)
    a, engine = render(curved, pose, ScanSettings(depth_cm=8.0, freq_mhz=4.0))
    engine.frame(ProbePose(p.x_mm + 2, p.y_mm, p.heading_deg + 5), ScanSettings(depth_cm=10.0, freq_mhz=3.0))
    b, _ = render(curved, pose, ScanSettings(depth_cm=8.0, freq_mhz=4.0), engine)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.envelope, b.envelope)
    assert a.image[a.image > 0].size > 1000  # an image, not a black frame


def test_moving_parts_do_not_depend_on_the_moments_rendered_before(case):
    """The lung's slide, the twitch, the needle's and the pool's drawing keep what they work out per base
    (per breathing shift, per PSF): a moment rendered after others equals it from a fresh engine."""
    import math

    from simulator.core.geometry import NeedleGeometry
    from simulator.core.ultrasound import Bolus

    p = case.body_region.default_probe
    pose = ProbePose(p.x_mm, p.y_mm, p.heading_deg)
    settings = ScanSettings(depth_cm=4.0, freq_mhz=10.0, doppler=True)
    tp = case.trigger_points[0]
    h = math.radians(p.heading_deg)

    def moment(k):
        needle = NeedleGeometry(tp.x_mm - 25 * math.cos(h), tp.y_mm - 25 * math.sin(h),
                                math.degrees(math.atan2(tp.depth_mm, 25.0)), p.heading_deg, 8.0 + 3 * k, 22 + k)
        return dict(needle=needle, boluses=[Bolus(tp.x_mm, tp.y_mm, tp.depth_mm, 0.1 * k, "muscle")],
                    twitch=0.3 * k, time_s=0.7 * k)

    engine = UltrasoundEngine(AnatomyModel(case), seed=5, size_px=(160, 144))
    for k in (3, 1, 2, 0):
        engine.frame(pose, settings, **moment(k))
    for k in (1, 3):
        fresh = UltrasoundEngine(AnatomyModel(case), seed=5, size_px=(160, 144)).frame(pose, settings, **moment(k))
        frame = engine.frame(pose, settings, **moment(k))
        assert np.array_equal(frame.image, fresh.image) and np.array_equal(frame.envelope, fresh.envelope), k
        assert np.array_equal(frame.doppler, fresh.doppler) and frame.tip_visible == fresh.tip_visible
    assert not np.array_equal(engine.frame(pose, settings, **moment(1)).image, frame.image)  # the moments differ


def test_overlapping_boxes_are_displayed_like_the_whole_image():
    from simulator.core.ultrasound.synth import display, display_boxes

    rng = np.random.default_rng(3)
    envelope = np.asfortranarray(rng.rayleigh(0.02, (200, 144)).astype(np.float32))  # column-major, as the engine's
    tgc = np.linspace(0.0, 30.0, 200, dtype=np.float32)
    whole = display(envelope, tgc, 4.0)
    band, inside, overlapping = (slice(100, 160), slice(0, 144)), (slice(110, 120), slice(10, 40)), (slice(150, 170), slice(20, 30))
    touching, empty = (slice(60, 100), slice(50, 52)), (slice(5, 5), slice(0, 144))
    image = np.asfortranarray(np.full((200, 144), 7, dtype=np.uint8))
    display_boxes(envelope, tgc, 4.0, image, [inside, band, overlapping, touching, band, empty])
    shown = np.zeros((200, 144), dtype=bool)
    for rows, cols in (band, overlapping, touching):
        shown[rows, cols] = True
    assert np.array_equal(image[shown], whole[shown])
    assert (image[~shown] == 7).all()  # nothing outside the boxes is touched


def test_a_sector_box_is_black_outside_the_fan():
    from simulator.core.ultrasound.synth import display, display_boxes

    envelope = np.asfortranarray(np.full((120, 100), 1.0, dtype=np.float32))
    tgc = np.asfortranarray(np.tile(np.linspace(0.0, 20.0, 120, dtype=np.float32)[:, None], (1, 100)))
    fan = np.zeros((120, 100), dtype=bool)
    fan[:, 30:70] = True
    image = np.asfortranarray(np.zeros((120, 100), dtype=np.uint8))
    display_boxes(envelope, tgc, 0.0, image, [(slice(10, 90), slice(20, 80))], fan)
    box = np.zeros_like(fan)
    box[10:90, 20:80] = True
    assert np.array_equal(image[box & fan], display(envelope, tgc, 0.0)[box & fan])
    assert (image[box & fan] > 0).all() and (image[box & ~fan] == 0).all()
    assert (envelope[box & ~fan] == 0).all() and (envelope[box & fan] == 1.0).all()
