"""Speckle statistics, speckle size, attenuation and frequency, on homogeneous slabs."""

from __future__ import annotations

import numpy as np

from simulator.core.ultrasound.psf import axial_fwhm_mm, lateral_fwhm_mm

from .conftest import Slab, fwhm_of_autocovariance


def test_homogeneous_muscle_is_fully_developed_speckle(engine):
    slab = Slab(engine, attenuation=0.0)
    env = slab.envelope[20:-20]
    snr = env.mean() / env.std()
    log_std = (20 * np.log10(env)).std()
    assert abs(snr - 1.91) <= 0.08, snr
    assert abs(log_std - 5.57) <= 0.25, log_std


def test_speckle_size_follows_the_psf(engine):
    # 5 MHz on a fine grid so the PSF spans several pixels each way
    slab = Slab(engine, freq_mhz=5.0, depth_mm=30.0, attenuation=0.0)
    rows = slab.rows_near(slab.focus_mm, 2.0)
    intensity = slab.envelope[rows] ** 2
    lateral_px = fwhm_of_autocovariance(intensity, axis=1)
    axial_px = fwhm_of_autocovariance(slab.envelope[40:-40] ** 2, axis=0)
    expected_lateral = float(lateral_fwhm_mm(5.0, slab.focus_mm, slab.focus_mm)) / slab.col_mm
    expected_axial = axial_fwhm_mm(5.0) / slab.row_mm
    assert abs(lateral_px / expected_lateral - 1) <= 0.10, (lateral_px, expected_lateral)
    assert abs(axial_px / expected_axial - 1) <= 0.10, (axial_px, expected_axial)


def test_lateral_speckle_widens_away_from_the_focus(engine):
    slab = Slab(engine, freq_mhz=5.0, depth_mm=40.0, focus_mm=10.0, attenuation=0.0)
    at_focus = fwhm_of_autocovariance(slab.envelope[slab.rows_near(10.0, 2.0)] ** 2, axis=1)
    deep = fwhm_of_autocovariance(slab.envelope[slab.rows_near(34.0, 2.0)] ** 2, axis=1)
    assert deep > 1.5 * at_focus


def _mean_db_per_row(env):
    return 20 * np.log10(env.mean(axis=1))


def test_attenuation_slope_matches_the_tissue_value(engine):
    slab = Slab(engine, freq_mhz=5.0, depth_mm=40.0)
    db = _mean_db_per_row(slab.envelope)
    keep = slice(20, -20)
    slope_db_per_cm = np.polyfit(slab.depth_mm[keep] / 10.0, db[keep], 1)[0]
    expected = -2 * float(engine.lut.attenuation_db_cm_mhz[3]) * 5.0  # muscle, two-way
    assert abs(slope_db_per_cm / expected - 1) <= 0.05, (slope_db_per_cm, expected)


def test_higher_frequency_gives_finer_speckle_and_less_penetration(engine):
    low = Slab(engine, freq_mhz=5.0, depth_mm=60.0)
    high = Slab(engine, freq_mhz=12.0, depth_mm=60.0)
    for axis in (0, 1):
        rows = low.rows_near(30.0, 3.0)
        assert fwhm_of_autocovariance(high.envelope[rows] ** 2, axis) < fwhm_of_autocovariance(low.envelope[rows] ** 2, axis)
    # penetration: depth where tissue echo falls to the receiver noise of the engine
    from simulator.core.ultrasound.synth import NOISE_AMPLITUDE

    def penetration_mm(slab):
        mean = slab.envelope.mean(axis=1)
        below = np.nonzero(mean < 2 * NOISE_AMPLITUDE)[0]
        return slab.depth_mm[below[0]] if below.size else slab.depth_mm[-1]

    assert penetration_mm(high) < 0.6 * penetration_mm(low)
