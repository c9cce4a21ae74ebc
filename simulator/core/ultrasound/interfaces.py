"""Specular interfaces: reflection where the impedance jumps, and what gets through.

Reflection coefficient R = (Z2 - Z1) / (Z2 + Z1) at each vertical label change, weighted by
how square the boundary is to the beam (a tilted wall returns little to the probe).
Transmission leaves (1 - R^2) of the intensity each way, so bone and air cast shadows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

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

    Everything but the slope depends only on the two tissues, and the slope is one of a few
    hundred ratios of small integers: both are tabulated (_tables), and one compiled pass
    measures each boundary's slope and looks its values up.
    """
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.float32)
        return Boundaries(rows, cols, empty, empty, empty)
    coeff_of, scale_of, fibre_of, loss_of, cos_power = _tables(impedance_lut, wall_lut, fibre_echo, aspect, tilt_deg)
    coeff, echo, loss_db = _reflect(labels_t, rows, cols, coeff_of, scale_of, fibre_of, loss_of, cos_power,
                                    SLOPE_HALF_WIDTH_PX, SLOPE_HALF_HEIGHT_PX)
    return Boundaries(rows, cols, coeff, echo, loss_db)


_LAST_TABLES: list = [None]  # (key, tables): one element, read and replaced at once (threads)


def _tables(impedance_lut, wall_lut, fibre_echo, aspect: float, tilt_deg: float):
    """Per (upper, lower) tissue pair: R, the echo before the angle (SPECULAR_GAIN (|R| + wall)), the
    fibres' share and the two-way loss (dB); per (count, window width) of the slope measurement:
    cos^ANGLE_POWER of the boundary to the beam. Float32 throughout; the last tables are kept
    (they change with the settings and the tilt, not the pose)."""
    n = impedance_lut.size
    fibre = np.ones(n, dtype=np.float32) if fibre_echo is None else np.asarray(fibre_echo, dtype=np.float32)
    key = (impedance_lut.tobytes(), wall_lut.tobytes(), fibre.tobytes(), float(aspect), float(tilt_deg))
    cached = _LAST_TABLES[0]
    if cached is not None and cached[0] == key:
        return cached[1]
    upper, lower = np.arange(n)[:, None], np.arange(n)[None, :]
    z_upper, z_lower = impedance_lut[upper], impedance_lut[lower]
    coeff = ((z_lower - z_upper) / (z_lower + z_upper + 1e-9)).astype(np.float32)
    scale = (SPECULAR_GAIN * (np.abs(coeff) + np.maximum(wall_lut[upper], wall_lut[lower]))).astype(np.float32)
    transmitted = np.maximum(1.0 - coeff * coeff, MIN_TRANSMISSION)
    loss_db = (-20.0 * np.log10(transmitted)).astype(np.float32)  # (1 - R^2) each way = two-way amplitude
    span = 2 * SLOPE_HALF_HEIGHT_PX + 1
    counts = np.arange(-span, span + 1)[:, None]
    widths = np.arange(1, 2 * SLOPE_HALF_WIDTH_PX + 1)[None, :]
    slope = counts.astype(np.float32) * np.float32(aspect) / widths.astype(np.float32)
    if tilt_deg == 0.0:
        cos = (1.0 / np.sqrt(1.0 + slope * slope)).astype(np.float32)
    else:
        cos = np.maximum(np.cos(np.arctan(slope) - np.float32(np.radians(tilt_deg))), 0.0).astype(np.float32)
    tables = (coeff, scale, np.minimum(fibre[upper], fibre[lower]).astype(np.float32), loss_db,
              np.ascontiguousarray(cos**ANGLE_POWER, dtype=np.float32))
    _LAST_TABLES[0] = (key, tables)
    return tables


