"""The needle in and out of the beam, injectate pools, and the moving parts."""

from __future__ import annotations

import math

import numpy as np

from simulator.core.geometry import NeedleGeometry, ProbePose, in_beam
from simulator.core.ultrasound import Bolus, ScanSettings

from .helpers import cols_of, mean_db, rows_of

SETTINGS = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
PROBE = ProbePose(60, 40, 0)  # long axis of the upper trapezius, over ut1


def _in_plane(angle_deg, tip_depth_mm=13.0, tip_x=66.0, y=40.0, gauge=25):
    run = tip_depth_mm / math.tan(math.radians(angle_deg))
    return NeedleGeometry(tip_x - run, y, angle_deg, 0.0, tip_depth_mm / math.sin(math.radians(angle_deg)), gauge)


def _shaft_gain_db(engine, needle):
    plain = engine.frame(PROBE, SETTINGS).envelope
    frame = engine.frame(PROBE, SETTINGS, needle=needle)
    points = needle.sample(0.2)
    keep = in_beam(PROBE, points[:, 0], points[:, 1], points[:, 2], frame.geometry.width_mm, frame.geometry.depth_mm)
    lateral, _, depth = PROBE.to_plane(points[keep, 0], points[keep, 1], points[keep, 2])
    rows, cols = frame.geometry.px_of(lateral, depth)
    r, c = np.rint(rows).astype(int), np.rint(cols).astype(int)
    return mean_db(frame.envelope[r, c]) - mean_db(plain[r, c]), frame


def test_in_plane_needle_is_bright_and_fades_with_steeper_angles(engine):
    gains = [_shaft_gain_db(engine, _in_plane(a))[0] for a in (10, 25, 40, 60)]
    assert gains[0] > 15.0  # a flat shaft stands well out of the muscle
    assert all(a > b for a, b in zip(gains, gains[1:])), gains
    assert gains[0] - gains[-1] >= 10.0


def test_thicker_gauge_is_brighter(engine):
    thin, _ = _shaft_gain_db(engine, _in_plane(20, gauge=27))
    thick, _ = _shaft_gain_db(engine, _in_plane(20, gauge=21))
    assert thick > thin + 1.0


def test_tip_is_brighter_than_the_shaft_and_reported_visible(engine):
    needle = _in_plane(15)
    frame = engine.frame(PROBE, SETTINGS, needle=needle)
    assert frame.tip_visible
    lateral, _, depth = PROBE.to_plane(*needle.tip)
    tip_r, tip_c = (int(round(float(v))) for v in frame.geometry.px_of(lateral, depth))
    mid = needle.point_at(needle.length_mm - 8.0)
    lat_m, _, dep_m = PROBE.to_plane(*mid)
    mid_r, mid_c = (int(round(float(v))) for v in frame.geometry.px_of(lat_m, dep_m))
    tip_peak = frame.envelope[tip_r - 3: tip_r + 4, tip_c - 6: tip_c + 1].max()
    shaft_peak = frame.envelope[mid_r - 3: mid_r + 4, mid_c - 3: mid_c + 4].max()
    # compare at the same depth scale: undo the extra attenuation of the deeper tip
    assert tip_peak / shaft_peak > 10 ** (-3 / 20)


def test_needle_3_mm_out_of_plane_is_invisible(engine):
    plain = engine.frame(PROBE, SETTINGS)
    away = engine.frame(PROBE, SETTINGS, needle=_in_plane(20, y=43.0))
    assert np.array_equal(plain.envelope, away.envelope) and not away.tip_visible
    near = engine.frame(PROBE, SETTINGS, needle=_in_plane(20, y=40.5))
    assert not np.array_equal(plain.envelope, near.envelope) and near.tip_visible


def test_a_shaft_crossing_the_plane_is_a_dot_not_the_tip(engine):
    # out of plane: travels along +y, crosses the image plane (y = 40) about 6 mm deep, tip 7 mm beyond
    needle = NeedleGeometry(60.0, 30.0, 30.0, 90.0, 20.0)
    plain = engine.frame(PROBE, SETTINGS)
    frame = engine.frame(PROBE, SETTINGS, needle=needle)
    assert not frame.tip_visible
    changed = np.argwhere(frame.envelope > plain.envelope * 1.5)
    assert changed.size
    width_mm = (changed[:, 1].max() - changed[:, 1].min() + 1) * frame.geometry.mm_per_px[1]
    assert width_mm < 3.0  # a dot (plus its comet tail straight down), not a line
    top_depth = changed[:, 0].min() * frame.geometry.mm_per_px[0]
    assert 4.0 < top_depth < 8.0


def test_injectate_pool_is_anechoic_grows_and_enhances_below(engine):
    plain = engine.frame(PROBE, SETTINGS)
    small = engine.frame(PROBE, SETTINGS, boluses=[Bolus(60, 40, 12, 0.2, "muscle")])
    large = engine.frame(PROBE, SETTINGS, boluses=[Bolus(60, 40, 12, 1.0, "muscle")])
    core = (rows_of(plain, 11.5, 12.5), cols_of(plain, -1.0, 1.0))
    assert mean_db(plain.envelope[core]) - mean_db(small.envelope[core]) >= 15.0

    def dark_area(frame):
        return int((frame.envelope < plain.envelope * 0.2).sum())

    assert dark_area(large) > 2 * dark_area(small)
    below = (rows_of(plain, 17.0, 22.0), cols_of(plain, -2.0, 2.0))
    assert mean_db(large.envelope[below]) - mean_db(plain.envelope[below]) >= 2.0


