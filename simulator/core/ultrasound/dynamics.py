"""Moving parts drawn on the cached base each frame: pulsation, lung sliding, the local twitch.

Each function warps a small region of the base envelope into the output envelope and
returns the boxes it changed, so only those are log-compressed again. The pixel loops of
lung sliding and the twitch are compiled (moving.py).
"""

from __future__ import annotations

import math

import numpy as np

from simulator.core.ultrasound.scan_geometry import ImageGeometry

PULSE_STRAIN = 0.10  # arterial diameter grows about 10% at systole
BREATH_PERIOD_S = 4.0  # 15 breaths a minute
PLEURA_SLIDE_MM = 0.6  # lateral excursion of the visceral pleura's sparkle
SLIDE_MIN_LEVEL = 0.05  # a column whose lung is darker than this share of the brightest (a rib's shadow) does not slide
TWITCH_SHIFT_MM = (0.9, -0.4)  # (lateral, depth) jerk of the band at full twitch


def systole(time_s: float, heart_hz: float) -> float:
    """0..1 pulse shape: a quick systolic rise and fall once per beat."""
    phase = (time_s * heart_hz) % 1.0
    return math.exp(-(((phase - 0.12) / 0.07) ** 2))


def pulsate_arteries(out, base, arteries, time_s: float, heart_hz: float, memo: dict | None = None):
    """Scale each artery's cross-section about its centre by the pulse (tissue around follows, fading).

    memo: as slide_pleura's; each artery's centre, radius and box depend only on the base.
    """
    strain = PULSE_STRAIN * systole(time_s, heart_hz)
    if strain < 1e-3:
        return []
    vessels = memo.get("arteries") if memo is not None else None
    if vessels is None:
        vessels = _artery_boxes(arteries, out.shape)
        if memo is not None:
            memo["arteries"] = vessels
    from simulator.core.ultrasound import moving

    for r0, r1, c0, c1, r_c, c_c, radius in vessels:
        moving.pulse(out.T, base.T, r0, r1, c0, c1, r_c, c_c, radius, strain)
    return [(slice(r0, r1), slice(c0, c1)) for r0, r1, c0, c1, _r, _c, _radius in vessels]


def _artery_boxes(arteries, shape) -> list:
    """(row0, row1, col0, col1, centre row, centre column, radius in pixels) of each artery's pulsing box."""
    height, width = shape
    vessels = []
    for (rs, cs), blob in arteries:
        rr, cc = np.nonzero(blob)
        r_c, c_c = rs.start + rr.mean(), cs.start + cc.mean()
        radius = max(rs.stop - rs.start, cs.stop - cs.start) / 2.0 + 1.0
        reach = int(2.2 * radius) + 2
        r0, r1 = max(int(r_c) - reach, 0), min(int(r_c) + reach + 1, height)
        c0, c1 = max(int(c_c) - reach, 0), min(int(c_c) + reach + 1, width)
        vessels.append((r0, r1, c0, c1, float(r_c), float(c_c), float(radius)))
    return vessels


def slide_pleura(out, base, pleura_row, pleura_level, time_s: float, geometry: ImageGeometry, memo: dict | None = None):
    """Lung sliding: the pleural line's sparkle and the lung's speckle under it shift to and fro with breathing.

    The ribs' shadows stay put: a column takes the speckle of the column `shift` away rescaled to
    its own pleural level (pleura_level, per column), so only the pattern moves under a shadow's
    edge; a column whose source lies in the shadow (under SLIDE_MIN_LEVEL of the brightest
    pleura) keeps its own pixels rather than lifting a shadow's noise.
    memo: a dict kept with this base (the same base, pleura_row and pleura_level every call): what
    depends only on them and the shift is worked out once per shift.
    """
    row_mm, col_mm = geometry.mm_per_px
    shift = int(round(PLEURA_SLIDE_MM / col_mm * math.sin(2 * math.pi * time_s / BREATH_PERIOD_S)))
    key = ("slide", shift)
    plan = memo.get(key) if memo is not None else None
    if plan is None:
        plan = _slide_plan(pleura_row, pleura_level, shift, row_mm, out.shape)
        if memo is not None:
            memo[key] = plan
    if not plan:
        return []
    rows, above, below, factor, box = plan
    from simulator.core.ultrasound import moving  # numba: loaded with the engine, not with this module

    moving.slide_band(out.T, base.T, rows, above, below, shift, factor)
    return [box]


