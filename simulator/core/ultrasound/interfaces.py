"""Specular interfaces: reflection where the impedance jumps, and what gets through.

Reflection coefficient R = (Z2 - Z1) / (Z2 + Z1) at each vertical label change, weighted by
how square the boundary is to the beam (a tilted wall returns little to the probe).
Transmission leaves (1 - R^2) of the intensity each way, so bone and air cast shadows.
"""

from __future__ import annotations

import numpy as np

SPECULAR_GAIN = 25.0  # specular echo per unit |R|, relative to diffuse scatter (muscle scatters 0.6)
ANGLE_POWER = 4.0  # how fast a boundary's echo fades as it tilts away from the beam
MIN_TRANSMISSION = 1e-4  # air: -40 dB of intensity gets through each way (only noise survives below)
SLOPE_HALF_WIDTH_PX = 4  # columns each side used to measure a boundary's slope
SLOPE_HALF_HEIGHT_PX = 7


def reflections(labels: np.ndarray, impedance_lut: np.ndarray, wall_lut: np.ndarray, aspect: float = 1.0):
    """(specular amplitude (H, W), two-way transmission loss in dB (H, W), boundaries (rows, cols, R)).

    aspect is row height / column width of a pixel. Values sit on the first row below each boundary. wall_lut adds an echo at the edge of
    structures with a wall of their own (vessels, nerve sheath) whatever the impedances.
    """
    spec = np.zeros(labels.shape, dtype=np.float32)
    loss_db = np.zeros(labels.shape, dtype=np.float32)
    rows, cols = np.nonzero(labels[1:] != labels[:-1])
    rows = rows + 1
    coeff = np.zeros(rows.size, dtype=np.float32)
    if rows.size:
        upper, lower = impedance_lut[labels[rows - 1, cols]], impedance_lut[labels[rows, cols]]
        coeff = ((lower - upper) / (lower + upper + 1e-9)).astype(np.float32)
        cos = _boundary_cosine(labels, rows, cols, aspect)
        wall = np.maximum(wall_lut[labels[rows - 1, cols]], wall_lut[labels[rows, cols]])
        spec[rows, cols] = SPECULAR_GAIN * (np.abs(coeff) + wall) * cos**ANGLE_POWER
        transmitted = np.maximum(1.0 - coeff * coeff, MIN_TRANSMISSION)
        loss_db[rows, cols] = -20.0 * np.log10(transmitted)  # (1 - R^2) each way = two-way amplitude
    return spec, loss_db, (rows, cols, coeff)


def spread_lines(spec: np.ndarray, row_mm: float, length_mm: float = 0.3) -> np.ndarray:
    """A strong echo rings for about the pulse length: smear each line down over length_mm."""
    steps = max(1, int(round(length_mm / row_mm)))
    out = spec.copy()
    for k in range(1, steps + 1):
        out[k:] += np.float32(1.0 - k / (steps + 1)) * spec[:-k]
    return out


def _boundary_cosine(labels, rows, cols, aspect: float) -> np.ndarray:
    """Cosine between each boundary's normal and the (vertical) beam.

    The boundary's row is found a few columns to each side by counting, in a short
    vertical window, the pixels that belong to the tissue below it; the difference gives
    the slope. Counting is robust to the stair steps of a gently sloping boundary.
    """
    h, w = labels.shape
    below = labels[rows, cols]
    k, m = SLOPE_HALF_WIDTH_PX, SLOPE_HALF_HEIGHT_PX
    left, right = np.maximum(cols - k, 0), np.minimum(cols + k, w - 1)
    n_left = np.zeros(rows.size, dtype=np.float32)
    n_right = np.zeros(rows.size, dtype=np.float32)
    for j in range(-m, m + 1):
        rr = np.clip(rows + j, 0, h - 1)
        n_left += labels[rr, left] == below
        n_right += labels[rr, right] == below
    slope = (n_left - n_right) * np.float32(aspect) / np.maximum(right - left, 1).astype(np.float32)
    return (1.0 / np.sqrt(1.0 + slope * slope)).astype(np.float32)
