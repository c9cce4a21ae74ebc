"""Time-gain compensation as the display applies it: automatic, the trainee's sliders, and the focus.

A scanner's automatic TGC is set for the soft tissue it images most (here the case's muscle),
so homogeneous muscle keeps an even grey with depth; the trainee's near / mid / far sliders add
to it (linear between the top, the middle and the bottom of the image), and the transmit focus
shows as a slightly brighter band (the beam is narrowest and most intense there). All of it is
display gain in dB per depth: the envelope (what the fidelity tests measure) is untouched.
"""

from __future__ import annotations

import numpy as np

from simulator.core.ultrasound.synth import tgc_curve_db

FOCAL_GAIN_DB = 1.5  # brightening at the transmit focus
FOCAL_HALF_WIDTH_MM_PER_MM = 0.25  # the focal zone's sigma grows with the focal depth ...
FOCAL_MIN_HALF_WIDTH_MM = 2.0  # ... from at least this


def slider_gain_db(depth_axis_mm: np.ndarray, image_depth_mm: float, sliders_db) -> np.ndarray:
    """(N,) dB from the near / mid / far sliders: linear between the top, middle and bottom of the image."""
    near, mid, far = (float(v) for v in sliders_db)
    depth = np.asarray(depth_axis_mm, dtype=np.float32)
    return np.interp(depth, [0.0, image_depth_mm / 2.0, image_depth_mm], [near, mid, far]).astype(np.float32)


def focal_gain_db(depth_axis_mm: np.ndarray, focus_mm: float) -> np.ndarray:
    """(N,) dB of focal brightening: a Gaussian band FOCAL_GAIN_DB high around the focus."""
    sigma = max(FOCAL_MIN_HALF_WIDTH_MM, FOCAL_HALF_WIDTH_MM_PER_MM * focus_mm)
    depth = np.asarray(depth_axis_mm, dtype=np.float32)
    return (FOCAL_GAIN_DB * np.exp(-0.5 * ((depth - focus_mm) / sigma) ** 2)).astype(np.float32)


def display_tgc_db(depth_axis_mm: np.ndarray, freq_mhz: float, muscle_db_cm_mhz: float, settings,
                   image_depth_mm: float) -> np.ndarray:
    """(N,) display gain per depth: automatic TGC for muscle + the sliders + the focal band."""
    automatic = tgc_curve_db(depth_axis_mm, freq_mhz, 2.0 * muscle_db_cm_mhz)
    return (automatic + slider_gain_db(depth_axis_mm, image_depth_mm, settings.tgc_db)
            + focal_gain_db(depth_axis_mm, settings.focus_mm)).astype(np.float32)