def _slide_plan(pleura_row, pleura_level, shift: int, row_mm: float, shape) -> tuple:
    """(pleura rows, rows above and below them, per-column factor, box) of slide_pleura; () if no lung."""
    cols = np.nonzero(pleura_row > 0)[0]
    if cols.size == 0:
        return ()
    height, width = shape
    above, below = int(round(1.2 / row_mm)), height  # down to the bottom: the lung's reverberation moves too
    r0 = max(int(pleura_row[cols].min()) - above, 0)
    level = np.asarray(pleura_level, dtype=np.float32)
    from_col = np.arange(width) - shift
    source = level[np.clip(from_col, 0, width - 1)]
    # ... and nor does one whose source would lie beyond the image's edge (no smeared edge column)
    lit = (source > SLIDE_MIN_LEVEL * max(float(level[cols].max()), 1e-30)) & (from_col >= 0) & (from_col < width)
    factor = np.where(lit, level / np.where(lit, source, 1.0), 0.0).astype(np.float32)
    return pleura_row.astype(np.int64), above, below, factor, (slice(r0, height), slice(0, width))


def twitch_band(out, base, trigger_points, amplitude: float, geometry: ImageGeometry, memo: dict | None = None):
    """Local twitch: the band through each trigger point jerks sideways and up for a moment.

    memo: as slide_pleura's; the bands' boxes and windows depend only on the base.
    """
    row_mm, col_mm = geometry.mm_per_px
    bands = memo.get("twitch") if memo is not None else None
    if bands is None:
        bands = _twitch_bands(trigger_points, row_mm, col_mm, out.shape)
        if memo is not None:
            memo["twitch"] = bands
    from simulator.core.ultrasound import moving

    d_row, d_col = amplitude * TWITCH_SHIFT_MM[1] / row_mm, amplitude * TWITCH_SHIFT_MM[0] / col_mm
    for (r0, r1, c0, c1), row_window, col_window in bands:
        moving.shift_box(out.T, base.T, c0, c1, r0, r1, row_window, col_window, d_row, d_col)
    return [(slice(r0, r1), slice(c0, c1)) for (r0, r1, c0, c1), _r, _c in bands]


def _twitch_bands(trigger_points, row_mm: float, col_mm: float, shape) -> list:
    """((row0, row1, col0, col1), row window, column window) of the band through each trigger point."""
    height, width = shape
    bands = []
    for (rs, cs), _blob in trigger_points:
        half_rows = int(1.5 / row_mm) + (rs.stop - rs.start) // 2
        half_cols = int(10.0 / col_mm) + (cs.stop - cs.start) // 2
        r_c, c_c = (rs.start + rs.stop) / 2, (cs.start + cs.stop) / 2
        r0, r1 = max(int(r_c) - half_rows, 0), min(int(r_c) + half_rows + 1, height)
        c0, c1 = max(int(c_c) - half_cols, 0), min(int(c_c) + half_cols + 1, width)
        rows = np.arange(r0, r1)
        cols = np.arange(c0, c1)
        row_window = np.cos(0.5 * math.pi * np.clip(np.abs(rows - r_c) / max(half_rows, 1), 0, 1)) ** 2
        col_window = np.cos(0.5 * math.pi * np.clip(np.abs(cols - c_c) / max(half_cols, 1), 0, 1)) ** 2
        bands.append(((r0, r1, c0, c1), row_window, col_window))
    return bands
