"""Specular interfaces: reflection where the impedance jumps, and what gets through.

Reflection coefficient R = (Z2 - Z1) / (Z2 + Z1) at each vertical label change, weighted by
how square the boundary is to the beam (a tilted wall returns little to the probe).
Transmission leaves (1 - R^2) of the intensity each way, so bone and air cast shadows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.core.ultrasound import kernels

SPECULAR_GAIN = 25.0  # specular echo per unit |R|, relative to diffuse scatter (muscle scatters 0.6)
ANGLE_POWER = 4.0  # how fast a boundary's echo fades as it tilts away from the beam
MIN_TRANSMISSION = 1e-4  # air: -40 dB of intensity gets through each way (only noise survives below)
SLOPE_HALF_WIDTH_PX = 4  # columns each side used to measure a boundary's slope
SLOPE_HALF_HEIGHT_PX = 7


@dataclass(frozen=True, eq=False)
class Boundaries:
    """Every vertical label change, as flat arrays: the first row below it, its column and echo."""

    rows: np.ndarray
    cols: np.ndarray
    coeff: np.ndarray  # reflection coefficient R (negative into a softer medium such as air)
    echo: np.ndarray  # specular amplitude (before attenuation)
    loss_db: np.ndarray  # two-way transmission loss for everything below


def reflections(labels_t: np.ndarray, rows: np.ndarray, cols: np.ndarray, impedance_lut: np.ndarray,
                wall_lut: np.ndarray, aspect: float = 1.0, tilt_deg: float = 0.0,
                fibre_echo: np.ndarray | None = None) -> Boundaries:
    """Specular echo and transmission loss of the boundaries at (rows, cols) (the first row below each).

    labels_t is the column-major (W, H) label map. aspect is row height / column width of a
    pixel. wall_lut adds an echo at the edge of structures with a wall of their own (vessels,
    nerve sheath, fascia) whatever the impedances. tilt_deg tilts the beam in the plane (the
    probe's heel-toe tilt): the boundary's cosine is taken to the tilted beam, and a boundary of
    fibrous tissue echoes fibre_echo[label] (per label, 1 isotropic) of its square-on echo.
    """
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.float32)
        return Boundaries(rows, cols, empty, empty, empty)
    upper_label, lower_label = labels_t[cols, rows - 1], labels_t[cols, rows]
    upper, lower = impedance_lut[upper_label], impedance_lut[lower_label]
    coeff = ((lower - upper) / (lower + upper + 1e-9)).astype(np.float32)
    cos = _boundary_cosine(labels_t, rows, cols, aspect, tilt_deg)
    wall = np.maximum(wall_lut[upper_label], wall_lut[lower_label])
    echo = SPECULAR_GAIN * (np.abs(coeff) + wall) * cos**ANGLE_POWER
    if fibre_echo is not None:
        echo = echo * np.minimum(fibre_echo[upper_label], fibre_echo[lower_label])
    echo = echo.astype(np.float32)
    transmitted = np.maximum(1.0 - coeff * coeff, MIN_TRANSMISSION)
    loss_db = (-20.0 * np.log10(transmitted)).astype(np.float32)  # (1 - R^2) each way = two-way amplitude
    return Boundaries(rows, cols, coeff, echo, loss_db)


def _boundary_cosine(labels_t, rows, cols, aspect: float, tilt_deg: float = 0.0) -> np.ndarray:
    """Cosine between each boundary's normal and the beam (vertical, or tilted by tilt_deg in the plane).

    The boundary's row is found a few columns to each side by counting, in a short
    vertical window, the pixels that belong to the tissue below it; the difference gives
    the slope. Counting is robust to the stair steps of a gently sloping boundary. Near the
    top or bottom edge the window slides to stay inside the image.
    """
    w = labels_t.shape[0]
    k = SLOPE_HALF_WIDTH_PX
    counts = kernels.boundary_slopes(labels_t, rows, cols, k, SLOPE_HALF_HEIGHT_PX)
    left, right = np.maximum(cols - k, 0), np.minimum(cols + k, w - 1)
    slope = counts.astype(np.float32) * np.float32(aspect) / np.maximum(right - left, 1).astype(np.float32)
    if tilt_deg == 0.0:
        return (1.0 / np.sqrt(1.0 + slope * slope)).astype(np.float32)
    return np.maximum(np.cos(np.arctan(slope) - np.float32(np.radians(tilt_deg))), 0.0).astype(np.float32)