def test_pool_shape_depends_on_the_tissue(engine):
    plain = engine.frame(PROBE, SETTINGS)

    def aspect(tissue):
        frame = engine.frame(PROBE, SETTINGS, boluses=[Bolus(60, 40, 12, 0.5, tissue)])
        dark = np.argwhere(frame.envelope < plain.envelope * 0.2)
        row_mm, col_mm = frame.geometry.mm_per_px
        wide = (dark[:, 1].max() - dark[:, 1].min()) * col_mm
        tall = (dark[:, 0].max() - dark[:, 0].min()) * row_mm
        return wide / tall

    muscle, fat, fascia = aspect("muscle"), aspect("fat"), aspect("fascia")
    assert fascia > muscle > fat  # a thin sheet, a spindle along the fibres, a round blob


def test_twitch_jerks_the_band_only(engine):
    still = engine.frame(PROBE, SETTINGS)
    twitch = engine.frame(PROBE, SETTINGS, twitch=1.0)
    moved = np.argwhere(twitch.image != still.image)
    assert moved.size
    depth = moved[:, 0] * twitch.geometry.mm_per_px[0]
    assert depth.min() > 7.0 and depth.max() < 17.0  # the band around ut1 (12 mm deep), not the skin or lung
    assert np.array_equal(engine.frame(PROBE, SETTINGS, twitch=0.0).image, still.image)


def test_lung_slides_with_breathing_unless_there_is_a_pneumothorax(engine):
    deep = ScanSettings(depth_cm=5.0, freq_mhz=8.0)
    a = engine.frame(PROBE, deep, time_s=0.0)
    b = engine.frame(PROBE, deep, time_s=1.0)
    changed_rows = np.nonzero((a.image != b.image).any(axis=1))[0] * a.geometry.mm_per_px[0]
    assert changed_rows.size and changed_rows.min() > 25.0  # only around the pleura
    c = engine.frame(PROBE, deep, time_s=0.0, pneumothorax=True)
    d = engine.frame(PROBE, deep, time_s=1.0, pneumothorax=True)
    assert np.array_equal(c.image, d.image)


def test_artery_pulsates_at_the_heart_rate(engine, case):
    probe = ProbePose(60, 62, 90)
    beat_s = 60.0 / case.patient.heart_rate_bpm
    raw = ScanSettings(depth_cm=4.0, freq_mhz=10.0, speckle_reduction=False)  # the lumen's dark speckle counted raw
    diastole = engine.frame(probe, raw, time_s=0.6 * beat_s, pneumothorax=True)
    systole = engine.frame(probe, raw, time_s=0.12 * beat_s, pneumothorax=True)
    next_systole = engine.frame(probe, raw, time_s=1.12 * beat_s, pneumothorax=True)
    assert not np.array_equal(diastole.image, systole.image)
    assert np.array_equal(systole.image, next_systole.image)
    dark = lambda f: int((f.envelope[:, : f.envelope.shape[1] // 2] < 1e-4).sum())  # noqa: E731
    assert dark(systole) > dark(diastole)  # the lumen is wider at systole


def test_colour_doppler_shows_pulsatile_arterial_and_continuous_venous_flow(engine, case):
    settings = ScanSettings(depth_cm=4.0, freq_mhz=10.0, doppler=True)
    beat_s = 60.0 / case.patient.heart_rate_bpm
    along_artery = ProbePose(60, 60, 0)  # long axis of the transverse cervical artery
    peak = engine.frame(along_artery, settings, time_s=0.12 * beat_s)
    trough = engine.frame(along_artery, settings, time_s=0.6 * beat_s)
    assert peak.doppler is not None and peak.doppler_mask.sum() > 2 * trough.doppler_mask.sum()
    # flow runs +x and the colour beam is steered toward +x: flow away from the probe is blue
    colours = peak.doppler[peak.doppler_mask]
    assert (colours[:, 2] > colours[:, 0]).mean() > 0.9
    along_vein = ProbePose(60, 64, 0)
    v1 = engine.frame(along_vein, settings, time_s=0.12 * beat_s).doppler_mask.sum()
    v2 = engine.frame(along_vein, settings, time_s=0.6 * beat_s).doppler_mask.sum()
    assert v1 > 0 and abs(v1 - v2) < 0.3 * v1
    assert engine.frame(along_artery, SETTINGS).doppler is None


def test_injectate_is_hypoechoic_with_the_tissue_showing_through_not_black(engine):
    plain = engine.frame(PROBE, SETTINGS)
    pooled = engine.frame(PROBE, SETTINGS, boluses=[Bolus(60, 40, 12, 1.0, "muscle")])
    core = (rows_of(plain, 11.0, 13.0), cols_of(plain, -2.0, 2.0))
    darker = mean_db(plain.envelope[core]) - mean_db(pooled.envelope[core])
    assert 15.0 <= darker <= 25.0, darker  # clearly hypoechoic, but not an empty black hole
    # the muscle's own speckle still shows through the fluid spread between its fibres
    corr = np.corrcoef(plain.envelope[core].ravel(), pooled.envelope[core].ravel())[0, 1]
    assert corr > 0.6, corr
