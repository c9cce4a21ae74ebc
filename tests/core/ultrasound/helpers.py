"""Pixel-statistics helpers for the fidelity tests."""

from __future__ import annotations

import numpy as np


def cols_of(frame, lateral_lo_mm: float, lateral_hi_mm: float) -> slice:
    c0 = frame.geometry.px_of(lateral_lo_mm, 0.0)[1]
    c1 = frame.geometry.px_of(lateral_hi_mm, 0.0)[1]
    return slice(int(round(float(c0))), int(round(float(c1))) + 1)


def rows_of(frame, depth_lo_mm: float, depth_hi_mm: float) -> slice:
    r0 = frame.geometry.px_of(0.0, depth_lo_mm)[0]
    r1 = frame.geometry.px_of(0.0, depth_hi_mm)[0]
    return slice(int(round(float(r0))), int(round(float(r1))) + 1)


def mean_db(values) -> float:
    return float(20 * np.log10(np.mean(values)))
