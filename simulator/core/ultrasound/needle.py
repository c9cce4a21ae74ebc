"""The needle as the scanner sees it: only the part inside the beam's elevation slab.

Shaft points are kept where geometry.in_beam says they are inside the imaged slab, so
"the tip is visible" here means exactly what the scoring means. In plane the shaft is a
bright line with a reverberation comet tail and a brighter bevel at the tip; a shaft
crossing the plane leaves a short bright dot (not the tip). The echo is specular: it is
strongest when the shaft is square to the beam and faint beyond about 30 degrees
(docs/sources.md [87][89]); thicker gauges reflect more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.core.geometry import GAUGE_OD_MM, NeedleGeometry, ProbePose, beam_half_thickness_mm, in_beam
from simulator.core.ultrasound import moving
from simulator.core.ultrasound.scan_geometry import ImageGeometry

NEEDLE_ECHO = 12.0  # specular echo of a 25 G shaft square to the beam (muscle scatters 0.6)
TIP_BOOST = 1.8  # the bevel scatters back more than the shaft
ANGLE_FALLOFF_DEG = 22.0
DIFFUSE_FLOOR = 0.06  # what a steep shaft still returns
REVERB_COPIES = 4
REVERB_DECAY = 0.35
REFERENCE_OD_MM = GAUGE_OD_MM[25]


def angle_brightness(angle_to_face_deg: float) -> float:
    """Relative echo of a shaft at an angle to the probe face: 1 flat, about 0.2 at 30 deg."""
    a = abs(angle_to_face_deg)
    return (1.0 - DIFFUSE_FLOOR) * math.exp(-((a / ANGLE_FALLOFF_DEG) ** 2)) + DIFFUSE_FLOOR


@dataclass(frozen=True)
class NeedleDraw:
    tip_visible: bool
    box: tuple[slice, slice] | None  # region of the image the needle changed


def draw_needle(envelope: np.ndarray, attenuation: np.ndarray, needle: NeedleGeometry, probe: ProbePose,
                geometry: ImageGeometry, axial_sigma_px: float, lateral_sigma_px: float) -> NeedleDraw:
    """Add the needle's echo to the envelope in place (incoherent sum)."""
    height, width = envelope.shape
    tip_visible = bool(needle.length_mm > 0 and in_beam(probe, *needle.tip, geometry.width_mm, geometry.depth_mm))
    if needle.length_mm <= 0:
        return NeedleDraw(False, None)
    row_mm, col_mm = geometry.mm_per_px
    points = needle.sample(min(row_mm, col_mm) * 0.5)
    inside = in_beam(probe, points[:, 0], points[:, 1], points[:, 2], geometry.width_mm, geometry.depth_mm)
    if not inside.any():
        return NeedleDraw(tip_visible, None)
    points = points[inside]
    lateral, elevation, depth = probe.to_plane(points[:, 0], points[:, 1], points[:, 2])
    # centre of the slab images best; the edge of the beam still shows a fainter echo
    slab = 1.0 - 0.5 * (elevation / beam_half_thickness_mm(depth)) ** 2

    direction = np.array(needle.direction)
    beam = _beam_direction(probe, geometry, lateral, depth)
    off_normal_deg = np.degrees(np.arcsin(np.clip(np.abs(beam @ direction), 0.0, 1.0)))
    bright = (1.0 - DIFFUSE_FLOOR) * np.exp(-((off_normal_deg / ANGLE_FALLOFF_DEG) ** 2)) + DIFFUSE_FLOOR
    od_mm = GAUGE_OD_MM.get(needle.gauge, needle.outer_diameter_mm)
    amp = NEEDLE_ECHO * (od_mm / REFERENCE_OD_MM) * slab * bright
    rows, cols = geometry.px_of(lateral, depth)
    tip_weight = np.zeros_like(amp)
    if tip_visible:
        tip_weight[-max(1, int(round(0.6 / (min(row_mm, col_mm) * 0.5)))):] = TIP_BOOST - 1.0
    amp = amp * (1.0 + tip_weight)

    # reverberation comet tail: copies deeper by about the shaft's diameter
    spacing_px = max(od_mm * 1.2 / row_mm, 2.0)
    all_rows, all_cols, all_amp = [rows], [cols], [amp]
    for k in range(1, REVERB_COPIES + 1):
        all_rows.append(rows + k * spacing_px)
        all_cols.append(cols)
        all_amp.append(amp * (REVERB_DECAY**k))
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
    # max-accumulate the points, blur by the PSF (gaussian_filter's kernels, truncate 2.5), and
    # undo the axial spread so a line's peak keeps the shaft's echo: compiled (moving.needle_echo)
    moving.needle_echo(envelope.T, attenuation.T, r0, r1, c0, c1, np.rint(rows).astype(np.int64),
                       np.rint(cols).astype(np.int64), amp.astype(np.float32), _gaussian_weights(sigma_r, 2.5),
                       _gaussian_weights(sigma_c, 2.5), np.float32(math.sqrt(2 * math.pi) * sigma_r))
    box = (slice(r0, r1), slice(c0, c1))
    return NeedleDraw(tip_visible, box)


def _gaussian_weights(sigma: float, truncate: float) -> np.ndarray:
    """The 1-D kernel scipy.ndimage.gaussian_filter uses: radius int(truncate * sigma + 0.5), sum 1."""
    radius = int(truncate * float(sigma) + 0.5)
    x = np.arange(-radius, radius + 1)
    weights = np.exp(-0.5 / (sigma * sigma) * x**2)
    return weights / weights.sum()


def _beam_direction(probe: ProbePose, geometry: ImageGeometry, lateral, depth) -> np.ndarray:
    """Unit beam direction in world (x, y, depth) at each point: straight down for a linear probe."""
    lateral = np.atleast_1d(lateral)
    if geometry.kind == "curvilinear":
        angle = np.arctan2(lateral, geometry.radius_mm + np.atleast_1d(depth))
    else:
        angle = np.zeros_like(lateral)
    ax, ay = probe.axis
    s, c = np.sin(angle), np.cos(angle)
    return np.stack([s * ax, s * ay, c], axis=-1)
