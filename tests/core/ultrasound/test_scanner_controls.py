"""The scanner's image controls: TGC (automatic, sliders, focal band), speckle reduction, and the
probe's heel-toe tilt (anisotropy), measured on the displayed grey levels and the envelope."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine

from .conftest import Slab, muscle_only_case

POSE = ProbePose(60, 40, 0)  # along the muscle's fibres (fibre_direction_deg 0)


@pytest.fixture(scope="module")
def muscle_engine():
    return UltrasoundEngine(AnatomyModel(muscle_only_case()), seed=7)


def _grey_at(frame, depth_mm: float, half_mm: float = 1.0) -> float:
    row_mm = frame.geometry.mm_per_px[0]
    rows = slice(int((depth_mm - half_mm) / row_mm), int((depth_mm + half_mm) / row_mm))
    return float(frame.image[rows].mean())


def _mean_db(frame, top_mm: float, bottom_mm: float) -> float:
    row_mm = frame.geometry.mm_per_px[0]
    return float(20 * np.log10(frame.envelope[int(top_mm / row_mm): int(bottom_mm / row_mm)].mean()))


def test_automatic_tgc_keeps_homogeneous_muscle_an_even_grey_from_10_to_35_mm(muscle_engine):
    frame = muscle_engine.frame(POSE, ScanSettings(depth_cm=4.0, freq_mhz=10.0))
    greys = [_grey_at(frame, d) for d in (10, 15, 20, 25, 30, 35)]
    assert max(greys) - min(greys) <= 18.0, np.round(greys, 1)  # within about 4 dB on screen
    assert min(greys) > 50.0, np.round(greys, 1)  # and not sunk into the dark


def test_tgc_sliders_brighten_and_darken_their_own_depths(muscle_engine):
    plain = muscle_engine.frame(POSE, ScanSettings(depth_cm=4.0, freq_mhz=10.0))
    far = muscle_engine.frame(POSE, ScanSettings(depth_cm=4.0, freq_mhz=10.0, tgc_far_db=10.0))
    near = muscle_engine.frame(POSE, ScanSettings(depth_cm=4.0, freq_mhz=10.0, tgc_near_db=-10.0))
    # +10 dB at the bottom is 42 grey levels there (60 dB over 255 levels), nothing at the top
    assert 30.0 <= _grey_at(far, 38.0) - _grey_at(plain, 38.0) <= 45.0
    assert abs(_grey_at(far, 3.0) - _grey_at(plain, 3.0)) < 4.0
    assert _grey_at(near, 2.0) < _grey_at(plain, 2.0) - 25.0
    assert abs(_grey_at(near, 38.0) - _grey_at(plain, 38.0)) < 4.0
    # display only: the received echo is the same
    assert np.array_equal(far.envelope, plain.envelope)


def test_tgc_sliders_are_range_checked():
    with pytest.raises(ValueError, match="tgc_mid_db must be a number in -20..20"):
        ScanSettings(tgc_mid_db=25.0)


def test_the_focal_zone_is_brighter_and_moves_with_the_focus(muscle_engine):
    shallow = muscle_engine.frame(POSE, ScanSettings(depth_cm=4.0, freq_mhz=10.0, focus_cm=1.2))
    deep = muscle_engine.frame(POSE, ScanSettings(depth_cm=4.0, freq_mhz=10.0, focus_cm=3.0))
    gain_at_30 = _grey_at(deep, 30.0, 2.0) - _grey_at(shallow, 30.0, 2.0)
    gain_at_12 = _grey_at(shallow, 12.0, 2.0) - _grey_at(deep, 12.0, 2.0)
    assert 3.0 <= gain_at_30 <= 10.0, gain_at_30  # about 1.5 dB: noticeable, not a stripe
    assert 3.0 <= gain_at_12 <= 10.0, gain_at_12


def test_speckle_reduction_smooths_the_speckle_and_keeps_the_mean_intensity(engine):
    raw = Slab(engine, attenuation=0.0).envelope[20:-20]
    reduced = Slab(engine, attenuation=0.0, compound=True).envelope[20:-20]
    assert abs(raw.mean() / raw.std() - 1.91) <= 0.08  # off: fully developed speckle, as before
    assert reduced.mean() / reduced.std() > 2.5  # on: two decorrelated patterns averaged
    assert (20 * np.log10(reduced)).std() < 4.5
    assert abs((reduced**2).mean() / (raw**2).mean() - 1) < 0.05  # same brightness


def test_speckle_reduction_is_on_by_default_and_can_be_turned_off(muscle_engine):
    assert ScanSettings().speckle_reduction is True
    on = muscle_engine.frame(POSE, ScanSettings(depth_cm=4.0)).envelope
    off = muscle_engine.frame(POSE, ScanSettings(depth_cm=4.0, speckle_reduction=False)).envelope
    band = slice(200, 300)  # muscle 15-23 mm; each row over its own mean (the echo falls with depth)

    def snr(env):
        flat = env[band] / env[band].mean(axis=1, keepdims=True)
        return float(flat.mean() / flat.std())

    assert snr(on) > 1.08 * snr(off), (snr(on), snr(off))  # the fibres' texture stays


def test_tilting_the_probe_dims_muscle_fibres_and_fascia_but_not_fat(muscle_engine):
    settings = ScanSettings(depth_cm=4.0, freq_mhz=10.0)
    square = muscle_engine.frame(POSE, settings)
    tilted = muscle_engine.frame(POSE, settings, tilt_deg=15.0)
    slight = muscle_engine.frame(POSE, settings, tilt_deg=3.0)
    # skin 0-2 mm, fat 2-6 mm, fascia 6-7 mm, muscle below (muscle_only_case)
    assert _mean_db(square, 12, 30) - _mean_db(tilted, 12, 30) >= 3.0  # the fascicles go dark
    assert _mean_db(square, 5.5, 7.5) - _mean_db(tilted, 5.5, 7.5) >= 6.0  # the fascia line fades most
    assert abs(_mean_db(square, 3, 5) - _mean_db(tilted, 3, 5)) < 1.0  # fat has no fibres to lose
    assert _mean_db(square, 12, 30) - _mean_db(slight, 12, 30) < 1.5  # a few degrees barely matter
    # tilting either way is the same
    other = muscle_engine.frame(POSE, settings, tilt_deg=-15.0)
    assert abs(_mean_db(other, 12, 30) - _mean_db(tilted, 12, 30)) < 1.0