@njit(cache=True, nogil=True)
def _reflect(labels_t, rows, cols, coeff_of, scale_of, fibre_of, loss_of, cos_power, half_width, half_height):
    """(coeff, echo, loss_db) per boundary from the tables of _tables.

    The cosine to the beam comes from the boundary's slope: its row is found half_width
    columns to each side by counting, in a vertical window of 2 half_height + 1 rows, the
    pixels of the tissue below it (robust to the stair steps of a gently sloping boundary);
    near the top or bottom edge the window slides to stay inside the image.
    """
    width, height = labels_t.shape
    n = rows.size
    coeff = np.empty(n, dtype=np.float32)
    echo = np.empty(n, dtype=np.float32)
    loss_db = np.empty(n, dtype=np.float32)
    span = min(2 * half_height + 1, height)
    middle = 2 * half_height + 1  # row of cos_power for a count of 0
    for i in range(n):
        r, c = rows[i], cols[i]
        upper, lower = labels_t[c, r - 1], labels_t[c, r]
        top = min(max(r - half_height, 0), height - span)
        left, right = max(c - half_width, 0), min(c + half_width, width - 1)
        count = 0
        for k in range(top, top + span):
            count += (labels_t[left, k] == lower) - (labels_t[right, k] == lower)
        coeff[i] = coeff_of[upper, lower]
        echo[i] = scale_of[upper, lower] * cos_power[count + middle, max(right - left, 1) - 1] * fibre_of[upper, lower]
        loss_db[i] = loss_of[upper, lower]
    return coeff, echo, loss_db


# What a boundary does beyond its own echo. A boundary casts a shadow worth filling in (diffraction.py)
# when it loses more than SHADOW_LOSS_DB, or leads into tissue attenuating more than
# SHADOW_ATTENUATION_DB_CM_MHZ (bone); not into air, whose reverberation is drawn on its own.
SHADOW_SPREAD_MM_PER_MM = 0.03  # a shadow fills in from each side by this much per mm of depth (diffraction)
SHADOW_LOSS_DB = 6.0
SHADOW_ATTENUATION_DB_CM_MHZ = 5.0
CORTEX_REVERB_SPACING_MM = 0.8  # sound rings between the cortex's two surfaces: echoes this far apart ...
CORTEX_REVERB_DECAY = 0.15  # ... each about 16 dB fainter than the last
CORTEX_REVERB_COUNT = 2
_CORTEX_DECAYS = CORTEX_REVERB_DECAY ** np.arange(1, CORTEX_REVERB_COUNT + 1)  # float64, as the echoes are scaled


def shadow_spread(height: int, row_mm: float, col_mm: float) -> np.ndarray:
    """(H,) columns each side over which a shadow fills in at each row's depth (kept: it changes
    with the settings, not the pose: do not write to it)."""
    key = (int(height), float(row_mm), float(col_mm))
    cached = _LAST_SPREAD[0]
    if cached is None or cached[0] != key:
        depth_mm = (np.arange(height) + 0.5) * row_mm
        cached = _LAST_SPREAD[0] = (key, np.rint(SHADOW_SPREAD_MM_PER_MM * depth_mm / col_mm).astype(np.int64))
    return cached[1]


_LAST_SPREAD: list = [None]  # (key, spread): one element, read and replaced at once (threads)


def shadow_casters(boundaries: Boundaries, labels_t: np.ndarray, attenuation_lut: np.ndarray, air_lut: np.ndarray,
                   spread: np.ndarray):
    """(columns, tops) of the boundaries that cast a shadow worth filling in: the [first, last) columns
    whose shadows can fill in (around those) and, per column, the first row of any shadow within the
    deepest fill-in's reach (the image's height where none: diffraction.boundary_fill looks only
    below it). Compiled: numpy's minimum.at and a sliding-window minimum were a tenth of a sector
    frame's synthesis."""
    return _casters(labels_t, boundaries.rows, boundaries.cols, boundaries.loss_db, attenuation_lut, air_lut,
                    SHADOW_LOSS_DB, SHADOW_ATTENUATION_DB_CM_MHZ, spread)


