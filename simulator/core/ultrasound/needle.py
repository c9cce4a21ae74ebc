"""The needle as the scanner sees it: the part inside the beam's elevation profile.

"The tip is visible" means what the scoring means (geometry.in_beam: inside the imaged
slab). What is drawn follows the beam's elevation profile instead of the slab's hard edge:
a Gaussian across the plane (sigma half the slab's half-thickness), so a shaft drifting out
of plane fades smoothly and has all but vanished at the slab's edge (ELEVATION_REACH).
The echo is specular: strongest when the shaft is square to the beam and faint beyond about
30 degrees (docs/sources.md [87][89]), never brighter again at steeper angles, where only the
bevel at the tip still scatters back. A flat shaft rings (a comet tail of copies under it,
part of the specular echo, so a steep shaft has none) and shades the tissue under it a
little. Thicker gauges reflect more and shade more.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from simulator.core.geometry import (
    BEAM_DIVERGENCE, BEAM_THICKNESS_AT_FOCUS_MM, ELEVATION_FOCUS_MM, GAUGE_OD_MM, NeedleGeometry, ProbePose,
)
from simulator.core.ultrasound import moving
from simulator.core.ultrasound.scan_geometry import ImageGeometry

NEEDLE_ECHO = 12.0  # specular echo of a 25 G shaft square to the beam (muscle scatters 0.6)
TIP_BOOST = 1.8  # the bevel reflects more than the shaft ...
TIP_DIFFUSE = 0.25  # ... and scatters back at any angle: the tip stays visible on a steep approach
TIP_LENGTH_MM = 0.6
ANGLE_FALLOFF_DEG = 22.0
DIFFUSE_FLOOR = 0.02  # what a steep shaft still returns: about tissue level, so it is not seen
ELEVATION_SIGMA = 0.5  # elevation profile's sigma, as a share of the slab's half-thickness
ELEVATION_REACH = 1.5  # drawn out to this many half-thicknesses (the echo is 39 dB down there)
REVERB_COPIES = 4
REVERB_DECAY = 0.35
SHADOW_DB = 2.0  # a 25 G shaft in the plane shades the tissue under it by this much
REFERENCE_OD_MM = GAUGE_OD_MM[25]


def angle_brightness(angle_to_face_deg: float) -> float:
    """Relative echo of a shaft at an angle to the probe face: 1 flat, about 0.2 at 30 deg, falling ever after."""
    return float(_specular(abs(angle_to_face_deg))) + DIFFUSE_FLOOR


def _specular(off_normal_deg):
    return (1.0 - DIFFUSE_FLOOR) * np.exp(-((np.asarray(off_normal_deg) / ANGLE_FALLOFF_DEG) ** 2))


@dataclass(frozen=True)
class NeedleDraw:
    tip_visible: bool
    box: tuple[slice, slice] | None  # region of the image the needle changed


def draw_needle(envelope: np.ndarray, attenuation: np.ndarray, needle: NeedleGeometry, probe: ProbePose,
                geometry: ImageGeometry, axial_sigma_px: float, lateral_sigma_px: float) -> NeedleDraw:
    """Add the needle's echo (and its faint shadow) to the envelope in place (incoherent sum).

    Two compiled passes (moving.needle_points, moving.needle_shade_and_echo): the points of the shaft
    inside the drawn slab with their elevation profile, specular echo, bevel and comet tail; then
    the shadow under the shaft, and the points max-accumulated, blurred by the PSF
    (gaussian_filter's kernels, truncate 2.5) and scaled back so a line's peak keeps the shaft's echo.
    """
    if needle.length_mm <= 0:
        return NeedleDraw(False, None)
    height, width = envelope.shape
    row_mm, col_mm = geometry.mm_per_px
    od_mm = GAUGE_OD_MM.get(needle.gauge, needle.outer_diameter_mm)
    psf = _psf(float(axial_sigma_px), float(lateral_sigma_px), od_mm, row_mm, col_mm)
    step_mm = min(row_mm, col_mm) * 0.5
    count = max(2, int(math.ceil(needle.length_mm / step_mm)) + 1)  # NeedleGeometry.sample's points
    radius = geometry.radius_mm if geometry.kind == "curvilinear" else 0.0
    tip_visible, drawn, box, rows, cols, amp, bottom, strength = moving.needle_points(
        (float(needle.entry_x_mm), float(needle.entry_y_mm)), needle.direction, float(needle.length_mm), count,
        (float(probe.x_mm), float(probe.y_mm)), probe.axis, geometry.width_mm / 2, float(geometry.depth_mm),
        float(radius), _ELEVATION, _SPECULAR, NEEDLE_ECHO * (od_mm / REFERENCE_OD_MM),
        (max(1, int(round(TIP_LENGTH_MM / step_mm))), TIP_BOOST, TIP_DIFFUSE), _DECAYS, psf.spacing_px,
        od_mm / REFERENCE_OD_MM, (row_mm, col_mm), psf.pad, (height, width))
    r0, r1, c0, c1 = box
    if not drawn or r1 <= r0 or c1 <= c0:
        return NeedleDraw(bool(tip_visible), None)
    # the shadow: SHADOW_DB for a 25 G shaft in plane, its edges blurred by the lateral PSF
    strength = np.convolve(strength, psf.shade_kernel, mode="same")
    factor = (10.0 ** (-SHADOW_DB * np.clip(strength, 0.0, 1.5) / 20.0)).astype(np.float32)
    shade_top = moving.needle_shade_and_echo(envelope.T, attenuation.T, box, rows, cols, amp, psf.row_kernel,
                                             psf.col_kernel, psf.echo_scale, bottom, factor)
    box = (slice(min(r0, shade_top), height if shade_top < height else r1), slice(c0, c1))
    return NeedleDraw(bool(tip_visible), box)


@dataclass(frozen=True, eq=False)
class _Psf:
    """What the needle's drawing needs of the scanner's PSF and the gauge, the same every frame."""

    row_kernel: np.ndarray
    col_kernel: np.ndarray
    shade_kernel: np.ndarray
    echo_scale: np.float32  # undoes the axial blur's spread of a line's peak
    pad: tuple[int, int]  # rows and columns the blur reaches past the points
    spacing_px: float  # rows between the comet tail's copies


@functools.lru_cache(maxsize=16)
def _psf(axial_sigma_px: float, lateral_sigma_px: float, od_mm: float, row_mm: float, col_mm: float) -> _Psf:
    sigma_r = max(axial_sigma_px, 0.25 * od_mm / row_mm, 0.7)
    sigma_c = max(lateral_sigma_px * 0.6, 0.25 * od_mm / col_mm, 0.7)
    kernels = [_gaussian_weights(sigma, 2.5) for sigma in (sigma_r, sigma_c, max(lateral_sigma_px, 0.7))]
    for kernel in kernels:
        kernel.setflags(write=False)
    return _Psf(*kernels, np.float32(math.sqrt(2 * math.pi) * sigma_r), (int(3 * sigma_r) + 2, int(3 * sigma_c) + 2),
                max(od_mm * 1.2 / row_mm, 2.0))


def _gaussian_weights(sigma: float, truncate: float) -> np.ndarray:
    """The 1-D kernel scipy.ndimage.gaussian_filter uses: radius int(truncate * sigma + 0.5), sum 1."""
    radius = int(truncate * float(sigma) + 0.5)
    x = np.arange(-radius, radius + 1)
    weights = np.exp(-0.5 / (sigma * sigma) * x**2)
    return weights / weights.sum()


# the numbers moving.needle_points needs: elevation_profile's, _specular's, the comet tail's decay per copy
_ELEVATION = (BEAM_THICKNESS_AT_FOCUS_MM, BEAM_DIVERGENCE, ELEVATION_FOCUS_MM, ELEVATION_SIGMA, ELEVATION_REACH)
_SPECULAR = (1.0 - DIFFUSE_FLOOR, ANGLE_FALLOFF_DEG, DIFFUSE_FLOOR)
_DECAYS = np.array([REVERB_DECAY**k for k in range(1, REVERB_COPIES + 1)])
_DECAYS.setflags(write=False)
