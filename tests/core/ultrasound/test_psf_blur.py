"""Echoes are imaged, not drawn: a point target is as wide as the speckle's lateral PSF, and a
round lumen's edge and a shadow's edge are as soft as the PSF too."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.core.anatomy import AnatomyModel
from simulator.core.geometry import ProbePose
from simulator.core.ultrasound import ScanSettings, UltrasoundEngine
from simulator.core.ultrasound.psf import lateral_fwhm_mm

from .conftest import muscle_only_case

SETTINGS = ScanSettings(depth_cm=3.0, freq_mhz=10.0)


def _across(name, tissue, radius_mm, depth_mm):
    return {"name": name, "tissue": tissue, "radius_mm": radius_mm, "start": {"x_mm": 60, "y_mm": 0, "depth_mm": depth_mm},
            "end": {"x_mm": 60, "y_mm": 120, "depth_mm": depth_mm}}


def _fwhm_px(profile: np.ndarray) -> float:
    """Full width at half maximum of a single-peaked profile, interpolated between pixels."""
    i = int(np.argmax(profile))
    half = profile[i] / 2
    lo = i
    while lo > 0 and profile[lo - 1] >= half:
        lo -= 1
    hi = i
    while hi < len(profile) - 1 and profile[hi + 1] >= half:
        hi += 1
    left = lo - (profile[lo] - half) / max(profile[lo] - profile[lo - 1], 1e-12)
    right = hi + (profile[hi] - half) / max(profile[hi] - profile[hi + 1], 1e-12)
    return float(right - left)


@pytest.mark.parametrize("depth_mm", [10.0, 15.0])
def test_a_point_target_is_as_wide_as_the_lateral_psf(depth_mm):
    pin = _across("pin", "fascia", 0.05, depth_mm)
    engine = UltrasoundEngine(AnatomyModel(muscle_only_case(**{"anatomy.cylinders": [pin]})), seed=2)
    probe = ProbePose(60, 50, 0)
    frame = engine.frame(probe, SETTINGS)
    row_mm, col_mm = frame.geometry.mm_per_px
    plane = engine.anatomy.slice(probe, frame.geometry.width_mm, frame.geometry.depth_mm, frame.envelope.shape)
    rows, cols = np.nonzero(plane.labels == plane.labels[int(depth_mm / row_mm), frame.envelope.shape[1] // 2])
    pin_rows = rows[np.abs(rows * row_mm - depth_mm) < 0.5]
    centre = frame.envelope.shape[1] // 2
    window = frame.envelope[pin_rows.min(): pin_rows.max() + 3, centre - 30: centre + 31]
    width_mm = _fwhm_px(window.max(axis=0)) * col_mm
    psf_mm = float(lateral_fwhm_mm(SETTINGS.freq_mhz, SETTINGS.focus_mm, depth_mm))
    assert abs(width_mm / psf_mm - 1.0) <= 0.3, (width_mm, psf_mm)


def test_a_shadow_edge_is_soft_not_knife_sharp():
    rib = _across("rib", "bone", 3.0, 8.0)
    engine = UltrasoundEngine(AnatomyModel(muscle_only_case(**{"anatomy.cylinders": [rib]})), seed=2)
    frame = engine.frame(ProbePose(60, 50, 0), SETTINGS)
    row_mm, col_mm = frame.geometry.mm_per_px
    rows = slice(int(16 / row_mm), int(22 / row_mm))
    profile = 20 * np.log10(frame.envelope[rows].mean(axis=0))
    centre = frame.envelope.shape[1] // 2
    edge = centre + int(np.argmax(np.abs(np.diff(profile[centre: centre + int(6 / col_mm)]))))
    # the rise from shadow to tissue spreads over several pixels: no single-column jump carries it
    step = np.abs(np.diff(profile[edge - 6: edge + 7]))
    rise = profile[edge + 6] - profile[edge - 6]
    assert rise > 15.0  # a real shadow edge
    assert step.max() < 0.6 * rise, (step.round(1), rise)


def _shadow_db(frame, depth_mm: float) -> float:
    """How far (dB) the centre column band sits under the tissue well beside it, at a depth."""
    row_mm = frame.geometry.mm_per_px[0]
    rows = slice(int((depth_mm - 1) / row_mm), int((depth_mm + 1) / row_mm))
    profile = 20 * np.log10(frame.envelope[rows].mean(axis=0))
    c = frame.envelope.shape[1] // 2
    return float(np.r_[profile[c - 120: c - 80], profile[c + 80: c + 120]].mean() - profile[c - 2: c + 3].mean())


def _edge_width_mm(frame, depth_mm: float) -> float:
    """Width (mm) over which the shadow's right edge rises from 10 % to 90 % of its step (in dB)."""
    row_mm, col_mm = frame.geometry.mm_per_px
    rows = slice(int((depth_mm - 1) / row_mm), int((depth_mm + 1) / row_mm))
    profile = np.convolve(20 * np.log10(frame.envelope[rows].mean(axis=0)), np.ones(3) / 3, mode="same")
    c = frame.envelope.shape[1] // 2
    side = profile[c: c + int(10 / col_mm)]
    low, high = side[:5].mean(), side[-20:].mean()
    above = lambda share: int(np.argmax(side >= low + share * (high - low)))  # noqa: E731
    return (above(0.9) - above(0.1)) * col_mm


def _bone_across(radius_mm):
    cylinder = _across("bone", "bone", radius_mm, 8.0)
    engine = UltrasoundEngine(AnatomyModel(muscle_only_case(**{"anatomy.cylinders": [cylinder]})), seed=2)
    # edges measured on the raw speckle, as the statistics tests are (speckle reduction off)
    return engine.frame(ProbePose(60, 50, 0), ScanSettings(depth_cm=4.0, freq_mhz=10.0, speckle_reduction=False))


def test_a_thin_pin_shadow_fills_in_with_depth_but_a_rib_shadow_does_not():
    pin, rib = _bone_across(0.25), _bone_across(3.0)
    assert _shadow_db(pin, 30.0) < 3.0  # a 0.5 mm pin no longer shades the whole depth
    assert _shadow_db(rib, 30.0) > 20.0  # a 6 mm rib still does


def test_a_rib_shadow_edge_softens_with_depth():
    rib = _bone_across(3.0)
    assert _edge_width_mm(rib, 30.0) > 1.5 * _edge_width_mm(rib, 13.0), (_edge_width_mm(rib, 13.0),
                                                                        _edge_width_mm(rib, 30.0))