@njit(cache=True, nogil=True)
def _casters(labels_t, rows, cols, loss_db, attenuation_lut, air_lut, loss_limit, attenuation_limit, spread):
    """shadow_casters in one pass over the boundaries, then a sliding minimum over the columns."""
    width, height = labels_t.shape
    own = np.full(width, height, dtype=np.int64)  # the shallowest casting boundary per column
    first, last = width, -1
    for i in range(rows.size):
        below = labels_t[cols[i], rows[i]]
        if air_lut[below]:
            continue
        if loss_db[i] > loss_limit or attenuation_lut[below] > attenuation_limit:
            c = cols[i]
            first, last = min(first, c), max(last, c)
            if rows[i] < own[c]:
                own[c] = rows[i]
    columns = np.zeros(2, dtype=np.int64)
    tops = np.full(width, height, dtype=np.int64)
    if last < 0:
        return columns, tops
    reach = 0
    for r in range(spread.size):
        reach = max(reach, spread[r])
    columns[0], columns[1] = max(first - reach - 1, 0), min(last + reach + 2, width)
    for c in range(width):
        best = height
        for cc in range(max(c - reach, 0), min(c + reach, width - 1) + 1):
            best = min(best, own[cc])
        tops[c] = best
    return columns, tops


def lines_and_pleura(boundaries: Boundaries, echoes: np.ndarray, labels_t: np.ndarray, attenuation_lut: np.ndarray,
                     air_lut: np.ndarray, row_mm: float):
    """The specular lines to deposit and the pleura, in one pass over the boundaries.

    Lines: (rows, cols, echoes) of every boundary, then the reverberation inside a bone's cortex:
    under each boundary into bone (tissue attenuating more than SHADOW_ATTENUATION_DB_CM_MHZ, not
    air) CORTEX_REVERB_COUNT fainter copies CORTEX_REVERB_SPACING_MM apart, so the cortex shows as
    a bright line with a short ladder of echoes fading into the shadow, not a single edge.
    Pleura: per column the row of the first boundary into air (lung; -1 where none) and its
    attenuated echo (echoes, per boundary).
    """
    step = max(1, int(round(CORTEX_REVERB_SPACING_MM / row_mm)))
    return _lines_and_pleura(labels_t, boundaries.rows, boundaries.cols, boundaries.coeff, echoes, attenuation_lut,
                             air_lut, SHADOW_ATTENUATION_DB_CM_MHZ, step, _CORTEX_DECAYS)


@njit(cache=True, nogil=True)
def _lines_and_pleura(labels_t, rows, cols, coeff, echoes, attenuation_lut, air_lut, attenuation_limit, step, decays):
    width, height = labels_t.shape
    n = rows.size
    pleura_row = np.full(width, -1, dtype=np.int64)
    pleura_echo = np.zeros(width, dtype=np.float32)
    hard = np.empty(n, dtype=np.int64)
    n_hard = 0
    for i in range(n):
        below = labels_t[cols[i], rows[i]]
        c = cols[i]
        if air_lut[below]:
            if coeff[i] < -0.5 and (pleura_row[c] < 0 or rows[i] < pleura_row[c]):
                pleura_row[c] = rows[i]
                pleura_echo[c] = echoes[i]
        elif attenuation_lut[below] > attenuation_limit:
            hard[n_hard] = i
            n_hard += 1
    total = n
    for k in range(decays.size):
        for j in range(n_hard):
            if rows[hard[j]] + step * (k + 1) < height:
                total += 1
    line_rows = np.empty(total, dtype=np.int64)
    line_cols = np.empty(total, dtype=np.int64)
    line_echoes = np.empty(total, dtype=np.float32)
    for i in range(n):
        line_rows[i], line_cols[i], line_echoes[i] = rows[i], cols[i], echoes[i]
    m = n
    for k in range(decays.size):  # copy by copy, as the lines were always deposited
        for j in range(n_hard):
            i = hard[j]
            r = rows[i] + step * (k + 1)
            if r < height:
                line_rows[m], line_cols[m] = r, cols[i]
                line_echoes[m] = np.float32(np.float64(echoes[i]) * decays[k])
                m += 1
    return pleura_row, pleura_echo, line_rows, line_cols, line_echoes
