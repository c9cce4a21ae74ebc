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

import math
from dataclasses import dataclass

import numpy as np

from simulator.core.geometry import (
    BEAM_DIVERGENCE, BEAM_THICKNESS_AT_FOCUS_MM, ELEVATION_FOCUS_MM, GAUGE_OD_MM, NeedleGeometry, ProbePose,
    in_beam,
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
    """Add the needle's echo (and its faint shadow) to the envelope in place (incoherent sum)."""
    height, width = envelope.shape
    tip_visible = bool(needle.length_mm > 0 and in_beam(probe, *needle.tip, geometry.width_mm, geometry.depth_mm))
    if needle.length_mm <= 0:
        return NeedleDraw(False, None)
    row_mm, col_mm = geometry.mm_per_px
    step_mm = min(row_mm, col_mm) * 0.5
    points = needle.sample(step_mm)
    # the points inside the drawn slab, their elevation profile and specular echo: one compiled pass
    ax, ay = probe.axis
    radius = geometry.radius_mm if geometry.kind == "curvilinear" else 0.0
    lateral, depth, profile, specular, tip_drawn = moving.shaft_in_beam(
        points[:, 0], points[:, 1], points[:, 2], float(probe.x_mm), float(probe.y_mm), ax, ay, needle.direction,
        geometry.width_mm / 2, geometry.depth_mm, float(radius), _ELEVATION, _SPECULAR)
    if lateral.size == 0:
        return NeedleDraw(tip_visible, None)
    od_mm = GAUGE_OD_MM.get(needle.gauge, needle.outer_diameter_mm)
    scale = NEEDLE_ECHO * (od_mm / REFERENCE_OD_MM) * profile
    amp = scale * (specular + DIFFUSE_FLOOR)
    if tip_drawn:
        tip = slice(-max(1, int(round(TIP_LENGTH_MM / step_mm))), None)
        amp[tip] = amp[tip] * TIP_BOOST + scale[tip] * TIP_DIFFUSE
    rows, cols = geometry.px_of(lateral, depth)

    # reverberation comet tail: copies deeper by about the shaft's diameter, of the specular echo only
    spacing_px = max(od_mm * 1.2 / row_mm, 2.0)
    tail = scale * specular
    all_rows, all_cols, all_amp = [rows], [cols], [amp]
    for k in range(1, REVERB_COPIES + 1):
        all_rows.append(rows + k * spacing_px)
        all_cols.append(cols)
        all_amp.append(tail * (REVERB_DECAY**k))
    shaft_rows, shaft_cols = rows, cols
    rows = np.concatenate(all_rows)
    cols = np.concatenate(all_cols)
    amp = np.concatenate(all_amp)

    sigma_r = max(axial_sigma_px, 0.25 * od_mm / row_mm, 0.7)
    sigma_c = max(lateral_sigma_px * 0.6, 0.25 * od_mm / col_mm, 0.7)
    pad_r, pad_c = int(3 * sigma_r) + 2, int(3 * sigma_c) + 2
    r0 = max(int(math.floor(rows.min())) - pad_r, 0)
    r1 = min(int(math.ceil(rows.max())) + pad_r + 1, height)
    c0 = max(int(math.floor(cols.min())) - pad_c, 0)
    c1 = min(int(math.ceil(cols.max())) + pad_c + 1, width)
    if r1 <= r0 or c1 <= c0:
        return NeedleDraw(tip_visible, None)
    shade_top = _shade_under(envelope, shaft_rows, shaft_cols, profile * (od_mm / REFERENCE_OD_MM), c0, c1,
                             lateral_sigma_px)
    # max-accumulate the points, blur by the PSF (gaussian_filter's kernels, truncate 2.5), and
    # undo the axial spread so a line's peak keeps the shaft's echo: compiled (moving.needle_echo)
    moving.needle_echo(envelope.T, attenuation.T, r0, r1, c0, c1, np.rint(rows).astype(np.int64),
                       np.rint(cols).astype(np.int64), amp.astype(np.float32), _gaussian_weights(sigma_r, 2.5),
                       _gaussian_weights(sigma_c, 2.5), np.float32(math.sqrt(2 * math.pi) * sigma_r))
    box = (slice(min(r0, shade_top), height if shade_top < height else r1), slice(c0, c1))
    return NeedleDraw(tip_visible, box)


def _shade_under(envelope, rows, cols, weight, c0: int, c1: int, lateral_sigma_px: float) -> int:
    """Shade the tissue under the shaft (SHADOW_DB for a 25 G shaft in plane, edges blurred by the
    lateral PSF), from just under the shaft's deepest point in each column. Returns the first row shaded."""
    height = envelope.shape[0]
    n = c1 - c0
    bottom, strength = moving.deepest_per_column(np.rint(cols).astype(np.int64) - c0, np.rint(rows).astype(np.int64),
                                                 np.asarray(weight, dtype=np.float64), n)
    kernel = _gaussian_weights(max(lateral_sigma_px, 0.7), 2.5)
    strength = np.convolve(strength, kernel, mode="same")
    covered = np.flatnonzero(bottom >= 0)
    if covered.size == 0:
        return height
    # columns the blur spreads into take the nearest covered column's depth
    nearest = covered[np.clip(np.searchsorted(covered, np.arange(n)), 0, covered.size - 1)]
    start = np.clip(bottom[nearest] + 2, 0, height)
    factor = (10.0 ** (-SHADOW_DB * np.clip(strength, 0.0, 1.5) / 20.0)).astype(np.float32)
    moving.shade_columns(envelope.T, c0, start.astype(np.int64), factor)
    return int(start.min())


def _gaussian_weights(sigma: float, truncate: float) -> np.ndarray:
    """The 1-D kernel scipy.ndimage.gaussian_filter uses: radius int(truncate * sigma + 0.5), sum 1."""
    radius = int(truncate * float(sigma) + 0.5)
    x = np.arange(-radius, radius + 1)
    weights = np.exp(-0.5 / (sigma * sigma) * x**2)
    return weights / weights.sum()


# the numbers moving.shaft_in_beam needs: elevation_profile's and _specular's
_ELEVATION = (BEAM_THICKNESS_AT_FOCUS_MM, BEAM_DIVERGENCE, ELEVATION_FOCUS_MM, ELEVATION_SIGMA, ELEVATION_REACH)
_SPECULAR = (1.0 - DIFFUSE_FLOOR, ANGLE_FALLOFF_DEG)
